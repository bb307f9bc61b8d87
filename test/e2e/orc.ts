/**
 * Drives the BUILT `orc` binary (node_modules/.bin/orc) as a user would: a private daemon address and
 * state dir per test file, the daemon autostarted by the first command and killed (by its pid) afterwards.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const ORC_BIN = join(ROOT, 'node_modules', '.bin', 'orc');
export const DEMO_DIR = join(ROOT, 'examples', 'demo');

export interface Result {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface OrcEnv {
  dir: string;
  env: NodeJS.ProcessEnv;
  socket: string;
  stateDir: string;
  /** The autostarted daemon's pid, read from the CLI's "started one (pid N" line. */
  daemonPid?: number;
}

/** Fails early with the way out when the workspace has not been built. */
export function assertBuilt(): void {
  const bundle = join(ROOT, 'apps', 'cli', 'dist', 'orc.js');
  const daemon = join(ROOT, 'apps', 'daemon', 'dist', 'index.js');
  for (const f of [ORC_BIN, bundle, daemon]) {
    if (!existsSync(f)) throw new Error(`${f} is missing: run \`npx turbo run build\` before the e2e tests`);
  }
}

export function orcEnv(label: string): OrcEnv {
  const dir = mkdtempSync(join(tmpdir(), `orc-e2e-${label}-`));
  const socket = join(dir, 'orc.sock');
  const stateDir = join(dir, 'state');
  const env: NodeJS.ProcessEnv = { ...process.env, ORC_HOST: `unix://${socket}`, ORC_STATE_DIR: stateDir };
  delete env.ORC_NO_AUTOSTART;
  delete env.NO_COLOR;
  return { dir, env, socket, stateDir };
}

const PID_LINE = /started one \(pid (\d+)/;

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

/** Starts `orc args...`; the caller decides when to signal or wait. */
export function start(
  o: OrcEnv,
  args: string[],
  opts: RunOptions = {},
): { child: ChildProcess; result: Promise<Result> } {
  const child = spawn(ORC_BIN, args, {
    cwd: opts.cwd ?? DEMO_DIR,
    env: { ...o.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (c: Buffer) => {
    stdout += c.toString();
  });
  child.stderr?.on('data', (c: Buffer) => {
    stderr += c.toString();
    const pid = PID_LINE.exec(stderr)?.[1];
    if (pid && o.daemonPid === undefined) o.daemonPid = Number(pid);
  });
  const result = new Promise<Result>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, result };
}

export function orc(o: OrcEnv, args: string[], opts: RunOptions = {}): Promise<Result> {
  return start(o, args, opts).result;
}

/** Resolves once `predicate(stdout)` holds, or rejects when the process ends first. */
export function waitForOutput(child: ChildProcess, predicate: (out: string) => boolean): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (c: Buffer) => {
      out += c.toString();
      if (predicate(out)) {
        child.stdout?.off('data', onData);
        resolve(out);
      }
    };
    child.stdout?.on('data', onData);
    child.on('close', () => reject(new Error(`orc ended before the expected output; got:\n${out}`)));
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Stops the daemon this file started (SIGTERM, then SIGKILL), and removes its temporary dir. */
export async function stopDaemon(o: OrcEnv): Promise<void> {
  // Also from the daemon's own ready line, should the CLI's line have been missed, and any other daemon
  // serving this state dir (two CLIs racing to autostart; one was left running after a CI run once).
  const pids = new Set([o.daemonPid ?? readyPid(o), ...daemonsOf(o.stateDir)]);
  for (const pid of pids) if (pid !== undefined && alive(pid)) process.kill(pid, 'SIGTERM');
  for (const pid of pids) {
    if (pid === undefined) continue;
    for (let i = 0; i < 100 && alive(pid); i++) await new Promise((r) => setTimeout(r, 100));
    if (alive(pid)) process.kill(pid, 'SIGKILL');
  }
  rmSync(o.dir, { recursive: true, force: true });
}

/** Pids of `orc daemon` processes whose environment names this state dir (Linux's /proc; none elsewhere). */
function daemonsOf(stateDir: string): number[] {
  const mark = `\0ORC_STATE_DIR=${stateDir}\0`;
  const found: number[] = [];
  let entries: string[] = [];
  try {
    entries = readdirSync('/proc').filter((e) => /^\d+$/.test(e));
  } catch {
    return found;
  }
  for (const e of entries) {
    try {
      if (!readFileSync(`/proc/${e}/cmdline`, 'utf8').split('\0').includes('daemon')) continue;
      if (`\0${readFileSync(`/proc/${e}/environ`, 'utf8')}\0`.includes(mark)) found.push(Number(e));
    } catch {
      // Gone meanwhile, or not ours to read.
    }
  }
  return found;
}

function readyPid(o: OrcEnv): number | undefined {
  try {
    const pid = /ready on .*\(pid (\d+)/.exec(readFileSync(join(o.stateDir, 'daemon.out'), 'utf8'))?.[1];
    return pid ? Number(pid) : undefined;
  } catch {
    return undefined;
  }
}

/** The daemon's log, for assertion messages when something goes wrong. */
export function daemonLog(o: OrcEnv): string {
  for (const f of ['daemon.log', 'daemon.out']) {
    try {
      return readFileSync(join(o.stateDir, f), 'utf8').slice(-4000);
    } catch {}
  }
  return '(no daemon log)';
}

/** A TCP port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** `docker inspect` fields of a project's containers, by name. */
export function explain(r: Result): string {
  return `exit ${r.code}${r.signal ? ` (${r.signal})` : ''}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;
}
