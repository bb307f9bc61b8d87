import type { KeyPath } from './path.js';
import { pathKey } from './path.js';

export interface Position {
  line: number;
  col: number;
}

/** Where a key path was written in one file: the key (for maps) and the value. */
export interface PathPosition {
  key?: Position;
  value: Position;
}

/** Positions of the paths of one parsed file. */
export interface SourceMap {
  file: string;
  positions: Map<string, PathPosition>;
}

export interface Located {
  file?: string;
  line?: number;
  col?: number;
}

/**
 * Finds where a path was written: the last source (later files override earlier ones) that holds
 * the exact path wins; failing that, the deepest ancestor found in any source.
 */
export function locate(
  sources: readonly SourceMap[],
  path: KeyPath,
  prefer: 'key' | 'value' = 'value',
): Located {
  for (let depth = path.length; depth >= 0; depth--) {
    const key = pathKey(path.slice(0, depth));
    for (let i = sources.length - 1; i >= 0; i--) {
      const src = sources[i]!;
      const hit = src.positions.get(key);
      if (hit) {
        const pos = depth === path.length && prefer === 'key' && hit.key ? hit.key : (hit.key ?? hit.value);
        const chosen = depth === path.length && prefer === 'value' ? hit.value : pos;
        return { file: src.file, line: chosen.line, col: chosen.col };
      }
    }
  }
  const first = sources[0];
  return first ? { file: first.file } : {};
}
