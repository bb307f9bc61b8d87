/**
 * Local Docker registries for tests: Debian's `docker-registry` (distribution 2.x) on a free 127.0.0.1 port,
 * with a temp storage dir and config, optionally behind basic auth (an htpasswd file made with `htpasswd -B`).
 * The engine trusts 127.0.0.0/8 registries over plain http by default, so no TLS is needed.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const REGISTRY_BIN = process.env.ORC_REGISTRY_BIN ?? '/usr/bin/docker-registry';

export interface TestRegistry {
  /** `127.0.0.1:PORT`: the registry part of image references. */
  host: string;
  port: number;
  /** Set when the registry requires basic auth. */
  credentials?: { username: string; password: string };
  /** Last lines the registry printed (for failure messages). */
  output(): string;
  stop(): Promise<void>;
}

export interface RegistryOptions {
  /** Require basic auth with these credentials. */
  auth?: { username: string; password: string };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** apache2-utils gives `htpasswd`; install it when missing (root on Debian), else say what to do. */
async function ensureHtpasswd(): Promise<void> {
  try {
    await run('sh', ['-c', 'command -v htpasswd']);
    return;
  } catch {
    // not installed: try below
  }
  if (process.getuid?.() !== 0) throw new Error('htpasswd is missing: install apache2-utils');
  await run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'apache2-utils'], {
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
}

async function waitForRegistry(port: number, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.pid === undefined) {
      throw new Error(`docker-registry exited (${child.exitCode}):\n${output()}`);
    }
    try {
      const res = await fetch(`http://127.0.0.1:${port}/v2/`);
      // 401 = up, asking for credentials.
      if (res.status === 200 || res.status === 401) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`docker-registry did not answer on 127.0.0.1:${port}:\n${output()}`);
}

export async function startRegistry(opts: RegistryOptions = {}): Promise<TestRegistry> {
  const dir = await mkdtemp(join(tmpdir(), 'orc-registry-'));
  const port = await freePort();
  let authBlock = '';
  if (opts.auth) {
    await ensureHtpasswd();
    const { stdout } = await run('htpasswd', ['-Bbn', opts.auth.username, opts.auth.password]);
    await writeFile(join(dir, 'htpasswd'), stdout);
    authBlock = `auth:\n  htpasswd:\n    realm: orc-test\n    path: ${join(dir, 'htpasswd')}\n`;
  }
  const config = [
    'version: 0.1',
    'log:',
    '  level: warn',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${join(dir, 'data')}`,
    '  delete:',
    '    enabled: true',
    'http:',
    `  addr: 127.0.0.1:${port}`,
    authBlock,
  ].join('\n');
  await writeFile(join(dir, 'config.yml'), config);
  const child = spawn(REGISTRY_BIN, ['serve', join(dir, 'config.yml')], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const keep = (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-8000);
  };
  // A missing binary is reported by waitForRegistry (exit code set), not as an unhandled 'error'.
  child.on('error', (err) =>
    keep(Buffer.from(`cannot run ${REGISTRY_BIN}: ${err.message}; install docker-registry\n`)),
  );
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const output = () => log;
  const stop = async () => {
    if (child.exitCode === null && child.pid !== undefined) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitForRegistry(port, child, output);
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    host: `127.0.0.1:${port}`,
    port,
    ...(opts.auth ? { credentials: opts.auth } : {}),
    output,
    stop,
  };
}
