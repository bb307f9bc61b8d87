/**
 * The tools under test, each run as a user runs it: a fresh process per command, timed from spawn to
 * exit (wall clock). orc talks to the daemon this bench started; docker-compose 1.29 to the same engine.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

/** Runs a command to completion; wall ms, or throws with its output when it fails. */
export function timedRun(cmd, args, { cwd, env }) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(cmd, args, {
      cwd,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      out += d;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - t0;
      if (code === 0) resolve(ms);
      else reject(new Error(`${cmd} ${args.join(' ')} exited ${code}:\n${out.slice(-2000)}`));
    });
  });
}

/** orc through its CLI: `orc -p P -f compose.yaml <args>` against the bench's daemon, never autostarting one. */
export function orcTool(bin, daemonEnv) {
  return {
    name: 'orc',
    run: (project, dir, args) =>
      timedRun(process.execPath, [bin, '-p', project, '-f', join(dir, 'compose.yaml'), ...args], {
        cwd: dir,
        env: { ...daemonEnv, ORC_NO_AUTOSTART: '1' },
      }),
  };
}

export function composeTool() {
  return {
    name: 'compose',
    run: (project, dir, args) =>
      timedRun('docker-compose', ['-p', project, '-f', join(dir, 'compose.yaml'), ...args], {
        cwd: dir,
        env: {},
      }),
  };
}

/** docker-compose 1.29 from Debian, installed with apt-get when missing (root only); its version line. */
export function ensureCompose() {
  const probe = () => spawnSync('docker-compose', ['version', '--short'], { encoding: 'utf8' });
  let r = probe();
  if (r.status !== 0) {
    if (process.getuid?.() !== 0)
      throw new Error('docker-compose is missing and we are not root to apt-get it');
    console.error('installing docker-compose (Debian package) with apt-get ...');
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    if (
      !existsSync('/var/lib/apt/lists/lock') ||
      spawnSync('apt-cache', ['show', 'docker-compose']).status !== 0
    )
      spawnSync('apt-get', ['update', '-q'], { stdio: 'inherit', env });
    const install = spawnSync('apt-get', ['install', '-y', '-q', 'docker-compose'], {
      stdio: 'inherit',
      env,
    });
    if (install.status !== 0) throw new Error('apt-get install docker-compose failed');
    r = probe();
  }
  return r.stdout.trim();
}
