import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, canonicalJsonWithoutEmpty } from './canonical.js';

/** The reference: a copy with keys sorted at every level, written by JSON.stringify. */
function sortedCopy(value: unknown, dropEmpty: boolean): unknown {
  if (Array.isArray(value)) return value.map((v) => sortedCopy(v, dropEmpty));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const v = sortedCopy((value as Record<string, unknown>)[key], dropEmpty);
    const text = JSON.stringify(v);
    if (dropEmpty && (text === '{}' || text === '[]')) continue;
    // JSON.stringify would drop it too; defining it keeps `__proto__` an own key.
    Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

// Any UTF-16 text, lone surrogates, quotes, backslashes and control characters included.
const text = fc.string({ unit: 'binary', maxLength: 6 });
const tree = fc.letrec((tie) => ({
  node: fc.oneof(
    { depthSize: 'small' },
    text,
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.constant(undefined),
    fc.array(tie('node'), { maxLength: 4 }),
    fc.dictionary(text, tie('node'), { maxKeys: 5 }),
  ),
})).node;

describe('canonicalJson', () => {
  it('writes what JSON.stringify writes of a copy with sorted keys, whatever the keys hold', () => {
    fc.assert(
      fc.property(tree, (value) => {
        expect(canonicalJson(value)).toBe(JSON.stringify(sortedCopy(value, false)) ?? 'null');
      }),
      { numRuns: 2000 },
    );
  });

  it('drops empty maps and lists as member values only', () => {
    expect(canonicalJsonWithoutEmpty({ b: {}, a: [], c: [{}, []], d: { e: {} } })).toBe('{"c":[{},[]]}');
    fc.assert(
      fc.property(fc.dictionary(text, tree, { maxKeys: 5 }), (value) => {
        expect(canonicalJsonWithoutEmpty(value)).toBe(JSON.stringify(sortedCopy(value, true)));
      }),
      { numRuns: 2000 },
    );
  });

  it('writes the same bytes when the remembered member prefixes are refilled (many distinct keys)', () => {
    const value = { 'x"y': 1, b: { a: 2 }, a: 'q' };
    const before = canonicalJson(value);
    const many: Record<string, number> = {};
    for (let i = 0; i < 5000; i++) many[`k${i}`] = i;
    expect(canonicalJson(many)).toBe(JSON.stringify(sortedCopy(many, false)));
    expect(canonicalJson(value)).toBe(before);
    expect(before).toBe('{"a":"q","b":{"a":2},"x\\"y":1}');
  });
});
