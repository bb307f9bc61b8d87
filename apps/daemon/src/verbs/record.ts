/** Comparing project records and option maps by content (key order and `undefined` fields aside). */
import { createHash } from 'node:crypto';
import type { DesiredState } from '@orc/spec';
import type { ProjectRecord } from '../store/store.js';

export function sameJson(a: unknown, b: unknown): boolean {
  return stableJson(a) === stableJson(b);
}

export function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${stableJson(x)}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

/**
 * The same record apart from its `updatedAt`: rewriting it would only cost an fsync. The desired states
 * (the bulk of a record) are compared by digest, each computed once per object: a no-op `up` compares
 * the kept desired state with the stored record's (the store's cached object), so neither is serialised.
 */
export function sameRecord(a: ProjectRecord, b: ProjectRecord): boolean {
  const { updatedAt: _a, desired: da, ...ra } = a;
  const { updatedAt: _b, desired: db, ...rb } = b;
  return sameDesired(da, db) && stableJson(ra) === stableJson(rb);
}

function sameDesired(a: DesiredState | undefined, b: DesiredState | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || hashesDiffer(a, b)) return false;
  return desiredDigest(a) === desiredDigest(b);
}

/**
 * Whether a config hash (a field of each service, network and volume) already tells the two apart: what
 * an edited file usually changes, answered without serialising a desired state (~12 ms at 100 services,
 * on the way to a change-one's first engine call). Equal hashes prove nothing: the digest decides.
 */
function hashesDiffer(a: DesiredState, b: DesiredState): boolean {
  const differ = (x: readonly { hash: string }[], y: readonly { hash: string }[]) =>
    x.length !== y.length || x.some((item, i) => item.hash !== y[i]?.hash);
  return differ(a.services, b.services) || differ(a.networks, b.networks) || differ(a.volumes, b.volumes);
}

const digests = new WeakMap<DesiredState, string>();

/** sha256 of the desired state's stable JSON, once per object (desired states are never changed in place). */
export function desiredDigest(d: DesiredState): string {
  let digest = digests.get(d);
  if (digest === undefined) {
    digest = createHash('sha256').update(stableJson(d)).digest('base64');
    digests.set(d, digest);
  }
  return digest;
}

export function omit(record: Record<string, number>, keys: string[]): Record<string, number> {
  return Object.fromEntries(Object.entries(record).filter(([k]) => !keys.includes(k)));
}
