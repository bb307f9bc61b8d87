import { createHash } from 'node:crypto';

/**
 * JSON with object keys sorted at every level, so that the same data gives the same bytes whatever
 * order its keys were written (or merged) in. Arrays keep their order: in compose it is meaningful.
 * `undefined` members are dropped, as JSON.stringify does.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : sortKeys(v)));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Sorted copy of a string map (for bodies whose key order is not meaningful). */
export function sortedRecord<T>(record: Record<string, T> | undefined): Record<string, T> {
  const out: Record<string, T> = {};
  if (!record) return out;
  for (const key of Object.keys(record).sort()) out[key] = record[key] as T;
  return out;
}
