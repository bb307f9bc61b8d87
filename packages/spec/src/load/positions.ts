import type { KeyPath } from './path.js';

export interface Position {
  line: number;
  col: number;
}

/** Where a key path was written in one file: the key (for maps) and the value. */
export interface PathPosition {
  key?: Position;
  value: Position;
}

/** The deepest prefix of a path that a file wrote, and where. */
export interface PathMatch {
  /** Length of the prefix found (0 = the document itself). */
  depth: number;
  hit: PathPosition;
}

/**
 * Positions of the paths of one file, looked up on demand: recording every path of a large file up
 * front cost more than parsing it, and only the few paths that carry a problem are ever asked for.
 * The set of paths a file "wrote" is prefix-closed, so one descent finds the deepest one.
 */
export interface PositionIndex {
  /** The position of exactly this path, if the file wrote it. */
  get(path: KeyPath): PathPosition | undefined;
  /** The deepest prefix of `path` the file wrote; undefined for an empty document. */
  match(path: KeyPath): PathMatch | undefined;
}

/** Positions of the paths of one parsed file. */
export interface SourceMap {
  file: string;
  positions: PositionIndex;
}

export interface Located {
  file?: string;
  line?: number;
  col?: number;
}

/**
 * Finds where a path was written: the last source (later files override earlier ones) that holds
 * the exact path wins; failing that, the deepest ancestor found in any source (the last one that
 * wrote it).
 */
export function locate(
  sources: readonly SourceMap[],
  path: KeyPath,
  prefer: 'key' | 'value' = 'value',
): Located {
  let best: PathMatch | undefined;
  let bestFile = '';
  for (let i = sources.length - 1; i >= 0; i--) {
    const src = sources[i]!;
    const m = src.positions.match(path);
    // Strictly deeper only: among equally deep matches the later source (seen first) wins.
    if (m && (!best || m.depth > best.depth)) {
      best = m;
      bestFile = src.file;
    }
  }
  if (best) {
    const { depth, hit } = best;
    const pos = depth === path.length && prefer === 'key' && hit.key ? hit.key : (hit.key ?? hit.value);
    const chosen = depth === path.length && prefer === 'value' ? hit.value : pos;
    return { file: bestFile, line: chosen.line, col: chosen.col };
  }
  const first = sources[0];
  return first ? { file: first.file } : {};
}
