#!/usr/bin/env node
/**
 * Two builds of orc side by side with the engine floor (issue 17, items 3 and 4): one daemon per build,
 * started together, and the floor take turns (rotated every repetition) on the same stacks, so a before /
 * after on a shared, loaded machine compares ratios taken in the same minutes. Per stack: cold `up -d`
 * (not reported: it only sets up), a drift repair (`docker rm -f` of the leaf → the replacement's start;
 * orc only), change one (`up -d` after one service's file changed), `down`. Each orc step is reported in
 * wall time and in CPU time (user + sys of the CLI process, under /usr/bin/time, plus the daemon's delta
 * from /proc); the floor's CPU is this process's own during its step.
 *
 *   ORC_VERSUS_BINS=main=/tmp/main/apps/cli/bin/orc.js,branch=apps/cli/bin/orc.js   (required)
 *   ORC_VERSUS_SIZES=10,100   ORC_VERSUS_REPS=3
 *   node bench/compare/versus.mjs
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { cpuSeconds, startDaemon } from './daemon.mjs';
import { benchProjects, cleanupProject, docker, removeAndAwaitReplacement, runningCount } from './engine.mjs';
import { desiredOf, floorChangeOne, floorDown, floorUp } from './floor.mjs';
import { stats } from './report.mjs';
import { changedService, composeText, subnetFor } from './stack.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const env = process.env;
const list = (v, d) => (v ?? d).split(',').filter(Boolean);
const bins = list(env.ORC_VERSUS_BINS, '').map((kv) => {
  const [name, path] = kv.split('=');
  if (!name || !path) throw new Error(`ORC_VERSUS_BINS: expected name=path, got ${kv}`);
  return { name, bin: resolve(path) };
});
if (bins.length === 0) throw new Error('ORC_VERSUS_BINS=name=path,name=path is required');
const sizes = list(env.ORC_VERSUS_SIZES, '10,100').map(Number);
const reps = Number(env.ORC_VERSUS_REPS ?? 3);
const prefix = `orcb-versus-${process.pid}`;
const work = mkdtempSync(join(tmpdir(), 'orcb-versus-'));
const log = (...a) => console.error(`[versus ${new Date().toISOString().slice(11, 19)}]`, ...a);
const loads = [loadavg()[0]];
const loadTimer = setInterval(() => loads.push(loadavg()[0]), 5000);
const daemons = new Map();
const partial = join(root, 'bench/results', `versus-${process.pid}.ndjson`);
const errors = [];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function cleanup(project) {
  await cleanupProject(project).catch((e) => errors.push(`cleanup ${project}: ${e.message}`));
  // A cycle cut short leaves the keeper's lease (it carries no compose label).
  await docker
    .getVolume(`orc-lease.${project}`)
    .remove()
    .catch(() => {});
}

async function cleanupAll() {
  for (const d of daemons.values()) await d.stop().catch(() => {});
  daemons.clear();
  for (const p of await benchProjects(prefix).catch(() => [])) await cleanup(p);
}
for (const sig of ['SIGINT', 'SIGTERM'])
  process.on(sig, () => {
    log(`${sig}: cleaning up`);
    cleanupAll().finally(() => process.exit(130));
  });

/** The CLI under /usr/bin/time: wall ms, and CPU ms of the CLI process and of the daemon over the step. */
function orcStep(who, project, dir, args) {
  const d = daemons.get(who);
  const timeFile = join(dir, `time-${process.hrtime.bigint()}`);
  const cpu0 = cpuSeconds(d.pid);
  return new Promise((done, fail) => {
    const t0 = performance.now();
    const child = spawn(
      '/usr/bin/time',
      [
        '-f',
        '%U %S',
        '-o',
        timeFile,
        process.execPath,
        d.bin,
        '-p',
        project,
        '-f',
        join(dir, 'compose.yaml'),
        ...args,
      ],
      {
        cwd: dir,
        env: { ...process.env, ...d.env, ORC_NO_AUTOSTART: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    child.stdout.on('data', (x) => {
      out += x;
    });
    child.stderr.on('data', (x) => {
      out += x;
    });
    child.on('error', fail);
    child.on('close', (code) => {
      const wall = performance.now() - t0;
      if (code !== 0)
        return fail(new Error(`orc(${who}) ${args.join(' ')} exited ${code}:\n${out.slice(-2000)}`));
      const [u, s] = readFileSync(timeFile, 'utf8').trim().split('\n').at(-1).split(' ').map(Number);
      done({ wall, cli: (u + s) * 1000, daemon: (cpuSeconds(d.pid) - cpu0) * 1000 });
    });
  });
}

async function floorStep(fn) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await fn();
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { wall, cli: (c.user + c.system) / 1000, daemon: 0 };
}

/** `docker rm -f` of the leaf → its replacement's `start`: total, and from the old one's `destroy`. */
async function driftRepair(project, n) {
  const { sent, started, gone } = await removeAndAwaitReplacement(project, changedService(n));
  return { total: started - sent, ...(gone !== undefined ? { orcPart: started - gone } : {}) };
}

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
      await floorUp(d1);
      if ((await runningCount(project)) !== n) throw new Error('floor cold up: not all running');
      await sleep(1000);
      out.change = await floorStep(() => floorChangeOne(d2, n));
      out.down = await floorStep(() => floorDown(d2));
    } else {
      await orcStep(who, project, dir, ['up', '-d']);
      if ((await runningCount(project)) !== n) throw new Error(`orc(${who}) cold up: not all running`);
      await sleep(2000); // past the settle after up
      if (n <= 10) {
        out.drift = await driftRepair(project, n);
        await sleep(1500); // the repair's own operation ends
      }
      writeFileSync(join(dir, 'compose.yaml'), composeText(n, 'two', subnet));
      out.change = await orcStep(who, project, dir, ['up', '-d']);
      out.down = await orcStep(who, project, dir, ['down']);
    }
    return out;
  } finally {
    await cleanup(project);
  }
}

const ms = (x) => (x === undefined ? '–' : x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${Math.round(x)} ms`);
// Targets (issue 17): change one ≤ 1.2× one recreate, down ≤ 1.05× the floor, drift repair ≤ 1 s.
const ratio = (a, b, goal) =>
  a && b ? `${(a / b).toFixed(2)}×${goal ? (a / b <= goal ? ' ✓' : ' ✗') : ''}` : '–';
const within = (x, goal) => (x === undefined ? '–' : `${ms(x)} ${x <= goal ? '✓' : '✗'}`);
const med = (xs) => stats(xs)?.median;

async function main() {
  mkdirSync(join(root, 'bench/results'), { recursive: true });
  for (const b of bins) {
    const dir = join(work, `daemon-${b.name}`);
    mkdirSync(dir);
    const d = await startDaemon(b.bin, dir);
    daemons.set(b.name, { ...d, bin: b.bin });
  }
  const whos = ['floor', ...bins.map((b) => b.name)];
  const tables = [];
  try {
    for (const n of sizes) {
      const samples = Object.fromEntries(whos.map((w) => [w, []]));
      for (let rep = 0; rep < reps; rep++)
        for (let k = 0; k < whos.length; k++) {
          const who = whos[(k + rep) % whos.length];
          log(`${n} services, rep ${rep + 1}/${reps}: ${who} (load ${loadavg()[0].toFixed(1)})`);
          try {
            const o = await cycle(who, n, rep);
            samples[who].push(o);
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
  L.push(
    '| services | who | change one: wall (min / median) | / floor | CPU (CLI + daemon) | down: wall | / floor | CPU (CLI + daemon) | drift: rm -f → started | orc part |',
    '| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  );
  for (const { n, samples } of tables) {
    const floorChange = med(samples.floor.map((o) => o.change.wall));
    const floorDownMs = med(samples.floor.map((o) => o.down.wall));
    for (const who of whos) {
      const os = samples[who];
      const cell = (step) => {
        const s = stats(os.map((o) => o[step].wall));
        return s ? `${ms(s.min)} / ${ms(s.median)}` : '–';
      };
      const cpu = (step) =>
        os.length
          ? `${ms(med(os.map((o) => o[step].cli)))} + ${ms(med(os.map((o) => o[step].daemon)))}`
          : '–';
      const drift = os.filter((o) => o.drift);
      L.push(
        `| ${n} | ${who === 'floor' ? 'engine floor' : who} | ${cell('change')} | ${who === 'floor' ? '1.00×' : ratio(med(os.map((o) => o.change.wall)), floorChange, 1.2)} | ${cpu('change')} | ${cell('down')} | ${who === 'floor' ? '1.00×' : ratio(med(os.map((o) => o.down.wall)), floorDownMs, 1.05)} | ${cpu('down')} | ${drift.length ? within(med(drift.map((o) => o.drift.total)), 1000) : '–'} | ${drift.length ? ms(med(drift.flatMap((o) => (o.drift.orcPart === undefined ? [] : [o.drift.orcPart])))) : '–'} |`,
      );
    }
  }
  if (errors.length) L.push('', 'Errors:', ...errors.map((e) => `- ${e.replace(/\n/g, ' ')}`));
  const md = `${L.join('\n')}\n`;
  const stamp = Date.now();
  writeFileSync(join(root, 'bench/results', `versus-${stamp}.md`), md);
  writeFileSync(
    join(root, 'bench/results', `versus-${stamp}.json`),
    `${JSON.stringify({ bins, sizes, reps, loads, tables, errors }, null, 2)}\n`,
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
