import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sortBy, sortStrings } from './sort.js';

// Lengths on both sides of the insertion-sort bound, any UTF-16 (surrogates, case, digits).
const strings = fc.array(fc.string({ unit: 'binary', maxLength: 6 }), { maxLength: 60 });

describe('sortStrings', () => {
  it('orders as the built-in sort does, in place', () => {
    fc.assert(
      fc.property(strings, (items) => {
        const expected = [...items].sort();
        const copy = [...items];
        expect(sortStrings(copy)).toBe(copy);
        expect(copy).toEqual(expected);
      }),
    );
  });

  it('sorts by code unit, not by locale', () => {
    expect(sortStrings(['b', 'B', 'a', '\u00e9', 'Z', '10', '9'])).toEqual([
      '10',
      '9',
      'B',
      'Z',
      'a',
      'b',
      '\u00e9',
    ]);
  });
});

describe('sortBy', () => {
  it('orders and keeps ties in place as the built-in stable sort does', () => {
    const items = fc.array(fc.record({ key: fc.integer({ min: 0, max: 5 }), at: fc.nat() }), {
      maxLength: 60,
    });
    fc.assert(
      fc.property(items, (list) => {
        const compare = (a: { key: number }, b: { key: number }) => a.key - b.key;
        expect(sortBy([...list], compare)).toEqual([...list].sort(compare));
      }),
    );
  });
});
