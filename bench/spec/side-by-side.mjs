#!/usr/bin/env node
/**
 * Two builds of @orc/spec side by side in one process, runs alternating (so the machine's load falls
 * on both alike): loadProject + desiredState on the bench's generated projects of 100 and 1,000
 * services, and the config hashes alone (computed again after each run). Prints min / median ms per
 * figure and ✓/✗ against the target (load + desired ≤ 80 ms median at 1,000 services, issue 17
 * item 1); asserts nothing.
 *
 *   # a copy of another tree's build, e.g. main's, inside this checkout (so its imports resolve):
 *   cp -r ../main/packages/spec/dist .before/dist
 *   node bench/spec/side-by-side.mjs .before/dist [runs]
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { composeText } from './load.bench.mjs';

const [beforeDir, runsArg] = process.argv.slice(2);
if (!beforeDir) {
  console.error('usage: node bench/spec/side-by-side.mjs <other build of packages/spec/dist> [runs]');
  process.exit(2);
}
const RUNS = Number(runsArg || 15);
const TARGET_MS = 80;
const builds = [
  ['before', await import(pathToFileURL(resolve(beforeDir, 'index.js')).href)],
  ['after', await import('@orc/spec')],
];
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const minMed = (a) => {
  const s = [...a].sort((x, y) => x - y);
  return [s[0], s[s.length >> 1]];
};
const fmt = ([min, med]) => `${min.toFixed(1)} / ${med.toFixed(1)}`;

console.log(
  `# @orc/spec side by side (${RUNS} runs each, alternating, after 1 warm-up; node ${process.version})\n`,
);
console.log('| services | figure | before (min / median ms) | after (min / median ms) |');
console.log('| ---: | --- | ---: | ---: |');
for (const count of [100, 1000]) {
  const dir = mkdtempSync(join(tmpdir(), 'orc-sbs-'));
  writeFileSync(join(dir, 'compose.yaml'), composeText(count));
  const times = Object.fromEntries(
    builds.map(([name]) => [name, { load: [], desired: [], both: [], cpu: [], hashes: [] }]),
  );
  for (let r = -1; r < RUNS; r++) {
    const order = r % 2 === 0 ? builds : [...builds].reverse();
    for (const [name, spec] of order) {
      const c0 = cpuMs();
      const t0 = performance.now();
      const loaded = await spec.loadProject({ workingDir: dir, env: { TAG: '1' }, projectName: 'bench' });
      const t1 = performance.now();
      if (!loaded.ok) throw new Error(`${name}: the generated project did not load`);
      spec.desiredState(loaded.project);
      const t2 = performance.now();
      const c1 = cpuMs();
      const c1Wall = performance.now();
      // The config hashes again, alone (canonical JSON + sha256 of every definition): the part of the
      // desired state a writer change moves, without the rest's noise.
      for (const service of Object.values(loaded.project.services)) spec.serviceHash(service, loaded.project);
      const t3 = performance.now();
      if (r < 0) continue;
      const t = times[name];
      t.load.push(t1 - t0);
      t.desired.push(t2 - t1);
      t.both.push(t2 - t0);
      t.cpu.push(c1 - c0);
      t.hashes.push(t3 - c1Wall);
    }
  }
  rmSync(dir, { recursive: true, force: true });
  const rows = [
    ['load + normalise', 'load'],
    ['desired state incl. hashes', 'desired'],
    ['**load + desired**', 'both'],
    ['load + desired, process CPU', 'cpu'],
    ['config hashes alone, again (not in the figures above)', 'hashes'],
  ];
  for (const [label, key] of rows) {
    const after = minMed(times.after[key]);
    const mark =
      count === 1000 && key === 'both' ? ` ${after[1] <= TARGET_MS ? '✓' : '✗'} (≤ ${TARGET_MS})` : '';
    console.log(`| ${count} | ${label} | ${fmt(minMed(times.before[key]))} | ${fmt(after)}${mark} |`);
  }
}
