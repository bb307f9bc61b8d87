import * as crypto from 'node:crypto';
import { sortStrings } from './sort.js';

/**
 * JSON with object keys sorted at every level, so that the same data gives the same bytes whatever
 * order its keys were written (or merged) in. Arrays keep their order: in compose it is meaningful.
 * `undefined` members are dropped, as JSON.stringify does.
 */
export function canonicalJson(value: unknown): string {
  return write(value, false) ?? 'null';
}

/**
 * Like canonicalJson, and an empty map or list as a member value counts as absent (so
 * `environment: {}` and no environment give the same bytes). Array items are kept as they are.
 */
export function canonicalJsonWithoutEmpty(value: unknown): string {
  return write(value, true) ?? 'null';
}

const EMPTY_OBJECT = '{}';
const EMPTY_ARRAY = '[]';

/** Whether JSON.stringify would quote `key` as it is: no quote, backslash, control character or surrogate. */
function plainKey(key: string): boolean {
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c || (c >= 0xd800 && c <= 0xdfff)) return false;
  }
  return true;
}

/**
 * What goes before a member's value: `{"key":` for a map's first member, `,"key":` for the others.
 * The same keys come back in every service (`image`, `environment`, ...): kept, each member is one
 * concatenation instead of four (a new string each: ~25 % less time writing and hashing the 1,000
 * definitions of bench/spec, side by side). Bounded: a file with many distinct keys only refills it.
 */
const firstMember = new Map<string, string>();
const nextMember = new Map<string, string>();
const MAX_KEYS = 4096;

function memberPrefix(key: string, first: boolean): string {
  const known = (first ? firstMember : nextMember).get(key);
  if (known !== undefined) return known;
  if (firstMember.size >= MAX_KEYS) {
    firstMember.clear();
    nextMember.clear();
  }
  const quoted = plainKey(key) ? key : JSON.stringify(key).slice(1, -1);
  firstMember.set(key, `{"${quoted}":`);
  nextMember.set(key, `,"${quoted}":`);
  return first ? `{"${quoted}":` : `,"${quoted}":`;
}

/**
 * One pass, straight to text: this runs for every service of every plan, so it avoids building
 * copies. Keys are quoted by hand when JSON.stringify would only add the quotes, and a map of one key
 * is not sorted (the profile of 1,000 services had this writer at ~25 ms a desired state).
 */
function write(value: unknown, dropEmpty: boolean): string | undefined {
  if (value === undefined || typeof value === 'function' || typeof value === 'symbol') return undefined;
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ',';
      out += write(value[i], dropEmpty) ?? 'null';
    }
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  if (keys.length > 1) sortStrings(keys);
  let out: string | undefined;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    const text = write(record[key], dropEmpty);
    if (text === undefined) continue;
    if (dropEmpty && (text === EMPTY_OBJECT || text === EMPTY_ARRAY)) continue;
    if (out === undefined) out = memberPrefix(key, true) + text;
    else out += memberPrefix(key, false) + text;
  }
  return out === undefined ? EMPTY_OBJECT : `${out}}`;
}

// Node ≥ 20.12 has the one-shot `crypto.hash`: about a third cheaper than a Hash object per call, and
// the desired state hashes every service (the same bytes either way; `engines` still allows 20.0).
const oneShot: typeof crypto.hash | undefined = typeof crypto.hash === 'function' ? crypto.hash : undefined;

export function sha256Hex(text: string): string {
  return oneShot ? oneShot('sha256', text, 'hex') : crypto.createHash('sha256').update(text).digest('hex');
}

/** Sorted copy of a string map (for bodies whose key order is not meaningful). */
export function sortedRecord<T>(record: Record<string, T> | undefined): Record<string, T> {
  const out: Record<string, T> = {};
  if (!record) return out;
  for (const key of sortStrings(Object.keys(record))) out[key] = record[key] as T;
  return out;
}
