/**
 * `!reset` and `!override` in plain trees.
 *
 * An override file may write `ports: !reset []` (drop what earlier files said) or
 * `environment: !override {...}` (replace instead of merging). compose-go records these while decoding
 * and applies them when the file is merged; we keep them IN the plain tree as marker objects, so that
 * the file's tree can be interpolated and validated like any other and `mergeCompose` applies them.
 *
 * A marker is a plain object whose only key is a symbol: JSON.stringify and Object.keys do not see
 * it, so a marker that leaks past the merge shows up as `{}` (never as user data). Call
 * `stripMarkers` on any tree that is used without being merged.
 */
import type { CollectionTag, ScalarTag, YAMLSeq } from 'yaml';
import { yamlLib } from './yaml-lib.js';

const MARK: unique symbol = Symbol.for('orc.compose.tag');

export interface ResetMarker {
  readonly [MARK]: 'reset';
}

export interface OverrideMarker {
  readonly [MARK]: 'override';
  readonly value: unknown;
}

export type TagMarker = ResetMarker | OverrideMarker;

const RESET: ResetMarker = Object.freeze({ [MARK]: 'reset' as const });

/** The value `!reset` stands for: whatever earlier files said at this key is dropped. */
export function resetMarker(): ResetMarker {
  return RESET;
}

/** The value `!override x` stands for: `x` replaces what earlier files said, without merging. */
export function overrideMarker(value: unknown): OverrideMarker {
  return Object.freeze({ [MARK]: 'override' as const, value });
}

export function isReset(value: unknown): value is ResetMarker {
  return typeof value === 'object' && value !== null && (value as Partial<ResetMarker>)[MARK] === 'reset';
}

export function isOverride(value: unknown): value is OverrideMarker {
  return (
    typeof value === 'object' && value !== null && (value as Partial<OverrideMarker>)[MARK] === 'override'
  );
}

export function isMarker(value: unknown): value is TagMarker {
  return isReset(value) || isOverride(value);
}

/** The value a marker stands for in a file read on its own: `!reset` → undefined, `!override x` → x. */
export function unwrap(value: unknown): unknown {
  if (isReset(value)) return undefined;
  if (isOverride(value)) return value.value;
  return value;
}

/**
 * Wraps a plain value by its YAML tag, for code that walks `yaml` nodes itself instead of calling
 * `toJS()`: `applyTag(node.tag, plainValue)`.
 */
export function applyTag(tag: string | null | undefined, value: unknown): unknown {
  if (tag === RESET_TAG) return RESET;
  if (tag === OVERRIDE_TAG) return isOverride(value) ? value : overrideMarker(value);
  return value;
}

/**
 * The tree as it reads without merge semantics: reset keys and sequence items removed, overrides
 * unwrapped. Returns new containers (never mutates `tree`).
 */
export function stripMarkers(tree: unknown): unknown {
  if (typeof tree !== 'object' || tree === null) return tree;
  if (isOverride(tree)) return stripMarkers(tree.value);
  if (isReset(tree)) return undefined;
  // Index loops over Object.keys: Object.entries allocated a pair per key, and this runs on whole
  // files (a 1,000-service file has ~100k values).
  if (Array.isArray(tree)) {
    const out: unknown[] = [];
    for (let i = 0; i < tree.length; i++) {
      const item: unknown = tree[i];
      if (!isReset(item)) out.push(stripMarkers(item));
    }
    return out;
  }
  if (isPlainObject(tree)) {
    const out: Record<string, unknown> = {};
    const keys = Object.keys(tree);
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]!;
      const v = tree[k];
      if (!isReset(v)) out[k] = stripMarkers(v);
    }
    return out;
  }
  return tree;
}

/** True when the tree holds a marker anywhere (cheap check before a copy: allocates nothing). */
export function hasMarkers(tree: unknown): boolean {
  if (typeof tree !== 'object' || tree === null) return false;
  if (isMarker(tree)) return true;
  if (Array.isArray(tree)) {
    for (let i = 0; i < tree.length; i++) if (hasMarkers(tree[i])) return true;
    return false;
  }
  if (isPlainObject(tree)) {
    const keys = Object.keys(tree);
    for (let i = 0; i < keys.length; i++) if (hasMarkers(tree[keys[i]!])) return true;
  }
  return false;
}

/**
 * The mapping-key paths (below `tree`) that carry a `!reset` or `!override` marker: compose-go's
 * ResetProcessor records them per file and removes them from the service an `extends` inherits, so that
 * the extending service resets or replaces what it inherits too. Sequence items are not followed.
 */
export function markerPaths(tree: unknown, prefix: string[] = [], out: string[][] = []): string[][] {
  if (!isPlainObject(tree)) return out;
  for (const key of Object.keys(tree)) {
    const value = tree[key];
    if (isMarker(value)) out.push([...prefix, key]);
    else markerPaths(value, [...prefix, key], out);
  }
  return out;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return (proto === Object.prototype || proto === null) && !isMarker(value);
}

/* ---- the `yaml` package side ---- */

export const RESET_TAG = '!reset';
export const OVERRIDE_TAG = '!override';

type ToJSContext = Parameters<YAMLSeq['toJSON']>[1];

type NodeClass = NonNullable<CollectionTag['nodeClass']>;
interface OverrideClasses {
  map: NodeClass;
  seq: NodeClass;
}
let overrideClasses: OverrideClasses | undefined;

// `yaml` builds tagged collections with the tag's nodeClass; overriding toJSON is the one hook that
// makes `doc.toJS()` return the marker, with anchors and merge keys inside still resolved by `yaml`.
// The classes extend `yaml`'s, so they are made when `yaml` first asks for them (see yaml-lib.ts).
function overrideNodeClasses(): OverrideClasses {
  if (!overrideClasses) {
    const lib = yamlLib();
    class OverrideMap extends lib.YAMLMap {
      override toJSON(key?: unknown, ctx?: ToJSContext): unknown {
        return overrideMarker(super.toJSON(key, ctx));
      }
    }
    class OverrideSeq extends lib.YAMLSeq {
      override toJSON(key?: unknown, ctx?: ToJSContext): unknown[] {
        // yaml's type says a sequence becomes an array; toJS hands on whatever toJSON returns as it is.
        return overrideMarker(super.toJSON(key, ctx)) as unknown as unknown[];
      }
    }
    overrideClasses = { map: OverrideMap, seq: OverrideSeq };
  }
  return overrideClasses;
}

const resetScalar: ScalarTag = { tag: RESET_TAG, resolve: () => RESET };
const resetMap: CollectionTag = { tag: RESET_TAG, collection: 'map', resolve: () => RESET };
const resetSeq: CollectionTag = { tag: RESET_TAG, collection: 'seq', resolve: () => RESET };
// compose-go decodes a tagged scalar as the string it spells (`!override 3` is "3").
const overrideScalar: ScalarTag = { tag: OVERRIDE_TAG, resolve: (text) => overrideMarker(text) };
const overrideMap: CollectionTag = {
  tag: OVERRIDE_TAG,
  collection: 'map',
  get nodeClass() {
    return overrideNodeClasses().map;
  },
};
const overrideSeq: CollectionTag = {
  tag: OVERRIDE_TAG,
  collection: 'seq',
  get nodeClass() {
    return overrideNodeClasses().seq;
  },
};

/**
 * `customTags` for `yaml`'s `parse`/`parseDocument`: `!reset` and `!override` on scalars, maps and
 * sequences, without "Unresolved tag" warnings, and `toJS()` yields the markers above.
 */
export const composeTags: Array<ScalarTag | CollectionTag> = [
  resetScalar,
  resetMap,
  resetSeq,
  overrideScalar,
  overrideMap,
  overrideSeq,
];
