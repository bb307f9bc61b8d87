#!/usr/bin/env node
/**
 * orc beside `docker stack deploy` on the swarm lab (issue 15), the same compose file for both, in one run:
 *   - deploy: time until the stack has converged (every service has all its tasks running), polled on
 *     the manager's API (`/services?status=true`, what `docker stack services` reads); also when the
 *     command itself returns (`docker stack deploy` returns at once; `orc up -d` after the health-ordered
 *     creates);
 *   - a no-op redeploy: how many services each updates (every service's Version.Index before and after);
 *   - change one service (its environment): how many services are updated, and the time until the changed
 *     service's tasks run the new spec;
 *   - `orc down` beside `docker stack rm`: the time until no task container is left on any node.
 * The file: N services of the lab's busybox, dnsrr, one replica each, and one `depends_on` chain (s00 with
 * a healthcheck ← s01 ← s02) in the list form: `docker stack deploy` refuses the long form with
 * `condition:` ("depends_on must be a list"). Prints a markdown table with orc / peer ratios, ✓/✗ against
 * the targets, and the machine's load. Reports only; asserts nothing.
 *
 * Needs root and the lab's tools (scripts/swarm-lab.sh); uses the running lab (ORC_LAB_PREFIX,
 * ORC_LAB_NET) or starts one and takes it down at the end. Never touches the shared engine.
 *
 * Knobs (environment):
 *   ORC_BENCH_SWARM_SIZES=10,30   stack sizes
 *   ORC_BENCH_SWARM_REPS=1        repetitions per tool and size (medians are reported)
 *   ORC_BENCH_SKIP_BUILD=1        use the existing build
 *   ORC_BENCH_ORC_BIN=PATH        another tree's built orc
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { startDaemon } from '../compare/daemon.mjs';
import { timedRun } from '../compare/tools.mjs';
import { engine, filters, labEnv, labScript, managerAnswers } from './lab.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const env = process.env;
const sizes = (env.ORC_BENCH_SWARM_SIZES ?? '10,30').split(',').filter(Boolean).map(Number);
const reps = Number(env.ORC_BENCH_SWARM_REPS ?? 1);
const bin = env.ORC_BENCH_ORC_BIN ?? join(root, 'apps/cli/bin/orc.js');
const work = mkdtempSync(join(tmpdir(), 'orcb-swarm-'));
const stacks = new Set();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const log = (...a) => console.error(`[swarm bench ${new Date().toISOString().slice(11, 19)}]`, ...a);
const uptime = () => spawnSync('uptime', { encoding: 'utf8' }).stdout.trim();
const POLL_MS = 100;
const TIMEOUT_MS = 180_000;

/** The compose file both tools deploy; `variant` is the last service's environment (the one change). */
export function stackCompose(n, image, variant) {
  const lines = ['services:'];
  for (let i = 0; i < n; i++) {
    const name = `s${String(i).padStart(2, '0')}`;
    lines.push(`  ${name}:`, `    image: ${image}`, '    stop_grace_period: 1s');
    lines.push('    deploy: {replicas: 1, endpoint_mode: dnsrr}');
    lines.push(`    environment: {V: "${i === n - 1 ? variant : 'one'}"}`);
    if (i === 0) {
      lines.push('    command: ["sh", "-c", "sleep 1; touch /tmp/ready; exec sleep 3600"]');
      lines.push(
        '    healthcheck: {test: ["CMD", "sh", "-c", "test -f /tmp/ready"], interval: 1s, timeout: 2s, retries: 30}',
      );
    } else {
      lines.push('    command: ["sleep", "3600"]');
    }
    if (i === 1 || i === 2) lines.push(`    depends_on: [s0${i - 1}]`);
  }
  return `${lines.join('\n')}\n`;
}

/** The two tools, each run as a user runs it: a fresh process per command. */
function tools(lab, daemonEnv) {
  const file = (dir) => join(dir, 'compose.yaml');
  const docker = (args, dir) => timedRun('docker', ['-H', lab.managerHost, ...args], { cwd: dir, env: {} });
  const orc = (stack, dir, args) =>
    timedRun(process.execPath, [bin, '-p', stack, '-f', file(dir), ...args], {
      cwd: dir,
      env: { ...daemonEnv, ORC_NO_AUTOSTART: '1' },
    });
  return [
    {
      name: 'orc',
      deploy: (stack, dir) => orc(stack, dir, ['up', '-d', '--target', 'swarm']),
      down: (stack, dir) => orc(stack, dir, ['down']),
    },
    {
      name: 'peer',
      deploy: (stack, dir) => docker(['stack', 'deploy', '--detach=true', '-c', file(dir), stack], dir),
      down: (stack, dir) => docker(['stack', 'rm', stack], dir),
    },
  ];
}

async function services(lab, stack) {
  const q = filters({ label: [`com.docker.stack.namespace=${stack}`] });
  return engine(lab.socket, `/services?status=true&${q}`);
}

/** Every service of the stack present, each with all its desired tasks running. */
async function converged(lab, stack, n) {
  const list = await services(lab, stack);
  return (
    list.length === n &&
    list.every((s) => s.ServiceStatus && s.ServiceStatus.RunningTasks === s.ServiceStatus.DesiredTasks)
  );
}

/** The changed service's tasks that should run are all running, with the new environment. */
async function changeDone(lab, stack, service, variant) {
  const q = filters({ service: [`${stack}_${service}`], 'desired-state': ['running'] });
  const tasks = await engine(lab.socket, `/tasks?${q}`);
  return (
    tasks.length > 0 &&
    tasks.every(
      (t) => t.Status?.State === 'running' && (t.Spec?.ContainerSpec?.Env ?? []).includes(`V=${variant}`),
    )
  );
}

/** No container of the stack on any node, and no service. */
async function gone(lab, stack) {
  if ((await services(lab, stack)).length) return false;
  for (const socket of lab.nodeSockets) {
    const all = await engine(socket, '/containers/json?all=true');
    if (all.some((c) => (c.Names ?? []).some((name) => name.startsWith(`/${stack}_`)))) return false;
  }
  return true;
}

/** ms from t0 until `check` holds, polled. */
async function until(t0, what, check) {
  for (;;) {
    if (await check()) return performance.now() - t0;
    if (performance.now() - t0 > TIMEOUT_MS) throw new Error(`${what}: not after ${TIMEOUT_MS / 1000} s`);
    await sleep(POLL_MS);
  }
}

async function versions(lab, stack) {
  return new Map((await services(lab, stack)).map((s) => [s.Spec.Name, s.Version.Index]));
}

function updatesBetween(before, after) {
  let n = 0;
  for (const [name, v] of after) if (before.get(name) !== v) n++;
  return n;
}

/** One tool, one size: deploy, no-op, change one, down. */
async function cycle(lab, tool, n, rep) {
  const stack = `sr${process.pid}${tool.name[0]}${n}r${rep}`;
  stacks.add(stack);
  const dir = join(work, stack);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'compose.yaml'), stackCompose(n, lab.image, 'one'));
  const last = `s${String(n - 1).padStart(2, '0')}`;
  const out = {};
  let t0 = performance.now();
  out.deployCmd = await tool.deploy(stack, dir);
  out.converge = await until(t0, `${tool.name} deploy ${n}`, () => converged(lab, stack, n));

  let before = await versions(lab, stack);
  out.noopCmd = await tool.deploy(stack, dir);
  await sleep(500); // a peer's updates are asynchronous on the manager: let them land before reading
  out.noopUpdates = updatesBetween(before, await versions(lab, stack));

  writeFileSync(join(dir, 'compose.yaml'), stackCompose(n, lab.image, 'two'));
  before = await versions(lab, stack);
  t0 = performance.now();
  out.changeCmd = await tool.deploy(stack, dir);
  out.change = await until(t0, `${tool.name} change one`, () => changeDone(lab, stack, last, 'two'));
  await sleep(500);
  out.changeUpdates = updatesBetween(before, await versions(lab, stack));

  t0 = performance.now();
  out.downCmd = await tool.down(stack, dir);
  out.gone = await until(t0, `${tool.name} down ${n}`, () => gone(lab, stack));
  stacks.delete(stack);
  return out;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const secs = (ms) => `${(ms / 1000).toFixed(2)} s`;
const mark = (ok) => (ok ? '✓' : '✗');

/** The markdown table: one row per measure and size, orc / peer, the target and ✓/✗. */
export function table(results) {
  const rows = [
    '| measure | services | orc | `docker stack deploy` | orc / peer | target | |',
    '| --- | ---: | ---: | ---: | ---: | --- | --- |',
  ];
  for (const { n, orc, peer } of results) {
    const m = (xs, k) => median(xs.map((x) => x[k]));
    const timeRow = (what, k, target, limit) => {
      const r = m(orc, k) / m(peer, k);
      rows.push(
        `| ${what} | ${n} | ${secs(m(orc, k))} | ${secs(m(peer, k))} | ${r.toFixed(2)}× | ${target} | ${limit === undefined ? '' : mark(r <= limit)} |`,
      );
    };
    const countRow = (what, k, target, ok) =>
      rows.push(`| ${what} | ${n} | ${m(orc, k)} | ${m(peer, k)} | – | ${target} | ${mark(ok(m(orc, k)))} |`);
    timeRow('deploy: every task running', 'converge', '≤ 2× (orc orders the chain)', 2);
    timeRow('deploy: the command returns', 'deployCmd', '– (the peer returns at once)');
    countRow('no-op redeploy: services updated', 'noopUpdates', 'orc 0', (v) => v === 0);
    timeRow('no-op redeploy: the command', 'noopCmd', '≤ 3×', 3);
    countRow('change one: services updated', 'changeUpdates', 'orc 1', (v) => v === 1);
    timeRow('change one: its tasks run the new spec', 'change', '≤ 1.5×', 1.5);
    timeRow('down / stack rm: no task left on any node', 'gone', '≤ 1.2×', 1.2);
  }
  return rows.join('\n');
}

async function main() {
  const started = uptime();
  let lab = labEnv();
  let ownLab = false;
  if (!(await managerAnswers(lab))) {
    log('no lab answering: scripts/swarm-lab.sh up 3');
    labScript('up', '3');
    ownLab = true;
    lab = labEnv();
  }
  if (env.ORC_BENCH_SKIP_BUILD !== '1' && !env.ORC_BENCH_ORC_BIN) {
    log('npx turbo run build');
    const b = spawnSync('npx', ['turbo', 'run', 'build', '--output-logs=errors-only'], {
      cwd: root,
      stdio: 'inherit',
    });
    if (b.status !== 0) throw new Error('build failed');
  }
  // The daemon's engine is the lab's manager (startDaemon passes this process's environment on).
  process.env.DOCKER_HOST = lab.managerHost;
  const daemon = await startDaemon(bin, work);
  const results = [];
  const loads = [loadavg()[0]];
  try {
    for (const n of sizes) {
      const r = { n, orc: [], peer: [] };
      for (let rep = 0; rep < reps; rep++) {
        // Alternate who goes first: a warm manager or image cache favours the second.
        const order = rep % 2 ? tools(lab, daemon.env).reverse() : tools(lab, daemon.env);
        for (const tool of order) {
          log(`${tool.name}: ${n} services, rep ${rep + 1}/${reps}`);
          r[tool.name].push(await cycle(lab, tool, n, rep));
          loads.push(loadavg()[0]);
        }
      }
      results.push(r);
    }
  } finally {
    await daemon.stop();
    // What a failed step left: by the stack's name, on the lab only.
    for (const stack of stacks) spawnSync('docker', ['-H', lab.managerHost, 'stack', 'rm', stack]);
    if (ownLab) labScript('down');
  }
  const md = [
    `orc vs \`docker stack deploy\` on the ${lab.nodeSockets.length}-node swarm lab, ${reps} rep(s), medians`,
    '',
    table(results),
    '',
    `load (1-min average during the run): ${Math.min(...loads).toFixed(2)}–${Math.max(...loads).toFixed(2)}`,
    `uptime before: ${started}`,
    `uptime after:  ${uptime()}`,
  ].join('\n');
  mkdirSync(join(root, 'bench/results'), { recursive: true });
  writeFileSync(join(root, 'bench/results/swarm-latest.md'), `${md}\n`);
  writeFileSync(
    join(root, 'bench/results/swarm-latest.json'),
    `${JSON.stringify({ date: new Date().toISOString(), sizes, reps, results }, null, 2)}\n`,
  );
  console.log(md);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main()
    .catch((e) => {
      console.error(e);
      process.exitCode = 1;
    })
    .finally(() => rmSync(work, { recursive: true, force: true }));
}
