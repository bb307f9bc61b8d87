/**
 * The fast path of `parseComposeYaml`: `js-yaml` to plain data, ~10× faster than `yaml`'s
 * position-keeping parse of the same file (bench/spec/parse.bench.mjs). It answers only when it is
 * sure to give what the `yaml` path would give; otherwise it declines and the caller parses with
 * `yaml` (whose errors, warnings and limit messages are the reference, located). It declines on:
 * - anything `js-yaml` throws or warns about (syntax, duplicate keys, unknown tags, undefined aliases);
 * - `%` directives (`%YAML 1.1` changes scalar rules), `!!`/`!<…>` explicit tags, complex keys
 *   (`? …`, a flow collection or an alias before `:`), a quoted `"<<"` key, null keys (`yaml` names
 *   them "", `js-yaml` "null"), a comment glued to a quote or bracket and a line over 1,024
 *   characters (`yaml` refuses the first and implicit keys that long);
 * - an alias written inside an anchored node, or more than 10,000 aliases: `yaml`'s `maxAliasCount`
 *   depends on how aliases nest, which plain data no longer shows;
 * - an expansion (nodes, depth) over half the limits, so that the exact count and message are
 *   `yaml`'s;
 * - a merge key (`<<`) whose value is not a map or a list of maps.
 */
import { FAILSAFE_SCHEMA, type LoadOptions, load, type Schema, type State, Type } from 'js-yaml';
import { isOverride, isReset, OVERRIDE_TAG, overrideMarker, RESET_TAG, resetMarker } from './tags.js';

/** The bounds of yaml.ts's `YamlLimits` that the expansion is measured against. */
export interface ExpansionLimits {
  maxNodes: number;
  maxDepth: number;
}

/** `markers`: the tree holds `!reset`/`!override` markers (when false, callers skip looking for them). */
export type FastParse = { ok: true; tree: unknown; markers: boolean } | { ok: false; reason: string };

// Markers made by the load in progress (js-yaml's `load` is synchronous: one load at a time).
let markersMade = 0;
const made = <T>(marker: T): T => {
  markersMade++;
  return marker;
};

/**
 * Whether a plain scalar may be a number (a digit, a sign, or for floats a dot first): most plain
 * scalars are words, and this spares them the patterns below (~3 ms a load on 1,000 services, profiled).
 */
function startsNumber(s: string, dot: boolean): boolean {
  const c = s.charCodeAt(0);
  return (c >= 48 && c <= 57) || c === 43 || c === 45 || (dot && c === 46);
}

// `js-yaml` keeps one type per tag and kind: each of `yaml`'s core tags (plus compose's octal `0440`,
// tried first as in yaml.ts) becomes one type that tries `yaml`'s patterns in `yaml`'s order.
const nullType = new Type('tag:yaml.org,2002:null', {
  kind: 'scalar',
  resolve: (s: string) => (s === '' || '~nN'.includes(s[0]!)) && /^(?:~|[Nn]ull|NULL)?$/.test(s),
  construct: () => null,
});
const boolType = new Type('tag:yaml.org,2002:bool', {
  kind: 'scalar',
  resolve: (s: string) => 'tTfF'.includes(s[0]!) && /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/.test(s),
  construct: (s: string) => s[0] === 't' || s[0] === 'T',
});
const intType = new Type('tag:yaml.org,2002:int', {
  kind: 'scalar',
  resolve: (s: string) =>
    startsNumber(s, false) && /^(?:0[0-7]+|0o[0-7]+|[-+]?[0-9]+|0x[0-9a-fA-F]+)$/.test(s),
  construct: (s: string) => {
    if (/^0[0-7]+$/.test(s)) return Number.parseInt(s, 8);
    if (s.startsWith('0o')) return Number.parseInt(s.slice(2), 8);
    if (s.startsWith('0x')) return Number.parseInt(s.slice(2), 16);
    return Number.parseInt(s, 10);
  },
});
const floatType = new Type('tag:yaml.org,2002:float', {
  kind: 'scalar',
  resolve: (s: string) =>
    startsNumber(s, true) &&
    (/^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/.test(s) ||
      /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/.test(s) ||
      /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/.test(s)),
  construct: (s: string) => {
    if (/^[-+]?\.(?:inf|Inf|INF)$/.test(s)) return s[0] === '-' ? -Infinity : Infinity;
    if (/^\.(?:nan|NaN|NAN)$/.test(s)) return Number.NaN;
    return Number.parseFloat(s);
  },
});

// The scalar variant of each tag comes last: an empty tagged node (`ports: !reset`) takes the last
// type registered for its tag, and `yaml` reads an empty node as an empty scalar.
const composeTagTypes = [
  ...(['sequence', 'mapping', 'scalar'] as const).map(
    (kind) => new Type(RESET_TAG, { kind, resolve: () => true, construct: () => made(resetMarker()) }),
  ),
  new Type(OVERRIDE_TAG, { kind: 'sequence', construct: (v: unknown) => made(overrideMarker(v ?? [])) }),
  new Type(OVERRIDE_TAG, { kind: 'mapping', construct: (v: unknown) => made(overrideMarker(v ?? {})) }),
  // compose-go decodes a tagged scalar as the string it spells (`!override 3` is "3").
  new Type(OVERRIDE_TAG, {
    kind: 'scalar',
    resolve: () => true,
    construct: (v: unknown) => made(overrideMarker(v ?? '')),
  }),
];

const implicit = [nullType, boolType, intType, floatType];
const plainSchema: Schema = FAILSAFE_SCHEMA.extend({ implicit });
const composeSchema: Schema = FAILSAFE_SCHEMA.extend({ implicit, explicit: composeTagTypes });

/**
 * The inputs whose reading differs between the parsers, found in the text (a false hit only costs
 * speed). Each pattern has a character it cannot match without: most files lack most of them, and
 * `includes` is far cheaper than a multiline regex over 500 KB.
 */
const DECLINE_TEXT: ReadonlyArray<[string, RegExp, string]> = [
  ['%', /^%/m, 'a directive'],
  ['!', /(?:^|[\s[{,])!(?:!|<)/, 'an explicit !! or verbatim tag'],
  ['?', /^[ \t-]*\?(?:[ \t]|$)/m, 'an explicit key'],
  [']', /\][ \t]*:/, 'a flow collection as a key'],
  ['}', /\}[ \t]*:/, 'a flow collection as a key'],
  ['<<', /["']<<["']/, 'a quoted "<<" key'],
  // `yaml` refuses `"a"#c` (a comment must follow a blank); js-yaml takes it as a comment.
  ['#', /["'\]}]#/, 'a comment right after a token'],
];

/**
 * Tried only where the text has a `*` (sticky: at that position), not run over the whole text: a
 * file that merges a common block into 1,000 services has 1,000 of them in 500 KB.
 * An alias as a key (`*a : x`): js-yaml and `yaml` spell a collection key differently.
 */
const ALIAS_AS_KEY = /\*[^\s,[\]{}]+[ \t]+:(?:[ \t]|$)/my;
/** An alias token starts a node: after a line start, a blank or a flow indicator. */
const ALIAS_START = /\*[^\s,[\]{}]/y;
const BEFORE_ALIAS = /[\s[{,]/;

const MAX_ALIASES = 10_000;

interface AnchorState {
  anchor?: string | null;
}

/** Plain data for `text` when `js-yaml` reads it as `yaml` would; otherwise why not. Never throws. */
export function fastParse(text: string, limits: ExpansionLimits, composeTags: boolean): FastParse {
  for (const [needed, re, what] of DECLINE_TEXT) {
    if (text.includes(needed) && re.test(text)) return { ok: false, reason: what };
  }
  const aliases = aliasPositions(text);
  if (aliases === undefined) return { ok: false, reason: 'an alias as a key' };
  // `yaml` refuses an implicit key longer than 1,024 characters; js-yaml takes it. Only a line that
  // long can hold one.
  if (hasLineLongerThan(text, 1024)) return { ok: false, reason: 'a line over 1,024 characters' };
  if (aliases.length > MAX_ALIASES) return { ok: false, reason: 'more than 10,000 aliases' };

  // Anchored nodes: their text span (an alias inside one means nested aliases) and their value
  // (the one object many paths share, measured once).
  const spans: Array<[number, number]> = [];
  const anchored = new Set<object>();
  const opened: number[] = [];
  const options: LoadOptions & { maxDepth: number } = {
    schema: composeTags ? composeSchema : plainSchema,
    maxDepth: limits.maxDepth + 1,
    onWarning: (e) => {
      throw e;
    },
  };
  if (aliases.length > 0) {
    options.listener = (event: 'open' | 'close', state: State): void => {
      if (event === 'open') {
        opened.push(state.position);
        return;
      }
      const start = opened.pop() ?? 0;
      if ((state as State & AnchorState).anchor) {
        spans.push([start, state.position]);
        const r: unknown = state.result;
        if (r !== null && typeof r === 'object') anchored.add(r);
      }
    };
  }
  let raw: unknown;
  markersMade = 0;
  try {
    raw = load(text, options);
  } catch (err) {
    return { ok: false, reason: err instanceof Error ? err.message : String(err) };
  }
  if (aliases.length > 0 && aliasInsideAnchor(aliases, spans)) {
    return { ok: false, reason: 'an alias inside an anchored node' };
  }
  try {
    const tree = expand(raw, anchored, limits, markersMade > 0);
    return { ok: true, tree: tree === undefined ? null : tree, markers: markersMade > 0 };
  } catch (err) {
    // Decline, or anything unforeseen (a stack overflow on some odd shape): the `yaml` path, with its
    // limits, is the answer either way.
    return { ok: false, reason: err instanceof Error ? err.message : String(err) };
  }
}

/** Where alias tokens start (each `*`), in text order; `undefined` when an alias is used as a key. */
export function aliasPositions(text: string): number[] | undefined {
  const out: number[] = [];
  for (let at = text.indexOf('*'); at >= 0; at = text.indexOf('*', at + 1)) {
    ALIAS_AS_KEY.lastIndex = at;
    if (ALIAS_AS_KEY.test(text)) return undefined;
    if (at > 0 && !BEFORE_ALIAS.test(text[at - 1]!)) continue;
    ALIAS_START.lastIndex = at;
    if (ALIAS_START.test(text)) out.push(at);
  }
  return out;
}

function hasLineLongerThan(text: string, max: number): boolean {
  let start = 0;
  for (;;) {
    const end = text.indexOf('\n', start);
    if ((end < 0 ? text.length : end) - start > max) return true;
    if (end < 0) return false;
    start = end + 1;
  }
}

function aliasInsideAnchor(aliases: readonly number[], spans: Array<[number, number]>): boolean {
  if (spans.length === 0) return false;
  spans.sort((a, b) => a[0] - b[0]);
  let s = 0;
  let end = -1;
  // Aliases are in text order; spans are nested or disjoint, so the widest one starting first covers.
  for (const at of aliases) {
    while (s < spans.length && spans[s]![0] <= at) {
      end = Math.max(end, spans[s]![1]);
      s++;
    }
    if (at < end) return true;
  }
  return false;
}

/** Thrown inside the expansion walk to stop at once: the file goes to the `yaml` path. */
class Decline extends Error {}

/**
 * Applies `<<` as `yaml`'s `merge: true` does (the merged maps' keys are inserted where `<<` stands,
 * the first source that has a key wins, the map's own keys win over all of them) while counting
 * nodes and depth after alias expansion as yaml.ts's `walk` counts them on the `yaml` document (a
 * map, each key, each value; `<<` counts as a key and its alias as the whole source). Anchored
 * objects are walked once and remembered, so a "billion laughs" costs its text, not its expansion;
 * the walk stops as soon as half a limit is crossed.
 */
function expand(root: unknown, anchored: Set<object>, limits: ExpansionLimits, markers: boolean): unknown {
  const memo = new Map<object, { value: unknown; nodes: number; depth: number }>();
  const maxNodes = limits.maxNodes / 2;
  const maxDepth = limits.maxDepth / 2;
  let nodes = 0;
  // The expanded depth of the value `visit` returned last (a scalar is 1, as in yaml.ts).
  let depth = 0;
  const count = (n: number): void => {
    nodes += n;
    if (nodes > maxNodes) throw new Decline('close to the node limit');
  };
  const visit = (v: unknown): unknown => {
    if (v === null || typeof v !== 'object') {
      count(1);
      depth = 1;
      return v;
    }
    if (markers) {
      if (isReset(v)) {
        count(1);
        depth = 1;
        return v;
      }
      if (isOverride(v)) {
        const inner = visit(v.value);
        return inner === v.value ? v : overrideMarker(inner);
      }
    }
    if (!anchored.has(v)) return collection(v);
    const known = memo.get(v);
    if (known) {
      count(known.nodes);
      depth = known.depth;
      return known.value;
    }
    const before = nodes;
    const value = collection(v);
    memo.set(v, { value, nodes: nodes - before, depth });
    return value;
  };
  const collection = (v: object): unknown => {
    count(1);
    let d = 1;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        v[i] = visit(v[i]);
        if (depth + 1 > d) d = depth + 1;
      }
    } else {
      const o = v as Record<string, unknown>;
      const keys = Object.keys(o);
      let merged: Record<string, unknown> | undefined;
      for (let i = 0; i < keys.length; i++) {
        const k = keys[i]!;
        // `yaml` names a null key "" where js-yaml says "null"; collection keys are spelled apart too.
        if (k === 'null' || k === '[object Object]') throw new Decline('a null or collection key');
        count(1);
        const value = visit(o[k]);
        if (depth + 1 > d) d = depth + 1;
        if (k === '<<') {
          merged ??= copyUpTo(o, keys, i);
          mergeInto(merged, value);
        } else if (merged) merged[k] = value;
        else o[k] = value;
      }
      if (merged) {
        if (d > maxDepth) throw new Decline('close to the depth limit');
        depth = d;
        return merged;
      }
    }
    if (d > maxDepth) throw new Decline('close to the depth limit');
    depth = d;
    return v;
  };
  return visit(root);
}

/** The keys before the first `<<`, in order: a map that merges is rebuilt so merged keys sit at `<<`. */
function copyUpTo(o: Record<string, unknown>, keys: readonly string[], end: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let i = 0; i < end; i++) out[keys[i]!] = o[keys[i]!];
  return out;
}

function mergeInto(out: Record<string, unknown>, value: unknown): void {
  const sources = Array.isArray(value) ? value : [value];
  for (const src of sources) {
    if (src === null || typeof src !== 'object' || Array.isArray(src) || isReset(src) || isOverride(src)) {
      throw new Decline('a merge key whose value is not a map');
    }
    const s = src as Record<string, unknown>;
    const keys = Object.keys(s);
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]!;
      if (!Object.hasOwn(out, k)) out[k] = s[k];
    }
  }
}
