#!/usr/bin/env node
/**
 * The daemon's whole no-op `up` of N services in process (`createCore().up`, then its operation's end),
 * over an engine that answers from memory: no engine latency, no HTTP, no CLI. The project is the stack
 * of `bench/compare/stack.mjs`, read from a file as the CLI sends it; the engine holds what its cold up
 * made (the plan simulator's result, every container running). CPU time of this process, medians of R,
 * after one warm-up `up` that writes the record. `node --cpu-prof` profiles it; ORC_BENCH_WINDOWS=FILE
 * writes the timed ups' windows for `bench/compare/cpuprofile.mjs PROFILE 30 FILE 'no-op up'`.
 *
 *   [ORC_BENCH_BEFORE=DIR] node bench/daemon/noop-up.mjs [sizes=100,1000] [reps=15]
 *
 * The supervisor is off here, so the observed cache is not fed by events: each read lists (the path a
 * daemon takes while its event stream is down); bench/daemon/noop-plan.mjs times the cache's kept read.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { composeText } from '../compare/stack.mjs';
import { memoryEngine, observedAfterColdUp } from './memory-engine.mjs';
import { bundleSources, cpuMs, root } from './sources.mjs';

const sizes = (process.argv[2] ?? '100,1000').split(',').map(Number);
const reps = Number(process.argv[3] ?? 15);

mkdirSync(join(root, '.orc-dev'), { recursive: true });
const work = mkdtempSync(join(root, '.orc-dev', 'bench-noop-up-'));
/** The daemon's core and the spec from one tree's sources. */
const bundle = (tree, tag) =>
  bundleSources(tree, work, tag, [
    ['createCore', 'apps/daemon/src/verbs/core.ts'],
    ['plan', 'apps/daemon/src/plan/index.ts'],
    ['applyPlan', 'apps/daemon/test/support/plan/simulate.ts'],
    ['desiredState, loadProject', 'packages/spec/src/index.ts'],
  ]);
const m = await bundle(root, 'this');
// ORC_BENCH_BEFORE=DIR: a tree with another version's sources (e.g. `git archive main apps/daemon/src
// apps/daemon/test/support packages/spec/src | tar -x -C DIR`), timed beside this one, rep by rep.
const trees = [{ label: 'this tree', m }];
if (process.env.ORC_BENCH_BEFORE)
  trees.unshift({
    label: `before (${process.env.ORC_BENCH_BEFORE})`,
    m: await bundle(process.env.ORC_BENCH_BEFORE, 'before'),
  });

const upOptions = { pull: 'policy', disabledServices: [], desiredRunState: {}, startExited: true };
const rows = [];
// The timed ups on V8's profile clock (µs), for bench/compare/cpuprofile.mjs: ORC_BENCH_WINDOWS=FILE.
const windows = [];
const nowUs = () => Number(process.hrtime.bigint() / 1000n);
try {
  for (const n of sizes) {
    const project = `orcb-noopup-${n}`;
    const dir = join(work, project);
    mkdirSync(dir);
    const file = join(dir, 'compose.yaml');
    writeFileSync(file, composeText(n, 'one'));
    const source = { workingDir: dir, projectName: project, files: [file], env: { ...process.env } };
    const loaded = await m.loadProject(source);
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors[0]));
    const desired = m.desiredState(loaded.project);
    const observed = observedAfterColdUp(m, project, desired, upOptions);
    const cores = trees.map((t, i) =>
      t.m.createCore({
        engine: memoryEngine(observed),
        stateDir: join(dir, `state-${i}`),
        supervise: false,
        ensureImage: async () => undefined,
        log: { info() {}, warn() {}, error() {}, debug() {} },
      }),
    );
    const up = async (core) => {
      const handle = await core.up(source, { detach: true });
      if (!('record' in handle)) throw new Error(`up failed: ${JSON.stringify(handle).slice(0, 300)}`);
      const done = await handle.done;
      if (done.state !== 'succeeded')
        throw new Error(`up failed: ${JSON.stringify(done.error).slice(0, 300)}`);
      return done;
    };
    for (const core of cores) await up(core);
    const samples = cores.map(() => []);
    const lines = cores.map(() => 0);
    for (let i = 0; i < reps; i++) {
      for (const [k, core] of cores.entries()) {
        const t0 = cpuMs();
        const start = nowUs();
        const done = await up(core);
        windows.push({ label: `no-op up ${n} ${trees[k].label}`, start, end: nowUs() });
        samples[k].push(cpuMs() - t0);
        lines[k] = (done.plan ?? []).length;
      }
    }
    for (const [k, s] of samples.entries()) {
      s.sort((a, b) => a - b);
      rows.push([n, trees[k].label, s[0], s[Math.floor(s.length / 2)], lines[k]]);
    }
    for (const core of cores) await core.close?.();
  }
} finally {
  if (process.env.ORC_BENCH_WINDOWS) writeFileSync(process.env.ORC_BENCH_WINDOWS, JSON.stringify(windows));
  rmSync(work, { recursive: true, force: true });
}
console.log(
  '| services | tree | no-op up CPU min ms | median ms | plan lines |\n| ---: | --- | ---: | ---: | ---: |',
);
for (const [n, tree, min, med, lines] of rows)
  console.log(`| ${n} | ${tree} | ${min.toFixed(1)} | ${med.toFixed(1)} | ${lines} |`);
