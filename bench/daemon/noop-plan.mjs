#!/usr/bin/env node
/**
 * The daemon's in-process share of a no-op `up -d` of N services, without an engine: the desired state
 * of `bench/compare/stack.mjs`'s stack, the observed state the engine would report after its cold up
 * (the plan simulator), then each step a no-op `up` runs between the request and the answer, timed
 * alone (CPU of this process; medians of R). Prints a table; asserts nothing.
 *
 *   node bench/daemon/noop-plan.mjs [sizes=100,1000] [reps=15] [--cpu-prof]
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { composeText } from '../compare/stack.mjs';
import { memoryEngine, observedAfterColdUp } from './memory-engine.mjs';
import { bundleSources, cpuMs, root } from './sources.mjs';

const sizes = (process.argv[2] ?? '100,1000').split(',').map(Number);
const reps = Number(process.argv[3] ?? 15);

mkdirSync(join(root, '.orc-dev'), { recursive: true });
const work = mkdtempSync(join(root, '.orc-dev', 'bench-noop-plan-'));
const m = await bundleSources(root, work, 'this', [
  ['plan, renderPlan', 'apps/daemon/src/plan/index.ts'],
  ['createObservedCache', 'apps/daemon/src/observe/cache.ts'],
  ['applyPlan', 'apps/daemon/test/support/plan/simulate.ts'],
  ['desiredState, loadProject', 'packages/spec/src/index.ts'],
]);
// The bundle is loaded: its directory is not needed any more.
rmSync(work, { recursive: true, force: true });

async function time(fn) {
  const samples = [];
  let out;
  for (let i = 0; i < reps; i++) {
    const t0 = cpuMs();
    out = await fn();
    samples.push(cpuMs() - t0);
  }
  samples.sort((a, b) => a - b);
  return { min: samples[0], median: samples[Math.floor(samples.length / 2)], out };
}

const upOptions = { pull: 'policy', disabledServices: [], desiredRunState: {}, startExited: true };
const rows = [];
for (const n of sizes) {
  const project = `orcb-noopplan-${n}`;
  const loaded = await m.loadProject({
    workingDir: `/tmp/${project}`,
    projectName: project,
    inline: [{ name: 'compose.yaml', content: composeText(n, 'one') }],
    env: {},
  });
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors[0]));
  const desired = m.desiredState(loaded.project).desired ?? m.desiredState(loaded.project);
  const observed = observedAfterColdUp(m, project, desired, upOptions);
  const noop = m.plan(desired, observed, upOptions);
  const p = await time(() => m.plan(desired, observed, upOptions));
  const r = await time(() => m.renderPlan(noop));
  rows.push([n, 'plan (no-op)', p, `${noop.operations.length} ops`]);
  rows.push([n, 'renderPlan', r, `${r.out.length} lines`]);
  // The observed cache (observe/cache.ts) over an engine that answers from memory: the no-op's read.
  const cache = m.createObservedCache({ engine: memoryEngine(observed) });
  cache.connected();
  await cache.read(project, { desired });
  for (
    let i = 0;
    i < 100 && (await cache.read(project, { desired })).containers.some((c) => !c.startedAt);
    i++
  )
    await new Promise((r) => setTimeout(r, 10));
  const c = await time(() => cache.read(project, { desired }));
  rows.push([n, 'observed cache read (kept)', c, `${c.out.containers.length} containers`]);
  const once = await cache.read(project, { desired });
  const pc = await time(() => m.plan(desired, once, upOptions));
  rows.push([
    n,
    'plan (no-op) of a cache read',
    pc,
    `${pc.out.operations.length} ops, ${pc.out.warnings.length} warnings, ${pc.out.errors.length} errors`,
  ]);
  const full = await time(async () => m.plan(desired, await cache.read(project, { desired }), upOptions));
  rows.push([n, 'cache read + plan', full, '']);
}
console.log('| services | step | CPU min ms | CPU median ms | note |\n| ---: | --- | ---: | ---: | --- |');
for (const [n, step, t, note] of rows)
  console.log(`| ${n} | ${step} | ${t.min.toFixed(1)} | ${t.median.toFixed(1)} | ${note} |`);
