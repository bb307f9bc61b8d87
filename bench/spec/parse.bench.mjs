#!/usr/bin/env node
/**
 * The YAML parse alone on the loader benchmark's generated file: `yaml`'s parseDocument (positions
 * kept, what the loader used before) against `js-yaml`'s load (plain data). Median and min of N runs
 * after one warm-up; asserts nothing.
 *
 *   node bench/spec/parse.bench.mjs [services=1000] [runs=20]
 */
import { performance } from 'node:perf_hooks';
import { load } from 'js-yaml';
import { parseDocument } from 'yaml';
import { composeText } from './load.bench.mjs';

const count = Number(process.argv[2] || 1000);
const runs = Number(process.argv[3] || 20);
const text = composeText(count);

function time(fn) {
  const samples = [];
  for (let i = 0; i <= runs; i++) {
    const t0 = performance.now();
    fn();
    if (i > 0) samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  return `${samples[0].toFixed(1)} / ${samples[Math.floor(samples.length / 2)].toFixed(1)} ms`;
}

console.log(
  `${count} services, ${(Buffer.byteLength(text) / 1024).toFixed(0)} KiB, ${runs} runs (min / median)`,
);
console.log(`yaml parseDocument:  ${time(() => parseDocument(text, { merge: true, uniqueKeys: false }))}`);
console.log(`js-yaml load:        ${time(() => load(text))}`);
