/**
 * A private dockerd for tests that must stop, stall or restart an engine: its own data root, exec root,
 * socket and pid file, no default bridge and no iptables rules, so it never touches the shared engine
 * the other tests use. The fixture image is copied into it with save/load.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { docker, FIXTURE_IMAGE } from './engine.js';

export interface PrivateEngine {
  socket: string;
  host: string;
  pid: number;
  stop(): Promise<void>;
}

export async function startPrivateEngine(): Promise<PrivateEngine> {
  const dir = mkdtempSync(join(tmpdir(), 'orc-dockerd-'));
  const socket = join(dir, 'docker.sock');
  const proc: ChildProcess = spawn(
    'dockerd',
    [
      '--data-root',
      join(dir, 'data'),
      '--exec-root',
      join(dir, 'exec'),
      '--pidfile',
      join(dir, 'dockerd.pid'),
      '-H',
      `unix://${socket}`,
      '--bridge=none',
      '--iptables=false',
      '--ip-masq=false',
      '--storage-driver=vfs',
    ],
    { stdio: 'ignore' },
  );
  const host = `unix://${socket}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (existsSync(socket)) {
      const ok = await docker('-H', host, 'version', '--format', '{{.Server.Version}}').then(
        () => true,
        () => false,
      );
      if (ok) break;
    }
    if (Date.now() > deadline || proc.exitCode !== null) {
      proc.kill('SIGKILL');
      throw new Error('the private dockerd did not start within 30 s');
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  // The fixture image, without a registry: save from the shared engine, load into this one.
  await new Promise<void>((resolve, reject) => {
    const save = spawn('docker', ['save', FIXTURE_IMAGE], { stdio: ['ignore', 'pipe', 'inherit'] });
    const load = spawn('docker', ['-H', host, 'load', '-q'], { stdio: ['pipe', 'ignore', 'inherit'] });
    save.stdout?.pipe(load.stdin as NodeJS.WritableStream);
    load.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`docker load exited ${code}`))));
  });
  return {
    socket,
    host,
    pid: proc.pid ?? 0,
    async stop() {
      proc.kill('SIGCONT');
      const ids = (await docker('-H', host, 'ps', '-aq').catch(() => '')).split('\n').filter(Boolean);
      if (ids.length) await docker('-H', host, 'rm', '-f', ...ids).catch(() => undefined);
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
      if (proc.exitCode === null) proc.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
