import type { Command } from 'commander';
import { type DaemonAddress, resolveAddress } from './client/address.js';
import { type Api, api, type Target } from './client/api.js';
import { ensureDaemon } from './client/autostart.js';
import { ApiError } from './client/http.js';
import type { ProjectSource } from './client/types.js';
import { CliError, ExitCode, failure, formatError } from './errors.js';
import { type GlobalOptions, projectSource, readGlobals } from './globals.js';
import { colorEnabled, type Palette, palette } from './render/color.js';
import { formatProblem, isProblem } from './render/problems.js';

/** Everything a command needs about this invocation: flags, streams, the daemon. */
export interface Context {
  globals: GlobalOptions;
  env: NodeJS.ProcessEnv;
  cwd: string;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  /** Colours for stdout and for stderr (each decided by its own stream). */
  out: Palette;
  err: Palette;
  address: DaemonAddress;
  /** The daemon's API, started first if none answers. */
  connect(): Promise<Api>;
  source(services?: string[]): ProjectSource;
  /** `-p` alone names the project; otherwise the files do (with `-p` as the name when both are given). */
  target(services?: string[]): Target;
  /** The project's name: `-p`, or what the daemon resolves from the files. */
  projectName(client: Api): Promise<string>;
}

export function createContext(cmd: Command): Context {
  return contextOf(readGlobals(cmd, process.env));
}

/** The Context of these global flags (commander's, or the hot path's own parse: hot.ts). */
export function contextOf(globals: GlobalOptions): Context {
  const env = process.env;
  const address = resolveAddress(env, process.getuid?.() ?? 0);
  const cwd = process.cwd();
  let client: Api | undefined;
  const ctx: Context = {
    globals,
    env,
    cwd,
    stdout: process.stdout,
    stderr: process.stderr,
    out: palette(colorEnabled(globals.ansi, process.stdout.isTTY === true, env)),
    err: palette(colorEnabled(globals.ansi, process.stderr.isTTY === true, env)),
    address,
    async connect() {
      // The daemon is looked for when a request finds nobody listening (api.ts), not before each command.
      client ??= api(address, () => ensureDaemon(address, env, (line) => process.stderr.write(`${line}\n`)));
      return client;
    },
    source: (services) => projectSource(globals, cwd, env, services),
    target(services) {
      const byNameOnly = globals.projectName && globals.file.length === 0 && !globals.projectDirectory;
      if (byNameOnly && globals.projectName) return { name: globals.projectName };
      return { name: globals.projectName ?? '-', source: projectSource(globals, cwd, env, services) };
    },
    async projectName(c) {
      const t = ctx.target();
      if (!t.source) return t.name;
      return (await c.lookup(t.source)).name;
    },
  };
  return ctx;
}

function apiCode(body: unknown): string | undefined {
  return body && typeof body === 'object' && 'code' in body && typeof body.code === 'string'
    ? body.code
    : undefined;
}

const HINTS: Record<string, string> = {
  PROJECT_NOT_FOUND: '`orc ls` lists the projects the daemon knows; `orc up -d` creates one',
  SERVICE_NOT_FOUND: '`orc config --services` lists the services of this project',
  OPERATION_IN_PROGRESS: 'another operation is running on this project; wait for it, then try again',
  PROJECT_CONFLICT: 'another directory uses this project name: choose another with -p',
  ENGINE_UNAVAILABLE: 'is the Docker Engine running? (`docker version`; `bash scripts/engine.sh` starts one)',
  UNAUTHORIZED: 'set ORC_TOKEN to the daemon’s token',
  CONTAINER_NOT_FOUND: '`orc ps -a` shows the project’s containers',
};

/** The located compose problems carried by an INVALID_PROJECT answer (or an operation that failed on it). */
export function problemsOf(details: unknown): string[] {
  if (!details || typeof details !== 'object') return [];
  const errors = (details as { errors?: unknown }).errors;
  return Array.isArray(errors) ? errors.filter(isProblem).map(formatProblem) : [];
}

/** Says what failed (a daemon answer explained), on stderr; the exit code. */
export function reportFailure(err: unknown, debug: boolean): number {
  const cliError = err instanceof ApiError ? explainApiError(err) : err;
  if (cliError instanceof CliError && cliError.message === '' && !cliError.hint) return cliError.exitCode;
  process.stderr.write(`${formatError(cliError, debug)}\n`);
  return cliError instanceof CliError ? cliError.exitCode : ExitCode.failed;
}

/** Turns a daemon error answer into the few lines a person needs. */
export function explainApiError(err: ApiError): CliError {
  const code = apiCode(err.body);
  const details =
    err.body && typeof err.body === 'object' ? (err.body as { details?: unknown }).details : undefined;
  if (code === 'INVALID_PROJECT') {
    const problems = problemsOf(details);
    const text = problems.length ? problems.join('\n') : err.message;
    return new CliError(text, ExitCode.failed);
  }
  if (code === 'BAD_REQUEST') {
    return new CliError(
      `the daemon refused the request: ${err.message}`,
      ExitCode.failed,
      'is the CLI the same version as the daemon? (`orc version`)',
    );
  }
  return failure(err.message, code ? HINTS[code] : undefined);
}
