#!/usr/bin/env node
/**
 * Bytes allocated by one loadProject + desiredState of the 1,000-service file, by V8's sampling heap
 * profiler (objects later collected included): the young-generation collections the loader pays for
 * follow from this figure, and unlike wall time it barely moves with the machine's load. With another
 * build of @orc/spec (as for side-by-side.mjs), both are sampled; the functions that allocate most
 * are listed for this tree's build. Prints a table; asserts nothing.
 *
 *   node bench/spec/allocations.mjs [.before/dist] [loads=10]
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { composeText } from './load.bench.mjs';

const [otherDir, loadsArg] = process.argv.slice(2);
const LOADS = Number(loadsArg || 10);
const builds = [
  ...(otherDir ? [['before', await import(pathToFileURL(resolve(otherDir, 'index.js')).href)]] : []),
  ['after', await import('@orc/spec')],
];
const dir = mkdtempSync(join(tmpdir(), 'orc-alloc-'));
writeFileSync(join(dir, 'compose.yaml'), composeText(1000));
const once = async (spec) => {
  const r = await spec.loadProject({ workingDir: dir, env: { TAG: '1' }, projectName: 'bench' });
  if (!r.ok) throw new Error('the generated project did not load');
  spec.desiredState(r.project);
};
const session = new Session();
session.connect();
const label = (cf) =>
  `${cf.functionName || '(anonymous)'} ${cf.url.split('/').slice(-2).join('/')}:${cf.lineNumber + 1}`;
const results = [];
for (const [name, spec] of builds) {
  for (let i = 0; i < 3; i++) await once(spec);
  await session.post('HeapProfiler.startSampling', {
    samplingInterval: 4096,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  });
  for (let i = 0; i < LOADS; i++) await once(spec);
  const { profile } = await session.post('HeapProfiler.stopSampling');
  const self = new Map();
  let total = 0;
  // A built-in (`keys`, `entries`, `Set`) is named with its caller: which `Object.keys` allocates is the
  // question to answer.
  const walk = (node, parent) => {
    total += node.selfSize;
    const own = label(node.callFrame);
    const k = node.callFrame.url === '' && parent ? `${node.callFrame.functionName} ← ${parent}` : own;
    self.set(k, (self.get(k) ?? 0) + node.selfSize);
    for (const c of node.children) walk(c, node.callFrame.url === '' ? parent : own);
  };
  walk(profile.head, '');
  results.push([name, total / LOADS, self]);
}
rmSync(dir, { recursive: true, force: true });
const mb = (bytes) => (bytes / 1e6).toFixed(1);
console.log(
  `# Allocated per load + desired state, 1,000 services (${LOADS} loads sampled; node ${process.version})\n`,
);
console.log(`| build | MB a load |\n| --- | ---: |`);
for (const [name, perLoad] of results) console.log(`| ${name} | ${mb(perLoad)} |`);
const [, , self] = results[results.length - 1];
console.log(`\nMost allocating functions (this tree's build, MB a load, self):\n`);
for (const [k, bytes] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 25)) {
  console.log(`- ${mb(bytes / LOADS)} ${k}`);
}
