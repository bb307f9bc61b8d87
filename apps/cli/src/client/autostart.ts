import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadChildProcess, loadOs } from '../builtin.js';
import { CliError, ExitCode } from '../errors.js';
import type { DaemonAddress } from './address.js';
import { call, UnreachableError } from './http.js';

export interface Health {
  engineVersion?: string;
  engineApiVersion?: string;
  [key: string]: unknown;
}

/** The daemon's state dir, as the daemon picks it: ORC_STATE_DIR, `/var/lib/orc` for root, `$XDG_STATE_HOME/orc`. */
export function stateDir(env: NodeJS.ProcessEnv, uid: number): string {
  if (env.ORC_STATE_DIR) return env.ORC_STATE_DIR;
  if (env.STATE_DIRECTORY) return env.STATE_DIRECTORY.split(':')[0] as string;
  if (uid === 0) return '/var/lib/orc';
  return join(env.XDG_STATE_HOME || join(env.HOME || loadOs().homedir(), '.local', 'state'), 'orc');
}

export function health(address: DaemonAddress, timeoutMs = 2000): Promise<Health> {
  return call<Health>(address, 'GET', '/v1/health', { signal: AbortSignal.timeout(timeoutMs) });
}

/**
 * Node flags of the daemon orc starts. A young generation of 2 MB semi-spaces instead of node's 16 MB:
 * the semi-spaces grow to the maximum while the daemon loads and converges a project, and stay, so an
 * idle daemon held ~25 MB of empty young generation (issue 17, item 5; docs/benchmarks.md). `orc daemon`
 * started by hand or by a unit takes the same flag through NODE_OPTIONS (docs/running-as-a-service.md).
 */
export const DAEMON_NODE_FLAGS = ['--max-semi-space-size=2'];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function tail(file: string, lines: number): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

const howToStart =
  'start one with `orc daemon` (foreground) or `systemctl start orc`, or point ORC_HOST at one';

/**
 * Makes sure a daemon answers at the address: if none does, starts `orc daemon` detached, logging to
 * `<state dir>/daemon.log` (rotated by the daemon; anything it prints before that goes to `daemon.out`),
 * and waits for `/v1/health` up to `waitMs`.
 */
export async function ensureDaemon(
  address: DaemonAddress,
  env: NodeJS.ProcessEnv,
  log: (line: string) => void,
  // A busy host (load 30+ on two cores, measured) starts the daemon in 12-14 s; it answers as soon as ready.
  waitMs = 30_000,
): Promise<void> {
  try {
    await health(address);
    return;
  } catch (err) {
    if (!(err instanceof UnreachableError)) throw err;
    if (env.ORC_NO_AUTOSTART === '1') {
      throw new CliError(err.message, ExitCode.unreachable, `ORC_NO_AUTOSTART=1 is set: ${howToStart}`);
    }
    if (address.kind !== 'unix') {
      throw new CliError(
        err.message,
        ExitCode.unreachable,
        `orc starts a daemon only for a unix socket: ${howToStart}`,
      );
    }
  }
  const dir = stateDir(env, process.getuid?.() ?? 0);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const outFile = join(dir, 'daemon.out');
  const out = openSync(outFile, 'a', 0o600);
  // This very bundle is the daemon's launcher: `orc daemon` imports the daemon lazily.
  const entry = fileURLToPath(import.meta.url);
  const logFile = join(dir, 'daemon.log');
  const { spawn } = loadChildProcess();
  const child = spawn(process.execPath, [...DAEMON_NODE_FLAGS, entry, 'daemon', '--log-file', logFile], {
    detached: true,
    stdio: ['ignore', out, out],
    env: daemonEnv(env, address.display, dir),
  });
  closeSync(out);
  let exited: number | null | undefined;
  child.on('exit', (code) => {
    exited = code;
  });
  child.unref();
  log(`orc: no daemon answered at ${address.display}; started one (pid ${child.pid}, log: ${logFile})`);
  const deadline = Date.now() + waitMs;
  while (Date.now() < deadline) {
    await sleep(100);
    try {
      await health(address, 1000);
      return;
    } catch (err) {
      if (!(err instanceof UnreachableError)) throw err;
      // Another client may have started one at the same moment: keep polling until the deadline.
      if (exited !== undefined && Date.now() > deadline - waitMs + 2000) break;
    }
  }
  const last = tail(outFile, 5) || tail(logFile, 5);
  throw new CliError(
    `the orc daemon did not become ready at ${address.display}${exited !== undefined ? ` (it exited with ${exited})` : ` within ${Math.round(waitMs / 1000)} s`}${last ? `:\n${last}` : ''}`,
    ExitCode.unreachable,
    `see ${logFile} and ${outFile}; or ${howToStart}`,
  );
}

/**
 * The daemon's environment: the client's, with its address and state dir, without the marks of a compose
 * stand-in run (the daemon is orc's own), and with compose's parallel limit as its bound when given.
 */
export function daemonEnv(env: NodeJS.ProcessEnv, address: string, stateDir: string): NodeJS.ProcessEnv {
  const {
    ORC_INVOKED_AS: _as,
    ORC_AS_COMPOSE: _compose,
    DOCKER_CLI_PLUGIN_ORIGINAL_CLI_COMMAND: _plugin,
    ...rest
  } = env;
  const out: NodeJS.ProcessEnv = { ...rest, ORC_HOST: address, ORC_STATE_DIR: stateDir };
  if (!out.ORC_PARALLELISM && env.COMPOSE_PARALLEL_LIMIT) out.ORC_PARALLELISM = env.COMPOSE_PARALLEL_LIMIT;
  return out;
}
