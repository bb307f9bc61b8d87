#!/usr/bin/env node
/**
 * The concurrency bound, chosen by measurement (issue 17, item 3): one daemon per `--parallelism` setting
 * (fixed values and `auto`), all started at once, and the engine floor, taking turns (rotated every
 * repetition) on the same stack: cold `up -d`, change one, `down`. Same machine, same minutes: the ratio
 * to the floor's median is what compares settings on a shared, loaded machine.
 *
 *   ORC_SWEEP_SIZES=50              stack sizes (1000 fits one bridge: Linux caps a bridge at 1,024 ports)
 *   ORC_SWEEP_SETTINGS=4,8,16,32,64,unbounded,auto
 *   ORC_SWEEP_REPS=2
 *   node bench/compare/sweep.mjs    (build first: npx turbo run build)
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { startDaemon } from './daemon.mjs';
import { benchProjects, cleanupProject, docker, runningCount } from './engine.mjs';
import { desiredOf, floorChangeOne, floorDown, floorUp } from './floor.mjs';
import { stats } from './report.mjs';
import { composeText, subnetFor } from './stack.mjs';
import { orcTool } from './tools.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const env = process.env;
const list = (v, d) => (v ?? d).split(',').filter(Boolean);
const sizes = list(env.ORC_SWEEP_SIZES, '50').map(Number);
const settings = list(env.ORC_SWEEP_SETTINGS, '4,8,16,32,64,unbounded,auto');
const reps = Number(env.ORC_SWEEP_REPS ?? 2);
const bin = env.ORC_BENCH_ORC_BIN ?? join(root, 'apps/cli/bin/orc.js');
const prefix = `orcb-sweep-${process.pid}`;
const work = mkdtempSync(join(tmpdir(), 'orcb-sweep-'));
const log = (...a) => console.error(`[sweep ${new Date().toISOString().slice(11, 19)}]`, ...a);
const loads = [loadavg()[0]];
const loadTimer = setInterval(() => loads.push(loadavg()[0]), 5000);
const daemons = new Map();
const partial = join(root, 'bench/results', `sweep-${process.pid}.ndjson`);
const errors = [];

// `unbounded`: a bound no plan reaches.
const parallelismOf = (s) => (s === 'unbounded' ? '100000' : s);

async function cleanupAll() {
  for (const d of daemons.values()) await d.stop().catch(() => {});
  daemons.clear();
  for (const p of await benchProjects(prefix).catch(() => []))
    await cleanupProject(p).catch((e) => errors.push(`cleanup ${p}: ${e.message}`));
}
for (const sig of ['SIGINT', 'SIGTERM'])
  process.on(sig, () => {
    log(`${sig}: cleaning up`);
    cleanupAll().finally(() => process.exit(130));
  });

async function timed(fn) {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

async function expectRunning(project, n, what) {
  const running = await runningCount(project);
  if (running !== n) throw new Error(`${what}: ${running} of ${n} containers running`);
}

/** One cold up, change one and down of `n` services by `who` (a setting, or `floor`). */
let slots = 0;
async function cycle(who, n, rep) {
  const subnet = subnetFor(n, slots++);
  const project = `${prefix}-${who}-${n}-${rep}`;
  const dir = join(work, project);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'compose.yaml'), composeText(n, 'one', subnet));
  const out = {};
  try {
    if (who === 'floor') {
      const d1 = await desiredOf(project, dir, composeText(n, 'one', subnet));
      const d2 = await desiredOf(project, dir, composeText(n, 'two', subnet));
      out.cold = await timed(() => floorUp(d1));
      await expectRunning(project, n, 'floor cold up');
      out.change = await timed(() => floorChangeOne(d2, n));
      out.down = await timed(() => floorDown(d2));
    } else {
      const orc = orcTool(bin, daemons.get(who).env);
      out.cold = await orc.run(project, dir, ['up', '-d']);
      await expectRunning(project, n, `orc(${who}) cold up`);
      writeFileSync(join(dir, 'compose.yaml'), composeText(n, 'two', subnet));
      out.change = await orc.run(project, dir, ['up', '-d']);
      out.down = await orc.run(project, dir, ['down']);
    }
    return out;
  } finally {
    await cleanupProject(project).catch((e) => errors.push(`cleanup ${project}: ${e.message}`));
  }
}

const fmt = (x) => (x === undefined ? '–' : `${(x / 1000).toFixed(2)} s`);
const r2 = (a, b) => (a && b ? `${(a / b).toFixed(2)}×` : '–');

async function main() {
  mkdirSync(join(root, 'bench/results'), { recursive: true });
  for (const s of settings) {
    const dir = join(work, `daemon-${s}`);
    mkdirSync(dir);
    daemons.set(s, await startDaemon(bin, dir, { env: { ORC_PARALLELISM: parallelismOf(s) } }));
  }
  const whos = ['floor', ...settings];
  const tables = [];
  try {
    for (const n of sizes) {
      const samples = Object.fromEntries(whos.map((w) => [w, { cold: [], change: [], down: [] }]));
      for (let rep = 0; rep < reps; rep++)
        for (let k = 0; k < whos.length; k++) {
          const who = whos[(k + rep) % whos.length];
          log(`${n} services, rep ${rep + 1}/${reps}: ${who} (load ${loadavg()[0].toFixed(1)})`);
          try {
            const o = await cycle(who, n, rep);
            for (const step of ['cold', 'change', 'down']) samples[who][step].push(o[step]);
            // Every sample on disk as it comes: a run cut short (a stuck engine) still leaves its figures.
            writeFileSync(partial, `${JSON.stringify({ n, rep, who, ...o, load: loadavg()[0] })}\n`, {
              flag: 'a',
            });
          } catch (e) {
            errors.push(`${who} ${n} rep ${rep + 1}: ${e.message}`);
          }
        }
      tables.push({ n, samples });
    }
  } finally {
    await cleanupAll();
    clearInterval(loadTimer);
  }
  const L = [];
  const load = `load avg (1 min) min ${Math.min(...loads).toFixed(1)}, mean ${(loads.reduce((a, b) => a + b, 0) / loads.length).toFixed(1)}, max ${Math.max(...loads).toFixed(1)}`;
  L.push(`${new Date().toISOString()} · ${reps} reps, rotated · ${load}`, '');
  for (const { n, samples } of tables) {
    const f = Object.fromEntries(['cold', 'change', 'down'].map((k) => [k, stats(samples.floor[k])]));
    L.push(
      `| ${n} services | cold up (min / median) | / floor | change one | / floor | down | / floor |`,
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    );
    for (const who of whos) {
      const s = Object.fromEntries(['cold', 'change', 'down'].map((k) => [k, stats(samples[who][k])]));
      const cell = (k) => (s[k] ? `${fmt(s[k].min)} / ${fmt(s[k].median)}` : '–');
      L.push(
        `| ${who === 'floor' ? 'engine floor' : `--parallelism ${who}`} | ${cell('cold')} | ${r2(s.cold?.median, f.cold?.median)} | ${cell('change')} | ${r2(s.change?.median, f.change?.median)} | ${cell('down')} | ${r2(s.down?.median, f.down?.median)} |`,
      );
    }
    L.push('');
  }
  if (errors.length) L.push('Errors:', ...errors.map((e) => `- ${e.replace(/\n/g, ' ')}`));
  const md = `${L.join('\n')}\n`;
  mkdirSync(join(root, 'bench/results'), { recursive: true });
  writeFileSync(join(root, 'bench/results', `sweep-${Date.now()}.md`), md);
  writeFileSync(
    join(root, 'bench/results', `sweep-${Date.now()}.json`),
    `${JSON.stringify({ sizes, settings, reps, loads, tables, errors }, null, 2)}\n`,
  );
  console.log(md);
}

main()
  .catch(async (e) => {
    console.error(e);
    await cleanupAll();
    process.exitCode = 1;
  })
  .finally(() => {
    clearInterval(loadTimer);
    rmSync(work, { recursive: true, force: true });
    docker.modem?.agent?.destroy?.();
  });
