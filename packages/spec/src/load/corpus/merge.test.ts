/**
 * Every case of compose-go's merge vectors through our `mergeCompose` (+ `enforceUnicity` where the
 * Go test runs it), and every unicity case through `enforceUnicity`. Trees come from the `yaml`
 * package (core schema, like go-yaml: `1` is a number, `"1"` a string, an empty value null);
 * mapping key order is not compared, sequence order is.
 *
 * No case is treated differently. Our deliberate differences from compose-go lie outside these
 * vectors and have their own tests in merge.test.ts (short/long port syntax unified, IPAM configs
 * keyed by subnet, map/list mismatches reported instead of failing the load).
 */

import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { enforceUnicity, type MergeProblem, mergeCompose } from '../merge.js';
import { composeGoCorpusAvailable, corpusTitle, mergeVectors } from './compose-go.js';

const vectors = mergeVectors();
const yaml = (text: string): unknown => parse(text);

describe.skipIf(!composeGoCorpusAvailable())(corpusTitle('compose-go merge vectors'), () => {
  it('has the documented number of cases', () => {
    expect(vectors.cases).toHaveLength(67);
    expect(vectors.unicityCases).toHaveLength(4);
  });

  it.each(vectors.cases)('mergeCompose: $name', (c) => {
    const problems: MergeProblem[] = [];
    const base = yaml(c.base);
    const override = yaml(c.override);
    let merged = mergeCompose(base, override, problems);
    if (c.enforceUnicity) merged = enforceUnicity(merged, problems);
    expect(problems).toEqual([]);
    expect(merged).toEqual(yaml(c.expected));
    // Inputs are left as they were.
    expect(base).toEqual(yaml(c.base));
    expect(override).toEqual(yaml(c.override));
  });

  it.each(vectors.unicityCases)('enforceUnicity: $name', (c) => {
    const problems: MergeProblem[] = [];
    expect(enforceUnicity(yaml(c.input), problems)).toEqual(yaml(c.expected));
    expect(problems).toEqual([]);
  });
});
