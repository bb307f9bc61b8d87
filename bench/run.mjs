#!/usr/bin/env node
/**
 * `npm run bench`: orc side by side with docker-compose 1.29 and the engine floor, in one run, on the real
 * engine. Reports only (markdown table on stdout, JSON + markdown + PNG under bench/results/); asserts
 * nothing. See docs/benchmarks.md for what each figure means and how to read it.
 *
 * Knobs (environment):
 *   ORC_BENCH_SIZES=10,50,100     stack sizes
 *   ORC_BENCH_1000=1              add 1,000 services to the sizes (cold up / change one / down; ~25 min more:
 *                                 one project network holds them all, under Linux's 1,024 ports per bridge)
 *   ORC_BENCH_TOOLS=orc,compose,floor  tools of the stacks section (e.g. orc,floor for a shorter run)
 *   ORC_BENCH_REPS=3              repetitions of cold / change-one / down per tool and size
 *   ORC_BENCH_NOOP_REPS=5         no-op ups per repetition
 *   ORC_BENCH_DRIFT_REPS=5        drift repairs timed
 *   ORC_BENCH_IDLE_CONTAINERS=200,1000 containers under management while the daemon idles (ps: the first)
 *   ORC_BENCH_IDLE_SECONDS=60     idle window (shorter for quick runs)
 *   ORC_BENCH_NOOP_SIZES=100,1000 stack sizes of the no-op up beside `node -e 0` (section noop)
 *   ORC_BENCH_ONLY=stacks,noop,drift,idle,cli,loader  sections to run (default all)
 *                                 + swarm (opt-in, never by default: root and the swarm lab; orc beside
 *                                 `docker stack deploy`, bench/swarm/stack.bench.mjs, its own table)
 *   ORC_BENCH_DAEMON_PROF=DIR     run the daemon under node --cpu-prof, profiles written to DIR
 *   ORC_BENCH_SKIP_BUILD=1        use the existing build instead of `npx turbo run build`
 *   ORC_BENCH_ORC_BIN=PATH        run another tree's built orc (before/after comparisons)
 *   ORC_BENCH_DAEMON_NODE_FLAGS   node flags of the daemon (default --max-semi-space-size=2, as autostarted)
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { rssMiB, sampleIdle, startDaemon } from './compare/daemon.mjs';
import {
  benchProjects,
  cleanupProject,
  docker,
  engineInfo,
  removeAndAwaitReplacement,
  runningCount,
} from './compare/engine.mjs';
import { desiredOf, floorChangeOne, floorDown, floorNoop, floorUp } from './compare/floor.mjs';
import { chart, markdown, STEPS, summarise } from './compare/report.mjs';
import { changedService, composeText, subnetFor } from './compare/stack.mjs';
import { composeTool, ensureCompose, orcTool, timedRun } from './compare/tools.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const env = process.env;
const list = (v, d) => (v ?? d).split(',').filter(Boolean);
const cfg = {
  sizes: [
    ...list(env.ORC_BENCH_SIZES, '10,50,100').map(Number),
    ...(env.ORC_BENCH_1000 === '1' ? [1000] : []),
  ],
  tools: list(env.ORC_BENCH_TOOLS, 'orc,compose,floor'),
  reps: Number(env.ORC_BENCH_REPS ?? 3),
  noopReps: Number(env.ORC_BENCH_NOOP_REPS ?? 5),
  driftReps: Number(env.ORC_BENCH_DRIFT_REPS ?? 5),
  idleContainers: list(env.ORC_BENCH_IDLE_CONTAINERS, '200,1000').map(Number),
  idleSeconds: Number(env.ORC_BENCH_IDLE_SECONDS ?? 60),
  noopSizes: list(env.ORC_BENCH_NOOP_SIZES, '100,1000').map(Number),
  only: new Set(list(env.ORC_BENCH_ONLY, 'stacks,noop,drift,idle,cli,loader')),
};
const resultsDir = join(root, 'bench/results');
// Another tree's built orc (its CLI and daemon) for a before/after: ORC_BENCH_ORC_BIN=/path/apps/cli/bin/orc.js
const bin = env.ORC_BENCH_ORC_BIN ?? join(root, 'apps/cli/bin/orc.js');
// Project names carry this run's pid: cleanup only ever touches what this run made.
const prefix = `orcb-cmp-${process.pid}`;
const work = mkdtempSync(join(tmpdir(), 'orcb-cmp-'));
const projects = new Set();
const errors = [];
const log = (...a) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}]`, ...a);

// The machine is shared: the 1-min load average is sampled every 5 s and reported with the figures.
const loadSamples = [loadavg()[0]];
const loadTimer = setInterval(() => loadSamples.push(loadavg()[0]), 5000);

let daemon;
async function cleanupAll() {
  // The daemon first: while it runs it would re-create what a project it keeps is missing.
  if (daemon) await daemon.stop();
  daemon = undefined;
  // Also whatever carries this run's prefix but escaped a step's own cleanup (e.g. during an engine restart).
  const found = await benchProjects(prefix).catch(() => []);
  for (const p of new Set([...projects, ...found]))
    await cleanupProject(p).catch((e) => errors.push(`cleanup ${p}: ${e.message}`));
}

/** After a failed step: the daemon must let go of the project before its containers are removed. */
async function forget(orc, project, dir) {
  await orc.run(project, dir, ['down']).catch(() => {});
  await cleanupProject(project);
}
for (const sig of ['SIGINT', 'SIGTERM'])
  process.on(sig, () => {
    log(`${sig}: cleaning up`);
    cleanupAll().finally(() => process.exit(130));
  });

// Each project of the run gets its own subnet slot (stacks above one /24: stack.mjs subnetFor).
// A slot whose subnet an engine network still holds is skipped: Engine 20.10 sometimes keeps a removed
// container's endpoint, and the network (with its /22) then stays until the engine restarts.
let slots = 0;
let taken;
const nextSlot = () => {
  while (taken?.has(subnetFor(1000, slots))) slots++;
  return slots++;
};
async function takenSubnets() {
  const nets = await docker.listNetworks();
  return new Set(nets.flatMap((n) => (n.IPAM?.Config ?? []).map((c) => c.Subnet)));
}

function projectDir(project, text) {
  const dir = join(work, project);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'compose.yaml'), text);
  projects.add(project);
  return dir;
}

async function expectRunning(project, n, what) {
  const running = await runningCount(project);
  if (running !== n) throw new Error(`${what}: ${running} of ${n} containers running`);
}

/** One repetition of cold / no-op / change-one / down for a tool; samples pushed into `ops`. */
async function cycle(tool, n, rep, ops) {
  const project = `${prefix}-${tool.name}-${n}-${rep}`;
  const subnet = subnetFor(n, nextSlot());
  const dir = projectDir(project, composeText(n, 'one', subnet));
  const push = (step, ms) => {
    ops[step][tool.name] ??= [];
    ops[step][tool.name].push(ms);
  };
  try {
    if (tool.name === 'floor') {
      const d1 = await desiredOf(project, dir, composeText(n, 'one', subnet));
      const d2 = await desiredOf(project, dir, composeText(n, 'two', subnet));
      push('cold', await timed(() => floorUp(d1)));
      await expectRunning(project, n, 'floor cold up');
      for (let i = 0; i < cfg.noopReps; i++) push('noop', await timed(() => floorNoop(project)));
      push('change', await timed(() => floorChangeOne(d2, n)));
      push('down', await timed(() => floorDown(d2)));
    } else {
      push('cold', await tool.run(project, dir, ['up', '-d']));
      await expectRunning(project, n, `${tool.name} cold up`);
      for (let i = 0; i < cfg.noopReps; i++) push('noop', await tool.run(project, dir, ['up', '-d']));
      writeFileSync(join(dir, 'compose.yaml'), composeText(n, 'two', subnet));
      push('change', await tool.run(project, dir, ['up', '-d']));
      await expectRunning(project, n, `${tool.name} change one`);
      push('down', await tool.run(project, dir, ['down']));
    }
  } finally {
    await cleanupProject(project);
  }
}

/**
 * The samples so far, written after each section: a run that dies later (an engine fault in a cleanup, a
 * kill) keeps what it measured, which at 1,000 services is tens of minutes of machine time.
 */
function checkpoint(raw) {
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, `partial-${prefix}.json`), `${JSON.stringify({ raw, errors }, null, 2)}\n`);
}

async function timed(fn) {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

async function stacks(tools) {
  const out = [];
  for (const n of cfg.sizes) {
    const ops = Object.fromEntries(STEPS.map(([s]) => [s, {}]));
    for (let rep = 0; rep < cfg.reps; rep++)
      // The tools take turns within a repetition (rotated), so a burst of load elsewhere hits them alike.
      for (let k = 0; k < tools.length; k++) {
        const tool = tools[(k + rep) % tools.length];
        log(`${n} services, rep ${rep + 1}/${cfg.reps}: ${tool.name}`);
        await cycle(tool, n, rep, ops).catch((e) =>
          errors.push(`${tool.name} ${n} rep ${rep + 1}: ${e.message}`),
        );
      }
    out.push({ n, ops });
    checkpoint({ stacks: out });
  }
  return out;
}

/**
 * No-op `up -d` beside `node -e 0` (issue 17, item 2: ≤ 1.3× at 100 services, ≤ 1.6× at 1,000): the
 * stack is brought up once, then the two commands alternate (`noopReps` × 3 each, after a warm-up
 * round), so both see the same load.
 */
async function noopVsNode(orc, startup) {
  const out = [];
  for (const n of cfg.noopSizes) {
    const project = `${prefix}-noop-${n}`;
    const dir = projectDir(project, composeText(n, 'one', subnetFor(n, nextSlot())));
    try {
      log(`no-op vs node -e 0: ${n} services, cold up first`);
      await orc.run(project, dir, ['up', '-d']);
      await expectRunning(project, n, 'no-op cold up');
      const samples = startup.interleaved(
        [
          { label: 'node', cmd: process.execPath, args: ['-e', '0'] },
          {
            label: 'orc',
            cmd: process.execPath,
            args: [bin, '-p', project, '-f', join(dir, 'compose.yaml'), 'up', '-d'],
            env: { ...daemon.env, ORC_NO_AUTOSTART: '1' },
            cwd: dir,
          },
        ],
        Math.max(10, cfg.noopReps * 3),
      );
      out.push({ n, ...samples });
      await orc.run(project, dir, ['down']);
    } catch (e) {
      errors.push(`no-op vs node ${n}: ${e.message}`);
    } finally {
      await forget(orc, project, dir).catch((e) => errors.push(`cleanup ${project}: ${e.message}`));
    }
  }
  return out;
}

/**
 * Drift repair: `docker rm -f` of a leaf container → the replacement's start event. One removal per
 * project (`driftReps` 10-service projects): the supervisor backs off a project that keeps needing
 * repairs (the third within a minute waits 1 s, then 2 s, ...), which is crash-loop protection, not
 * the repair latency asked about here.
 */
async function drift(orc) {
  const n = 10;
  const service = changedService(n);
  const samples = [];
  const orcPart = [];
  const mine = [];
  try {
    for (let i = 0; i < cfg.driftReps; i++) {
      const project = `${prefix}-drift-${i}`;
      const dir = projectDir(project, composeText(n, 'one', subnetFor(n, nextSlot())));
      mine.push([project, dir]);
      await orc.run(project, dir, ['up', '-d']);
    }
    await new Promise((r) => setTimeout(r, 2000)); // past the settle after up
    for (const [project] of mine) {
      const { sent: t0, started, gone } = await removeAndAwaitReplacement(project, service);
      samples.push(started - t0);
      // The engine's own rm -f is slow under load: orc's part starts when the container is gone.
      if (gone !== undefined) orcPart.push(started - gone);
    }
    for (const [project, dir] of mine) await orc.run(project, dir, ['down']);
  } catch (e) {
    errors.push(`drift: ${e.message}`);
  } finally {
    for (const [project, dir] of mine)
      await forget(orc, project, dir).catch((e) => errors.push(`cleanup ${project}: ${e.message}`));
  }
  return { samples, orcPart };
}

/**
 * Idle: for each of `idleContainers` (200, 1,000), that many services under management, daemon CPU and
 * RSS over the window (issue 17, item 5); on the first project, the CLI start-up and `ps` beside
 * `node -e 0` (item 6) and docker-compose's `ps`.
 */
async function idleAndCli(orc, startup) {
  const result = { idle: [] };
  for (const [k, n] of cfg.idleContainers.entries()) {
    const cli = cfg.only.has('cli') && k === 0;
    if (!cfg.only.has('idle') && !cli) continue;
    const project = `${prefix}-idle-${n}`;
    const dir = projectDir(project, composeText(n, 'one', subnetFor(n, nextSlot())));
    try {
      log(`idle/cli: ${n} services, up`);
      await orc.run(project, dir, ['up', '-d']);
      await expectRunning(project, n, 'idle up');
      await new Promise((r) => setTimeout(r, 5000)); // past the first healthchecks and the settle after up
      if (cfg.only.has('idle')) {
        log(`daemon idle for ${cfg.idleSeconds} s with ${n} containers`);
        const s = await sampleIdle(daemon.pid, cfg.idleSeconds);
        result.idle.push({ containers: n, ...s });
        log(`idle ${n}: ${JSON.stringify(s)}`);
      }
      if (cli) {
        log('CLI start-up');
        const runs = cfg.reps * 5;
        const denv = { ...daemon.env, ORC_NO_AUTOSTART: '1' };
        // Interleaved, so that the ratio to `node -e 0` (issue 17, item 6) compares runs under the same load.
        result.cli = startup.interleaved(
          [
            { label: 'node', cmd: process.execPath, args: ['-e', '0'] },
            { label: 'version', cmd: process.execPath, args: [bin, '--version'] },
            { label: 'ps', cmd: process.execPath, args: [bin, '-p', project, 'ps'], env: denv },
            // The line typed in the project's folder: the name comes from the files (a lookup), and the
            // early request and the table view (p17-cli5) are the `-p` form's only.
            { label: 'psDir', cmd: process.execPath, args: [bin, 'ps'], env: denv, cwd: dir },
          ],
          runs,
        );
        result.cliContainers = n;
        const composePs = [];
        for (let i = 0; i < Math.max(3, cfg.reps); i++)
          composePs.push(
            await timedRun('docker-compose', ['-p', project, '-f', join(dir, 'compose.yaml'), 'ps'], {
              cwd: dir,
            }),
          );
        result.composePs = composePs;
      }
      await orc.run(project, dir, ['down']);
    } catch (e) {
      errors.push(`idle/cli ${n}: ${e.message}`);
    } finally {
      // A cleanup the engine refuses ("has active endpoints") is reported, not a lost run.
      await forget(orc, project, dir).catch((e) => errors.push(`cleanup ${project}: ${e.message}`));
    }
  }
  return result;
}

function machine(engine, compose) {
  const load = loadSamples;
  return {
    date: new Date().toISOString(),
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model?.trim() ?? 'unknown',
    memGiB: (totalmem() / 2 ** 30).toFixed(1),
    kernel: engine.kernel,
    engine: `${engine.version} (API ${engine.apiVersion}, ${engine.storageDriver})`,
    compose: `docker-compose ${compose}`,
    node: process.version,
    reps: cfg.reps,
    noopReps: cfg.noopReps,
    config: { ...cfg, only: [...cfg.only] },
    loadAverage: {
      min: Math.min(...load),
      max: Math.max(...load),
      mean: load.reduce((a, b) => a + b, 0) / load.length,
      samples: load.length,
    },
    errors,
  };
}

async function main() {
  const t0 = performance.now();
  if (env.ORC_BENCH_SKIP_BUILD !== '1') {
    log('npx turbo run build');
    const b = spawnSync('npx', ['turbo', 'run', 'build', '--output-logs=errors-only'], {
      cwd: root,
      stdio: 'inherit',
    });
    if (b.status !== 0) throw new Error('build failed');
  }
  const composeVersion = cfg.tools.includes('compose') ? ensureCompose() : 'not run';
  const engine = await engineInfo();
  // The loader first, on the machine as it is before any container of the run: it is CPU in this process
  // (issue 17's "in process"), and after the sections below it shared the 2 cores with the engine's
  // clean-up of their containers (session 32: 94 ms median at the end of a run, 75 ms on a quiet machine).
  let loader;
  if (cfg.only.has('loader')) {
    log('loader: 1,000 services');
    const spec = await import('./spec/load.bench.mjs');
    // As many timed loads as the loader's own bench (7) at least.
    const phases = await spec.measure(1000, Math.max(7, cfg.reps));
    loader = { total: phases.total, load: phases.load };
  }
  taken = await takenSubnets();
  daemon = await startDaemon(bin, work, { profDir: env.ORC_BENCH_DAEMON_PROF });
  log(`orc daemon pid ${daemon.pid} (RSS at start ${rssMiB(daemon.pid).toFixed(0)} MiB)`);
  const orc = orcTool(bin, daemon.env);
  const raw = { stacks: [], noop: [], drift: undefined, idle: undefined, cli: undefined, loader };
  const startup = await import('./cli/startup.mjs');
  try {
    if (cfg.only.has('stacks')) {
      const all = {
        orc,
        compose: cfg.tools.includes('compose') ? composeTool() : undefined,
        floor: { name: 'floor' },
      };
      raw.stacks = await stacks(cfg.tools.map((t) => all[t]).filter(Boolean));
    }
    checkpoint(raw);
    if (cfg.only.has('noop')) raw.noop = await noopVsNode(orc, startup);
    checkpoint(raw);
    if (cfg.only.has('drift')) {
      const d = await drift(orc);
      raw.drift = d.samples;
      raw.driftAfterGone = d.orcPart;
      checkpoint(raw);
    }
    if (cfg.only.has('idle') || cfg.only.has('cli')) {
      const r = await idleAndCli(orc, startup);
      raw.idle = r.idle;
      raw.cliContainers = r.cliContainers;
      raw.cli = { ...(r.cli ?? {}), ...(r.composePs ? { composePs: r.composePs } : {}) };
    }
  } finally {
    await cleanupAll();
  }
  if (cfg.only.has('swarm')) {
    log('swarm: orc beside docker stack deploy on the lab (bench/swarm/stack.bench.mjs)');
    const s = spawnSync(process.execPath, [join(root, 'bench/swarm/stack.bench.mjs')], {
      stdio: 'inherit',
      env: { ...env, ORC_BENCH_SKIP_BUILD: '1' },
    });
    if (s.status !== 0) errors.push(`swarm section exited ${s.status}`);
  }
  clearInterval(loadTimer);
  const meta = machine(engine, composeVersion);
  meta.seconds = (performance.now() - t0) / 1000;
  const summary = summarise(raw);
  const md = markdown(meta, summary);
  mkdirSync(resultsDir, { recursive: true });
  const stamp = meta.date.replace(/[:.]/g, '-');
  writeFileSync(
    join(resultsDir, `bench-${stamp}.json`),
    `${JSON.stringify({ meta, raw, summary }, null, 2)}\n`,
  );
  writeFileSync(join(resultsDir, 'latest.json'), `${JSON.stringify({ meta, raw, summary }, null, 2)}\n`);
  writeFileSync(join(resultsDir, 'latest.md'), md);
  if (summary.stacks.length) await chart(meta, summary, join(resultsDir, 'latest.png'));
  console.log(md);
  log(`done in ${meta.seconds.toFixed(0)} s; bench/results/latest.{md,json,png}`);
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
