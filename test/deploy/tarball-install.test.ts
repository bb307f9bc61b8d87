/**
 * deploy/ from a packed release: scripts/pack.sh makes orc-VERSION.tgz; the install.sh inside that tarball
 * installs it into a temp prefix with npm, offline (an empty npm cache and a registry that does not answer),
 * from outside the checkout; the installed `orc` and `orc daemon` answer; the rendered unit passes
 * `systemd-analyze verify`; install.sh's flags write the env file the unit reads. systemd is not PID 1 here:
 * the unit is never started.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../..', import.meta.url)).replace(/\/$/, '');
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const scratch = mkdtempSync(join(tmpdir(), 'orc-deploy-tarball-'));
const prefix = join(scratch, 'prefix');
const unitDir = join(scratch, 'units');
const configDir = join(scratch, 'etc-orc');
const envFile = join(configDir, 'orc.env');
const bin = join(prefix, 'bin', 'orc');
// A token file of the user's choosing, in a directory that does not exist yet: install.sh makes both.
const tokenFile = join(scratch, 'secrets', 'orc-token');
let tarball = '';
let installer = '';
let daemon: ChildProcess | undefined;

/** What the installer and the installed orc see: no checkout paths, no npm cache, no registry. */
function isolatedEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: scratch,
    TMPDIR: scratch,
    npm_config_cache: join(scratch, 'empty-npm-cache'),
    npm_config_registry: 'http://127.0.0.1:9/',
    npm_config_userconfig: join(scratch, 'no-npmrc'),
    ...extra,
  };
  if (process.env.DOCKER_HOST) env.DOCKER_HOST = process.env.DOCKER_HOST;
  return env;
}

function install(args: string[]) {
  return run(
    'bash',
    [installer, '--prefix', prefix, '--unit-dir', unitDir, '--config-dir', configDir, ...args],
    {
      cwd: scratch,
      env: isolatedEnv(),
      maxBuffer: 16 * 1024 * 1024,
    },
  );
}

/** The settings the unit gets: the env file's KEY=value lines. */
function settings(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of readFileSync(envFile, 'utf8').split('\n')) {
    const m = /^([A-Z_]+)=(.*)$/.exec(line);
    if (m) out[m[1] as string] = m[2] as string;
  }
  return out;
}

beforeAll(async () => {
  for (const built of ['apps/cli/dist/orc.js', 'apps/daemon/dist/index.js', 'packages/spec/dist/index.js']) {
    if (!existsSync(join(ROOT, built)))
      throw new Error(`${built} is missing: run \`npx turbo run build\` first`);
  }
  const { stdout } = await run(
    'bash',
    [join(ROOT, 'scripts/pack.sh'), '--no-build', '--out', join(scratch, 'out')],
    {
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  tarball = stdout.trim();
  // The installer comes out of the tarball too: the target has no checkout.
  const unpacked = join(scratch, 'release');
  mkdirSync(unpacked);
  await run('tar', ['-xzf', tarball, '-C', unpacked, 'package/deploy']);
  installer = join(unpacked, 'package', 'deploy', 'install.sh');
}, 300_000);

async function stopDaemon(): Promise<void> {
  const child = daemon;
  if (child && child.exitCode === null && child.signalCode === null) {
    const closed = new Promise((r) => child.once('close', r));
    child.kill('SIGTERM');
    await closed;
  }
}

afterAll(async () => {
  await stopDaemon();
  rmSync(scratch, { recursive: true, force: true });
});

describe('scripts/pack.sh + install.sh --from-tarball', () => {
  it('packs one release tarball named after the version', () => {
    expect(tarball).toBe(join(scratch, 'out', `orc-${VERSION}.tgz`));
    expect(statSync(tarball).size).toBeGreaterThan(1024 * 1024);
  });

  it('installs from the tarball alone, offline, and the installed orc and daemon answer', async () => {
    const { stdout } = await install([
      '--from-tarball',
      tarball,
      '--no-start',
      '--ui-listen',
      'tcp://127.0.0.1:7324',
      '--token-file',
      tokenFile,
    ]);
    expect(stdout).toContain(`installed ${VERSION} into ${join(prefix, 'lib/orc')}`);

    // Nothing installed points back into the checkout: no file mentions it, no link leads there.
    const grep = await run('grep', ['-rlF', ROOT, join(prefix, 'lib')]).then(
      (r) => r.stdout,
      (e: { code: number; stdout: string }) => (e.code === 1 ? '' : `grep failed (${e.code})`),
    );
    expect(grep).toBe('');
    const { stdout: links } = await run('find', [prefix, '-type', 'l', '-lname', `${ROOT}*`]);
    expect(links).toBe('');

    const version = await run(bin, ['version', '--short'], { cwd: '/', env: isolatedEnv() });
    expect(version.stdout.trim()).toBe(VERSION);

    // The installed daemon, on a socket of its own, as the unit would run it.
    const socket = join(scratch, 'orc.sock');
    const env = isolatedEnv({ ORC_HOST: `unix://${socket}`, ORC_STATE_DIR: join(scratch, 'state') });
    daemon = spawn(bin, ['daemon'], { cwd: '/', env, stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    daemon.stdout?.on('data', (c: Buffer) => {
      log += c.toString();
    });
    daemon.stderr?.on('data', (c: Buffer) => {
      log += c.toString();
    });
    let answer: { client: string; daemon: string | null } | undefined;
    try {
      for (let i = 0; i < 120 && !answer?.daemon && daemon.exitCode === null; i++) {
        await new Promise((r) => setTimeout(r, 250));
        const r = await run(bin, ['version', '--format', 'json'], { cwd: '/', env });
        answer = JSON.parse(r.stdout) as { client: string; daemon: string | null };
      }
      expect(answer, log).toMatchObject({ client: VERSION, daemon: VERSION });
    } finally {
      await stopDaemon();
    }
  }, 300_000);

  it('writes the unit for the prefix, and the env file the flags ask for, with a 0600 token', () => {
    const unit = readFileSync(join(unitDir, 'orc.service'), 'utf8');
    expect(unit).toContain(`ExecStart=${bin} daemon $ORC_DAEMON_ARGS`);
    expect(unit).toContain(`EnvironmentFile=-${envFile}`);
    expect(statSync(envFile).mode & 0o777).toBe(0o600);
    expect(settings()).toEqual({
      ORC_UI: '1',
      ORC_UI_LISTEN: 'tcp://127.0.0.1:7324',
      ORC_TOKEN_FILE: tokenFile,
    });
    expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
    expect(readFileSync(tokenFile, 'utf8')).toMatch(/^[0-9a-f]{64}\n$/);
    // Every setting the unit takes is there to uncomment.
    for (const key of ['ORC_UI', 'ORC_UI_LISTEN', 'ORC_TOKEN_FILE', 'ORC_SOCKET_GROUP', 'ORC_DAEMON_ARGS']) {
      expect(readFileSync(join(ROOT, 'deploy/orc.env'), 'utf8')).toMatch(new RegExp(`^#${key}=`, 'm'));
    }
  });

  it('passes systemd-analyze verify as rendered', async (ctx) => {
    const found = await run('sh', ['-c', 'command -v systemd-analyze']).then(
      () => true,
      () => false,
    );
    if (!found) {
      const reason = 'systemd-analyze is not installed here (apt-get install systemd to run this check)';
      console.warn(`skipped: ${reason}`);
      ctx.skip(reason);
    }
    const unit = join(unitDir, 'orc.service');
    const result = await run('systemd-analyze', ['verify', unit]).then(
      (r) => ({ code: 0, stderr: r.stderr }),
      (e: { code: number; stderr: string }) => e,
    );
    expect(result.stderr.split('\n').filter((l) => l.includes('orc.service'))).toEqual([]);
    expect(result.code).toBe(0);
  });

  it('on a rerun keeps the token and the edits, changes only what the flags name', async () => {
    const token = readFileSync(tokenFile, 'utf8');
    writeFileSync(
      envFile,
      readFileSync(envFile, 'utf8').replace('#ORC_LOG_LEVEL=info', 'ORC_LOG_LEVEL=debug'),
    );
    await install([
      '--from-tarball',
      tarball,
      '--no-start',
      '--ui-listen',
      'tcp://0.0.0.0:7324',
      '--allow-remote',
      '--socket-group',
      'orc',
    ]);
    expect(settings()).toEqual({
      ORC_UI: '1',
      ORC_UI_LISTEN: 'tcp://0.0.0.0:7324',
      ORC_TOKEN_FILE: tokenFile,
      ORC_SOCKET_GROUP: 'orc',
      ORC_LOG_LEVEL: 'debug',
      ORC_DAEMON_ARGS: '--allow-remote',
    });
    expect(readFileSync(tokenFile, 'utf8')).toBe(token);
    expect(existsSync(join(configDir, 'token'))).toBe(false);
    expect((await run(bin, ['version', '--short'], { env: isolatedEnv() })).stdout.trim()).toBe(VERSION);
  }, 300_000);

  it('refuses a non-loopback --ui-listen without --allow-remote, and a --ui-listen that is not tcp://', async () => {
    const before = readFileSync(envFile, 'utf8');
    for (const [url, says] of [
      ['tcp://10.1.2.3:7324', 'pass --allow-remote'],
      ['http://127.0.0.1:7324', 'must be tcp://HOST:PORT'],
    ] as const) {
      const failed = await install(['--from-tarball', tarball, '--no-start', '--ui-listen', url]).then(
        () => undefined,
        (e: { code: number; stderr: string }) => e,
      );
      expect(failed?.code).toBe(2);
      expect(failed?.stderr).toContain(says);
    }
    expect(readFileSync(envFile, 'utf8')).toBe(before);
  });

  it('uninstalls what it installed from the tarball, and keeps the settings', async () => {
    await install(['--uninstall']);
    expect(existsSync(bin)).toBe(false);
    expect(existsSync(join(prefix, 'lib/orc'))).toBe(false);
    expect(existsSync(join(unitDir, 'orc.service'))).toBe(false);
    expect(existsSync(envFile)).toBe(true);
    expect(existsSync(tokenFile)).toBe(true);
  });
});
