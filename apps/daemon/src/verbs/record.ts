/** Comparing project records and option maps by content (key order and `undefined` fields aside). */
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

/** The same record apart from its `updatedAt`: rewriting it would only cost an fsync. */
export function sameRecord(a: ProjectRecord, b: ProjectRecord): boolean {
  const { updatedAt: _a, ...ra } = a;
  const { updatedAt: _b, ...rb } = b;
  return stableJson(ra) === stableJson(rb);
}

export function omit(record: Record<string, number>, keys: string[]): Record<string, number> {
  return Object.fromEntries(Object.entries(record).filter(([k]) => !keys.includes(k)));
}
