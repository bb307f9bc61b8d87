import { describe, expect, it } from 'vitest';
import { estimateNesting } from './nesting.js';
import { parseComposeYaml } from './yaml.js';

describe('estimateNesting (an upper bound read before parsing)', () => {
  it.each<[string, string, number]>([
    ['flat', 'a: 1\nb: 2\n', 1],
    ['block maps', 'a:\n  b:\n    c: 1\n', 3],
    ['block sequence (an item counts its indentation and its dash)', 'a:\n  - x\n  - y\n', 3],
    ['compact nested sequences', 'a:\n  - - - x\n', 5],
    ['flow', 'a: [[1, {b: [2]}]]\n', 5],
    ['brackets in double quotes do not count', 'a: "[[[[[["\n', 1],
    ['brackets in single quotes do not count', "a: '[[[[''[['\n", 1],
    ['brackets in comments do not count', 'a: 1 # [[[[[[\n', 1],
    ['an apostrophe inside a word does not hide what follows', "a: it's\nb: [[[[1]]]]\n", 5],
    ['dedent pops levels', 'a:\n  b:\n    c: 1\nd: 1\n', 3],
  ])('%s', (_, text, expected) => {
    expect(estimateNesting(text)).toBe(expected);
  });

  it.each([
    ['100,000 flow brackets', `x: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`],
    ['100,000 flow maps', `x: ${'{a: '.repeat(100_000)}1${'}'.repeat(100_000)}\n`],
    ['50,000 compact sequences', `x:\n  ${'- '.repeat(50_000)}1\n`],
  ])('%s are refused before the parser runs', (_, text) => {
    const r = parseComposeYaml('f.yaml', text);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.errors[0]?.code).toBe('YAML_LIMIT');
      expect(r.errors[0]?.message).toMatch(/nests about \d+ levels/);
    }
  });
});
