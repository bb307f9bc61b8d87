import { describe, expect, it } from 'vitest';
import { parseByteSize, parseDuration } from './units.js';

describe('parseDuration (nanoseconds)', () => {
  it.each([
    ['1m30s', 90e9],
    ['10s', 10e9],
    ['1h', 3600e9],
    ['500ms', 5e8],
    ['1.5s', 1.5e9],
    ['2h45m', 2 * 3600e9 + 45 * 60e9],
    ['100us', 1e5],
    ['7ns', 7],
    ['0', 0],
    ['30', 30e9],
    [5, 5e9],
    ['1m0.5s', 60.5e9],
  ])('%s → %d', (input, expected) => {
    expect(parseDuration(input)).toBe(expected);
  });

  it.each([['ten seconds'], ['10 s'], ['1x'], ['-5s'], [''], ['s'], [true], [null]])(
    'rejects %s',
    (input) => {
      expect(parseDuration(input)).toBeUndefined();
    },
  );
});

describe('parseByteSize (bytes)', () => {
  it.each([
    ['512m', 512 * 1024 ** 2],
    ['1g', 1024 ** 3],
    ['100k', 102400],
    ['1024', 1024],
    [2048, 2048],
    ['50M', 50 * 1024 ** 2],
    ['20G', 20 * 1024 ** 3],
    ['1gb', 1024 ** 3],
    ['1.5g', 1.5 * 1024 ** 3],
    ['64MiB', 64 * 1024 ** 2],
    ['10b', 10],
    ['1.5', 1],
  ])('%s → %d', (input, expected) => {
    expect(parseByteSize(input)).toBe(expected);
  });

  it.each([['lots'], ['1x'], ['-1m'], [1.5], ['m'], ['1ib']])('rejects %s', (input) => {
    expect(parseByteSize(input)).toBeUndefined();
  });
});
