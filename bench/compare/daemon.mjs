/**
 * The orc daemon under test: started once for the whole run (`orc daemon` in the foreground, a child of
 * this process), on its own socket and state dir, stopped by its pid at the end. Also reads its CPU time
 * and RSS from /proc.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function health(socketPath) {
  return new Promise((resolve) => {
    const req = request({ socketPath, path: '/v1/health', timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

/**
 * Starts the daemon; resolves once /v1/health answers. `profDir` adds node's --cpu-prof (written when the
 * daemon exits on SIGTERM); `env` adds to its environment (e.g. ORC_PARALLELISM).
 */
export async function startDaemon(bin, dir, { profDir, env: extra = {} } = {}) {
  const socketPath = join(dir, 'orc.sock');
  const env = { ORC_HOST: `unix://${socketPath}`, ORC_STATE_DIR: join(dir, 'state') };
  // As the CLI starts it (DAEMON_NODE_FLAGS, apps/cli/src/client/autostart.ts): a 2 MB young generation.
  // ORC_BENCH_DAEMON_NODE_FLAGS replaces them (e.g. empty, for a tree from before that flag).
  const flags = (process.env.ORC_BENCH_DAEMON_NODE_FLAGS ?? '--max-semi-space-size=2')
    .split(' ')
    .filter(Boolean);
  const nodeFlags = [...flags, ...(profDir ? ['--cpu-prof', '--cpu-prof-dir', profDir] : [])];
  const child = spawn(
    process.execPath,
    [...nodeFlags, bin, 'daemon', '--log-level', 'warn', '--log-file', join(dir, 'daemon.log')],
    { env: { ...process.env, ...extra, ...env }, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`orc daemon exited ${child.exitCode}: ${stderr}`);
    if (await health(socketPath))
      return { pid: child.pid, env, exited, stop: () => stopDaemon(child, exited) };
    await sleep(100);
  }
  child.kill('SIGKILL');
  throw new Error(`orc daemon did not answer within 30 s: ${stderr}`);
}

async function stopDaemon(child, exited) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  process.kill(child.pid, 'SIGTERM');
  const timer = setTimeout(() => child.exitCode === null && process.kill(child.pid, 'SIGKILL'), 15000);
  await exited;
  clearTimeout(timer);
}

const TICKS_PER_S = 100; // USER_HZ: /proc reports CPU time in 1/100 s on Linux

/** utime + stime of a process, in seconds. */
export function cpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces) start at state (field 3); utime, stime = 14, 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_S;
}

/** Resident set size in MiB (VmRSS). */
export function rssMiB(pid) {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : Number.NaN;
}

/** Samples CPU and RSS of `pid` over `seconds`: CPU % over the window, RSS each second. */
export async function sampleIdle(pid, seconds) {
  const rss = [];
  const cpu0 = cpuSeconds(pid);
  const t0 = performance.now();
  for (let i = 0; i < seconds; i++) {
    await sleep(1000);
    rss.push(rssMiB(pid));
  }
  const wall = (performance.now() - t0) / 1000;
  return { seconds: wall, cpuPercent: ((cpuSeconds(pid) - cpu0) / wall) * 100, rssMiB: rss };
}
