#!/usr/bin/env node
/**
 * Issue 17, items 2 and 6, the daemon's side, before and after in one run: a no-op `up -d` (100 and
 * 1,000 services) and `orc ps` (200 containers) answered by two daemons, this tree's and another tree's
 * (`BEFORE_BIN`, e.g. main's build), interleaved with `node -e 0` (one of each in turn, after a warm-up
 * round), so the ratios see the same load. Prints a table with ✓/✗ against the targets; asserts nothing.
 *
 *   node bench/cli/noop-cache.mjs BEFORE_BIN [runs]
 *   ORC_BENCH_NOOP_SIZES=100,1000   no-op sizes (default 100)
 *   ORC_BENCH_PS_CONTAINERS=200     the ps project's size (0: skip)
 *
 * Both daemons share one state directory (so one daemon identity: each is the projects' keeper and
 * either's `up` passes the lease check) and use the same CLI. The stack is `bench/compare/stack.mjs`'s,
 * brought up by this tree's daemon with ORC_PARALLELISM=8 (never more creates in flight); the other daemon
 * is started once it runs, and the project is taken down and removed by label right after its figures.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rssMiB, startDaemon } from '../compare/daemon.mjs';
import { cleanupProject, runningCount } from '../compare/engine.mjs';
import { composeText, subnetFor } from '../compare/stack.mjs';
import { orcTool } from '../compare/tools.mjs';
import { interleaved } from './startup.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const afterBin = join(root, 'apps/cli/bin/orc.js');
const beforeBin = process.argv[2];
const runs = Number(process.argv[3] ?? 15);
if (!beforeBin) {
  console.error('usage: node bench/cli/noop-cache.mjs BEFORE_BIN [runs]');
  process.exit(2);
}
const noopSizes = (process.env.ORC_BENCH_NOOP_SIZES ?? '100').split(',').filter(Boolean).map(Number);
const psContainers = Number(process.env.ORC_BENCH_PS_CONTAINERS ?? 200);
const targets = { noop: (n) => (n >= 1000 ? 1.6 : 1.3), ps: 1.3 };

const work = mkdtempSync(join(tmpdir(), 'orcb-p17c-'));
const prefix = `orcb-p17c-${process.pid}`;
const load = () =>
  execFileSync('uptime', { encoding: 'utf8' })
    .trim()
    .replace(/.*load average: /, '');
const log = (m) => console.error(`[${new Date().toISOString().slice(11, 19)}] ${m}`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const min = (xs) => Math.min(...xs);

/** Two daemons, one state dir: `after` (this tree) is started first; `before` once the stack runs. */
function dirs() {
  const a = join(work, 'after');
  const b = join(work, 'before');
  mkdirSync(join(a, 'state'), { recursive: true });
  mkdirSync(b, { recursive: true });
  symlinkSync(join(a, 'state'), join(b, 'state'));
  return { a, b };
}

const env = { ORC_PARALLELISM: '8' };

/** One `GET` on the daemon's socket; wall ms to the answer's end. */
function timedGet(socketPath, path) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const req = request({ socketPath, path }, (res) => {
      res.resume();
      res.on('end', () =>
        res.statusCode === 200
          ? resolve(performance.now() - t0)
          : reject(new Error(`${path}: ${res.statusCode}`)),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

/** The daemon's part of `ps` alone (no CLI process): the project's view, light, from each daemon in turn. */
async function daemonPs(project, daemons, count) {
  const out = Object.fromEntries(Object.keys(daemons).map((k) => [k, []]));
  for (let i = 0; i <= count; i++)
    for (const [k, d] of Object.entries(daemons)) {
      const ms = await timedGet(
        d.env.ORC_HOST.replace('unix://', ''),
        `/v1/projects/${project}?detail=false`,
      );
      if (i > 0) out[k].push(ms);
    }
  return out;
}

async function untilRunning(project, n) {
  for (let i = 0; i < 600; i++) {
    if ((await runningCount(project)) >= n) return;
    await sleep(1000);
  }
  throw new Error(`${project}: ${n} containers not running after 10 min`);
}

async function oneCase(kind, n, slot, after, dir) {
  const project = `${prefix}-${kind}-${n}`;
  const pdir = join(work, project);
  mkdirSync(pdir);
  writeFileSync(join(pdir, 'compose.yaml'), composeText(n, 'one', subnetFor(n, slot)));
  const orcAfter = orcTool(afterBin, after.env);
  let before;
  try {
    log(`${project}: cold up through this tree's daemon (ORC_PARALLELISM=8)`);
    await orcAfter.run(project, pdir, ['up', '-d']);
    await untilRunning(project, n);
    before = await startDaemon(beforeBin, dir, { env });
    await sleep(3000); // the before daemon's startup pass (a no-op) ends
    const cmd = (label, bin, denv, args) => ({
      label,
      cmd: process.execPath,
      args: [bin, '-p', project, '-f', join(pdir, 'compose.yaml'), ...args],
      env: { ...denv, ORC_NO_AUTOSTART: '1' },
      cwd: pdir,
    });
    const args = kind === 'ps' ? ['ps'] : ['up', '-d'];
    const loadBefore = load();
    log(`${project}: ${runs} runs each, interleaved (load ${loadBefore})`);
    const samples = interleaved(
      [
        { label: 'node', cmd: process.execPath, args: ['-e', '0'] },
        cmd('before', beforeBin, before.env, args),
        cmd('after', afterBin, after.env, args),
      ],
      runs,
      pdir,
    );
    const answer = kind === 'ps' ? await daemonPs(project, { before, after }, runs * 2) : undefined;
    // Resident memory of each daemon once it has answered (the kept state included, for this tree's).
    const rss = { before: rssMiB(before.pid), after: rssMiB(after.pid) };
    return { kind, n, samples, answer, rss, load: `${loadBefore} → ${load()}` };
  } finally {
    await before?.stop();
    log(`${project}: down and removal by label`);
    await orcAfter.run(project, pdir, ['down']).catch((e) => log(`down failed: ${e.message}`));
    await cleanupProject(project).catch((e) => log(`cleanup failed: ${e.message}`));
  }
}

const results = [];
const errors = [];
let after;
try {
  const { a, b } = dirs();
  after = await startDaemon(afterBin, a, { env });
  let slot = 0;
  const cases = [...noopSizes.map((n) => ['noop', n]), ...(psContainers > 0 ? [['ps', psContainers]] : [])];
  for (const [kind, n] of cases) {
    // One case failing (an engine that stops answering under a large stack) leaves the others' figures.
    try {
      results.push(await oneCase(kind, n, slot++, after, b));
    } catch (e) {
      errors.push(`${kind} ${n}: ${e.message.split('\n').slice(0, 2).join(' ')}`);
    }
  }
} finally {
  await after?.stop();
  rmSync(work, { recursive: true, force: true });
}

const fmt = (ms) => `${ms.toFixed(0)} ms`;
console.log(
  `\n${new Date().toISOString()} · before: ${beforeBin} · after: ${afterBin} · ${runs} runs each\n`,
);
console.log(
  '| command | load (1/5/15 min) | `node -e 0` | before | after | before × node | after × node | target | RSS before / after |',
);
console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: | --- | ---: |');
for (const r of results) {
  const node = median(r.samples.node);
  const b = median(r.samples.before);
  const x = median(r.samples.after);
  const target = r.kind === 'ps' ? targets.ps : targets.noop(r.n);
  const what = r.kind === 'ps' ? `\`orc ps\`, ${r.n} containers` : `no-op \`up -d\`, ${r.n} services`;
  const cell = (xs) => `${fmt(min(xs))} / ${fmt(median(xs))}`;
  console.log(
    `| ${what} | ${r.load} | ${cell(r.samples.node)} | ${cell(r.samples.before)} | ${cell(r.samples.after)} | ${(b / node).toFixed(2)}× ${b / node <= target ? '✓' : '✗'} | ${(x / node).toFixed(2)}× ${x / node <= target ? '✓' : '✗'} | ≤ ${target}× | ${r.rss.before.toFixed(0)} / ${r.rss.after.toFixed(0)} MiB |`,
  );
}
for (const r of results.filter((x) => x.answer)) {
  const cell = (xs) => `${xs ? `${min(xs).toFixed(1)} / ${median(xs).toFixed(1)} ms` : '-'}`;
  console.log(
    `\nThe daemon's answer alone, \`GET /v1/projects/NAME?detail=false\` (${r.n} containers), interleaved: before ${cell(r.answer.before)}, after ${cell(r.answer.after)}.`,
  );
}
for (const e of errors) console.log(`\n**Failed:** ${e}`);
console.log('\nCells: min / median wall time from spawn to exit; ratios compare medians.');
