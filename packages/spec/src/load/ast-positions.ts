import type { LineCounter, Node } from 'yaml';
import type { KeyPath } from './path.js';
import type { PathMatch, PathPosition, Position, PositionIndex } from './positions.js';
import { yamlLib } from './yaml-lib.js';

/**
 * A PositionIndex that descends the parsed `yaml` document when asked, instead of recording every
 * path while loading (which cost more than the parse on a 1,000-service file). What counts as a
 * written path is unchanged:
 * - a map key (not `<<`, which merges) with its key and value positions; an alias value ends the path;
 * - a sequence item by index;
 * - a string item of a sequence also by its name, first one wins (`depends_on: [db]` becomes a map
 *   keyed by `db` after normalising, and problems found then must still point at the item).
 */
export function astPositions(root: Node | null, lines: LineCounter): PositionIndex {
  const at = (offset: number): Position => {
    const p = lines.linePos(offset);
    return { line: p.line, col: p.col };
  };
  const match = (path: KeyPath): PathMatch | undefined => {
    if (!root) return undefined;
    let hit: PathPosition = { value: root.range ? at(root.range[0]) : { line: 1, col: 1 } };
    let node: Node | null = root;
    let depth = 0;
    for (; depth < path.length && node; depth++) {
      const step = descend(node, path[depth]!, hit.value, at);
      if (!step) break;
      hit = step.hit;
      node = step.next;
    }
    return { depth, hit };
  };
  return {
    match,
    get: (path) => {
      const m = match(path);
      return m && m.depth === path.length ? m.hit : undefined;
    },
  };
}

interface Step {
  hit: PathPosition;
  /** The node to descend into next; null when the path cannot go deeper (alias, named item). */
  next: Node | null;
}

function descend(
  node: Node,
  seg: string | number,
  here: Position,
  at: (o: number) => Position,
): Step | undefined {
  // Only called on a document `yaml` parsed: the package is loaded by then.
  const { isAlias, isMap, isScalar, isSeq } = yamlLib();
  if (isMap(node)) {
    if (typeof seg !== 'string' || seg === '<<') return undefined;
    // The last pair with that key: a duplicate key fails the parse anyway, but this is what a
    // recorded map (later writes win) would answer.
    let found: (typeof node.items)[number] | undefined;
    for (const pair of node.items) {
      const k = pair.key;
      if (isScalar(k) && String(k.value) === seg) found = pair;
    }
    if (!found) return undefined;
    const k = found.key as Node;
    const key = k.range ? at(k.range[0]) : here;
    const v = found.value as Node | null;
    const value = v?.range ? at(v.range[0]) : key;
    return { hit: { key, value }, next: v && !isAlias(v) ? v : null };
  }
  if (isSeq(node)) {
    if (typeof seg === 'number') {
      const item = (Number.isInteger(seg) && seg >= 0 ? node.items[seg] : undefined) as
        | Node
        | null
        | undefined;
      if (!item) return undefined;
      if (isAlias(item)) return item.range ? { hit: { value: at(item.range[0]) }, next: null } : undefined;
      return { hit: { value: item.range ? at(item.range[0]) : { line: 1, col: 1 } }, next: item };
    }
    for (const item of node.items) {
      if (isScalar(item) && item.value === seg && item.range) {
        const p = at(item.range[0]);
        return { hit: { key: p, value: p }, next: null };
      }
    }
  }
  return undefined;
}
