/**
 * The daemon's settings from `orc daemon` flags and the environment (flags win). Pure: it reads the
 * files it is told to (token file, /etc/group) through the injected `readFile`/`statFile`, so it is testable.
 */

import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

export type ListenAddress = { kind: 'unix'; path: string } | { kind: 'tcp'; host: string; port: number };

export interface DaemonSettings {
  listen: ListenAddress;
  /** `ORC_HOST` as given or defaulted, for the ready line. */
  hostUrl: string;
  /** Required on TCP. Never logged. */
  token?: string;
  /** Group allowed on the socket (mode 0660); absent = 0600. */
  socketGroup?: string;
  stateDir: string;
  logLevel: LogLevel;
  /** Absent = JSON lines on stderr. */
  logFile?: string;
  /** Rotate the log file at this size (pino-roll syntax: `10m`). */
  logSize: string;
  /** Rotated files kept besides the current one. */
  logKeep: number;
  /** A fixed bound on engine operations in flight, or `auto`: adaptive to the engine's latency. */
  parallelism: number | 'auto';
  /** Default `logging:` for containers that set none (bounded logs). */
  containerLogDriver?: string;
  containerLogOptions: Record<string, string>;
  allowOrigins: string[];
  allowHosts: string[];
  allowRemote: boolean;
  /** Engine address (`DOCKER_HOST`), absent = /var/run/docker.sock. */
  dockerHost?: string;
  /** `--ui` / `ORC_UI=1`: serve the browser status page (docs/ui.md). */
  ui: boolean;
  /** `--ui-listen` / `ORC_UI_LISTEN`: a TCP listener beside `listen` for the page and the API (token required). */
  uiListen?: { host: string; port: number };
  /** `ORC_UI_DIR`: the built page (absent = the `@orc/ui` package's `dist/`). */
  uiDir?: string;
}

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
const LOG_LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** A settings problem: the daemon prints it and exits with status 2, without a stack trace. */
export class SettingsError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'SettingsError';
    this.code = code;
  }
}

export interface SettingsEnvironment {
  env: NodeJS.ProcessEnv;
  uid: number;
  readFile(path: string): string;
  /** File mode bits (e.g. 0o600) of a path. */
  fileMode(path: string): number;
}

export const USAGE = `Usage: orc daemon [options]

Runs the orc daemon in the foreground.

Options (environment variable in brackets; flags win):
  -H, --host URL           unix:///path/orc.sock or tcp://127.0.0.1:PORT [ORC_HOST]
                           default: /run/orc/orc.sock (root), $XDG_RUNTIME_DIR/orc/orc.sock (others)
      --state-dir DIR      where registered projects are kept [ORC_STATE_DIR]
                           default: /var/lib/orc (root), $XDG_STATE_HOME/orc (others)
      --token-file FILE    bearer token for TCP, a 0600 file [ORC_TOKEN_FILE]; or the token in [ORC_TOKEN]
      --socket-group NAME  let this group use the socket (mode 0660) [ORC_SOCKET_GROUP]
      --allow-remote       allow a TCP bind address that is not loopback
      --allow-origin URL   accept browser requests from this origin (repeatable)
      --allow-host NAME    accept this Host header on TCP (repeatable)
      --log-level LEVEL    fatal|error|warn|info|debug|trace|silent [ORC_LOG_LEVEL] (default info)
      --log-file FILE      write the daemon log there, rotated [ORC_LOG_FILE] (default: stderr)
      --log-size SIZE      rotate the log file at this size (default 10m)
      --log-keep N         rotated log files kept (default 5)
      --parallelism N|auto engine operations run at once; auto follows the engine's latency
                           [ORC_PARALLELISM] (default auto)
      --log-driver NAME    default logging driver for containers without one (default json-file)
      --log-opt K=V        default logging option for containers (repeatable; default max-size=10m, max-file=3)
      --ui                 serve the browser status page on the TCP listener [ORC_UI=1]
      --ui-listen URL      tcp://127.0.0.1:PORT: a TCP listener for the page and the API beside ORC_HOST,
                           token required, loopback unless --allow-remote [ORC_UI_LISTEN]
  -h, --help               show this help

DOCKER_HOST selects the engine (default unix:///var/run/docker.sock). ORC_UI_DIR: the built status page
(default: the @orc/ui package's dist/ beside the daemon).`;

export function parseSettings(argv: string[], sys: SettingsEnvironment): DaemonSettings | 'help' {
  let parsed: ReturnType<typeof parseFlags>;
  try {
    parsed = parseFlags(argv);
  } catch (err) {
    throw new SettingsError('INVALID_FLAG', `${(err as Error).message}\n\n${USAGE}`);
  }
  const { values } = parsed;
  if (values.help) return 'help';
  const env = sys.env;
  const root = sys.uid === 0;

  const hostUrl = values.host ?? env.ORC_HOST ?? defaultHost(root, env);
  const listen = parseHost(hostUrl);

  const logLevel = (values['log-level'] ?? env.ORC_LOG_LEVEL ?? 'info') as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new SettingsError(
      'INVALID_FLAG',
      `--log-level must be one of ${LOG_LEVELS.join(', ')}, not "${logLevel}"`,
    );
  }
  // `auto` by measurement: docs/benchmarks.md "Cold up, down and change one".
  const parallelismText = values.parallelism ?? env.ORC_PARALLELISM ?? 'auto';
  const parallelism =
    parallelismText === 'auto' ? 'auto' : positiveInt(parallelismText, '--parallelism (or `auto`)');
  const logKeep = positiveInt(values['log-keep'] ?? '5', '--log-keep');

  const tokenFile = values['token-file'] ?? env.ORC_TOKEN_FILE;
  const token = tokenFile ? readToken(tokenFile, sys) : env.ORC_TOKEN?.trim() || undefined;

  const settings: DaemonSettings = {
    listen,
    hostUrl,
    stateDir: values['state-dir'] ?? env.ORC_STATE_DIR ?? defaultStateDir(root, env),
    logLevel,
    logSize: values['log-size'] ?? '10m',
    logKeep,
    parallelism,
    containerLogOptions: parseLogOpts(values['log-opt'] ?? []),
    allowOrigins: values['allow-origin'] ?? [],
    allowHosts: values['allow-host'] ?? [],
    allowRemote: values['allow-remote'] ?? false,
    ui: false,
  };
  const logFile = values['log-file'] ?? env.ORC_LOG_FILE;
  if (logFile) settings.logFile = logFile;
  const driver = values['log-driver'];
  if (driver) settings.containerLogDriver = driver;
  if (token) settings.token = token;
  const group = values['socket-group'] ?? env.ORC_SOCKET_GROUP;
  if (group) settings.socketGroup = group;
  if (env.DOCKER_HOST) settings.dockerHost = env.DOCKER_HOST;
  Object.assign(settings, uiSettings(values.ui, values['ui-listen'], env));

  if (listen.kind === 'tcp') checkTcp(listen.host, hostUrl, settings);
  if (settings.uiListen) checkTcp(settings.uiListen.host, `--ui-listen ${settings.uiListen.host}`, settings);
  if (settings.ui && listen.kind !== 'tcp' && !settings.uiListen) {
    throw new SettingsError(
      'UI_LISTEN_REQUIRED',
      '--ui serves the page on TCP: add --ui-listen tcp://127.0.0.1:PORT (ORC_UI_LISTEN), or set ORC_HOST=tcp://…',
    );
  }
  return settings;
}

/** A TCP listener needs the token, and loopback unless `--allow-remote`. */
function checkTcp(host: string, what: string, settings: DaemonSettings): void {
  if (!settings.token) {
    throw new SettingsError(
      'TOKEN_REQUIRED',
      `listening on ${what} needs a token: set ORC_TOKEN or --token-file (a 0600 file); ` +
        'anyone on this machine can reach a TCP port',
    );
  }
  if (!isLoopback(host) && !settings.allowRemote) {
    throw new SettingsError(
      'REMOTE_BIND',
      `${host} is not a loopback address; pass --allow-remote to listen there (and put TLS in front)`,
    );
  }
}

/** `--ui`/`ORC_UI`, `--ui-listen`/`ORC_UI_LISTEN`, `ORC_UI_DIR`. `--ui-listen` without `--ui` is refused. */
function uiSettings(
  flag: boolean | undefined,
  listenFlag: string | undefined,
  env: NodeJS.ProcessEnv,
): Pick<DaemonSettings, 'ui' | 'uiListen' | 'uiDir'> {
  const ui = flag ?? ['1', 'true', 'yes'].includes((env.ORC_UI ?? '').toLowerCase());
  const out: Pick<DaemonSettings, 'ui' | 'uiListen' | 'uiDir'> = { ui };
  const listenUrl = listenFlag ?? (env.ORC_UI_LISTEN || undefined);
  if (listenUrl) {
    const address = parseHost(listenUrl);
    if (address.kind !== 'tcp') {
      throw new SettingsError('INVALID_HOST', `--ui-listen must be tcp://HOST:PORT, not "${listenUrl}"`);
    }
    if (!ui) {
      throw new SettingsError('UI_REQUIRED', `--ui-listen ${listenUrl} serves the page: add --ui (ORC_UI=1)`);
    }
    out.uiListen = { host: address.host, port: address.port };
  }
  if (env.ORC_UI_DIR) out.uiDir = env.ORC_UI_DIR;
  return out;
}

function parseFlags(argv: string[]) {
  return parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      host: { type: 'string', short: 'H' },
      'state-dir': { type: 'string' },
      'token-file': { type: 'string' },
      'socket-group': { type: 'string' },
      'allow-remote': { type: 'boolean' },
      'allow-origin': { type: 'string', multiple: true },
      'allow-host': { type: 'string', multiple: true },
      'log-level': { type: 'string' },
      'log-file': { type: 'string' },
      'log-size': { type: 'string' },
      'log-keep': { type: 'string' },
      parallelism: { type: 'string' },
      'log-driver': { type: 'string' },
      'log-opt': { type: 'string', multiple: true },
      ui: { type: 'boolean' },
      'ui-listen': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

export function defaultHost(root: boolean, env: NodeJS.ProcessEnv): string {
  if (root) return 'unix:///run/orc/orc.sock';
  const runtime = env.XDG_RUNTIME_DIR || join('/tmp', `orc-${process.getuid?.() ?? 'user'}`);
  return `unix://${join(runtime, 'orc', 'orc.sock')}`;
}

function defaultStateDir(root: boolean, env: NodeJS.ProcessEnv): string {
  // systemd's StateDirectory= sets STATE_DIRECTORY.
  if (env.STATE_DIRECTORY) return env.STATE_DIRECTORY.split(':')[0] as string;
  if (root) return '/var/lib/orc';
  return join(env.XDG_STATE_HOME || join(env.HOME || homedir(), '.local', 'state'), 'orc');
}

export function parseHost(url: string): ListenAddress {
  if (url.startsWith('unix://')) {
    const path = url.slice('unix://'.length);
    if (!path.startsWith('/')) {
      throw new SettingsError(
        'INVALID_HOST',
        `"${url}": a unix socket path must be absolute (unix:///path/orc.sock)`,
      );
    }
    return { kind: 'unix', path };
  }
  if (url.startsWith('tcp://')) {
    let parsed: URL;
    try {
      parsed = new URL(`http://${url.slice('tcp://'.length)}`);
    } catch {
      throw new SettingsError('INVALID_HOST', `"${url}" is not a valid tcp://host:port address`);
    }
    const port = Number(parsed.port);
    if (!parsed.port || !Number.isInteger(port) || port < 1 || port > 65535) {
      throw new SettingsError('INVALID_HOST', `"${url}" needs a port (tcp://127.0.0.1:7323)`);
    }
    return { kind: 'tcp', host: parsed.hostname.replace(/^\[|\]$/g, ''), port };
  }
  throw new SettingsError('INVALID_HOST', `"${url}": ORC_HOST must start with unix:// or tcp://`);
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

function positiveInt(text: string, name: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1)
    throw new SettingsError('INVALID_FLAG', `${name} must be a positive integer, not "${text}"`);
  return n;
}

function parseLogOpts(opts: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const opt of opts) {
    const eq = opt.indexOf('=');
    if (eq <= 0) throw new SettingsError('INVALID_FLAG', `--log-opt must be KEY=VALUE, not "${opt}"`);
    out[opt.slice(0, eq)] = opt.slice(eq + 1);
  }
  return out;
}

/** A token file others can read is as good as no token: refuse it rather than run exposed. */
function readToken(path: string, sys: SettingsEnvironment): string {
  let mode: number;
  let text: string;
  try {
    mode = sys.fileMode(path);
    text = sys.readFile(path);
  } catch (err) {
    throw new SettingsError('TOKEN_FILE', `cannot read the token file ${path}: ${(err as Error).message}`);
  }
  if ((mode & 0o077) !== 0) {
    throw new SettingsError(
      'TOKEN_FILE',
      `the token file ${path} has mode ${(mode & 0o777).toString(8)}; make it private: chmod 600 ${path}`,
    );
  }
  const token = text.trim();
  if (!token) throw new SettingsError('TOKEN_FILE', `the token file ${path} is empty`);
  return token;
}
