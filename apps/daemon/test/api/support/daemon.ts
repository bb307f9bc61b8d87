/**
 * Runs the real daemon as a separate process (node on a bundle of the sources, temporary state dir and
 * socket), and talks to it over HTTP only. Each test file gets its own daemon; `stop()` sends SIGTERM.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('../../../../../', import.meta.url));
const outDir = join(root, 'apps/daemon/node_modules/.cache/orc-api-test');

let bundled: Promise<string> | undefined;

/** One bundle per test process; node resolves the external packages from the repo's node_modules. */
export function daemonBundle(): Promise<string> {
  bundled ??= (async () => {
    const pkg = (p: string) => JSON.parse(readFileSync(join(root, p), 'utf8')) as { dependencies?: object };
    const external = [
      ...Object.keys(pkg('apps/daemon/package.json').dependencies ?? {}),
      ...Object.keys(pkg('packages/spec/package.json').dependencies ?? {}),
    ].filter((d) => d !== '@orc/spec');
    const outfile = join(outDir, `orcd-${process.pid}.mjs`);
    mkdirSync(outDir, { recursive: true });
    await build({
      entryPoints: [fileURLToPath(new URL('./entry.ts', import.meta.url))],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      external,
      alias: { '@orc/spec': join(root, 'packages/spec/src/index.ts') },
      logLevel: 'error',
    });
    // Bundles of earlier runs (one per test process) are left behind by killed runs: drop the stale ones.
    for (const f of readdirSync(outDir)) {
      const path = join(outDir, f);
      if (path !== outfile && Date.now() - statSync(path).mtimeMs > 3_600_000) rmSync(path, { force: true });
    }
    return outfile;
  })();
  return bundled;
}

export interface Response {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: test assertions read arbitrary JSON shapes
  json: any;
}

export interface DaemonProcess {
  dir: string;
  socket: string;
  stateDir: string;
  logFile: string;
  proc: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Every line the daemon logged so far (all rotated files). */
  log(): string;
  request(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Response>;
  /** Opens a stream and hands back its lines as they come; `close()` ends it. */
  stream(path: string, headers?: Record<string, string>): Promise<LineStream>;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

export interface LineStream {
  status: number;
  headers: IncomingHttpHeaders;
  /** Resolves with the first line the predicate accepts (lines before it are kept in `lines`). */
  until(predicate: (line: string) => boolean): Promise<string>;
  lines: string[];
  ended: Promise<void>;
  close(): void;
}

export interface StartOptions {
  args?: string[];
  env?: NodeJS.ProcessEnv;
  /** Default: unix socket in the temporary dir. */
  host?: string;
  logFile?: boolean;
}

export async function startDaemon(opts: StartOptions = {}): Promise<DaemonProcess> {
  const entry = await daemonBundle();
  const dir = mkdtempSync(join(tmpdir(), 'orc-api-'));
  const socket = opts.host?.startsWith('unix://')
    ? opts.host.slice('unix://'.length)
    : join(dir, 'run', 'orc.sock');
  const stateDir = join(dir, 'state');
  const logFile = join(dir, 'log', 'daemon.log');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    ...(process.env.DOCKER_HOST ? { DOCKER_HOST: process.env.DOCKER_HOST } : {}),
    ORC_HOST: opts.host ?? `unix://${socket}`,
    ORC_STATE_DIR: stateDir,
    ORC_LOG_LEVEL: 'debug',
    ...(opts.logFile === false ? {} : { ORC_LOG_FILE: logFile }),
    ...opts.env,
  };
  const proc = spawn(process.execPath, [entry, ...(opts.args ?? [])], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  proc.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  proc.stderr?.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));

  await new Promise<void>((resolve, reject) => {
    const check = () => {
      if (out.includes('ready on')) {
        proc.stdout?.off('data', check);
        resolve();
      }
    };
    proc.stdout?.on('data', check);
    exited.then((code) => reject(new Error(`daemon exited (${code}) before ready:\n${out}\n${err}`)));
  }).catch(async (e) => {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  });

  const tcp = (opts.host ?? '').startsWith('tcp://')
    ? new URL(`http://${(opts.host ?? '').slice(6)}`)
    : undefined;
  const target = tcp ? { host: tcp.hostname, port: Number(tcp.port) } : { socketPath: socket };

  const request: DaemonProcess['request'] = (method, path, body, headers = {}) =>
    new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const req = httpRequest(
        {
          ...target,
          method,
          path,
          headers: { ...(payload ? { 'content-type': 'application/json' } : {}), ...headers },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let json: unknown;
            try {
              json = JSON.parse(text);
            } catch {
              json = undefined;
            }
            resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
          });
        },
      );
      req.on('error', reject);
      req.end(payload);
    });

  const stream: DaemonProcess['stream'] = (path, headers = {}) =>
    new Promise((resolve, reject) => {
      const req = httpRequest({ ...target, method: 'GET', path, headers }, (res) => {
        const lines: string[] = [];
        const waiters: Array<{ predicate: (l: string) => boolean; resolve: (l: string) => void }> = [];
        let buffered = '';
        let endedResolve: () => void = () => undefined;
        const ended = new Promise<void>((r) => {
          endedResolve = r;
        });
        res.on('data', (chunk: Buffer) => {
          buffered += chunk.toString('utf8');
          let nl = buffered.indexOf('\n');
          while (nl >= 0) {
            const line = buffered.slice(0, nl);
            buffered = buffered.slice(nl + 1);
            lines.push(line);
            for (const w of [...waiters]) {
              if (w.predicate(line)) {
                waiters.splice(waiters.indexOf(w), 1);
                w.resolve(line);
              }
            }
            nl = buffered.indexOf('\n');
          }
        });
        res.on('end', () => endedResolve());
        res.on('close', () => endedResolve());
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          lines,
          ended,
          until: (predicate) => {
            const seen = lines.find(predicate);
            if (seen !== undefined) return Promise.resolve(seen);
            return new Promise((r) => waiters.push({ predicate, resolve: r }));
          },
          close: () => req.destroy(),
        });
      });
      req.on('error', reject);
      req.end();
    });

  return {
    dir,
    socket,
    stateDir,
    logFile,
    proc,
    stdout: () => out,
    stderr: () => err,
    log: () => readLogs(join(dir, 'log')),
    request,
    stream,
    stop: async () => {
      if (proc.exitCode === null) proc.kill('SIGTERM');
      const code = await exited;
      return code;
    },
  };
}

function readLogs(dir: string): string {
  try {
    return readdirSync(dir)
      .filter((f) => f.endsWith('.log') && f !== 'current.log')
      .map((f) => readFileSync(join(dir, f), 'utf8'))
      .join('');
  } catch {
    return '';
  }
}

/** Removes the temporary dir of a stopped daemon. */
export function cleanupDaemon(d: DaemonProcess | undefined): void {
  if (d) rmSync(d.dir, { recursive: true, force: true });
}
