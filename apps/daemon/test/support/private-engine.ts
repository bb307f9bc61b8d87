/**
 * A private dockerd for tests that must stop, stall or restart an engine: its own network namespace,
 * data root, exec root, socket and pid file, so it never touches the shared engine the other tests use.
 * (In the host's namespace, a second dockerd started with `--bridge=none` deleted the shared engine's
 * `docker0`, and every build's RUN step failed after it: measured.) The fixture image is copied into it
 * with save/load.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
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
  const netns = `orc-test-${randomBytes(3).toString('hex')}`;
  execFileSync('ip', ['netns', 'add', netns]);
  execFileSync('ip', ['netns', 'exec', netns, 'ip', 'link', 'set', 'lo', 'up']);
  // `ip netns exec` enters the namespace in a private mount namespace whose fresh /sys hides the cgroup
  // mounts: the inner shell mounts the host's cgroup layout again (as ../shared/swarm-lab.sh does), then
  // execs dockerd in the same process, so the child's pid is dockerd's.
  const cgroups = readFileSync('/proc/mounts', 'utf8')
    .split('\n')
    .map((l) => l.split(' '))
    .filter(([, dir, type]) => (type === 'cgroup' || type === 'cgroup2') && dir?.startsWith('/sys/fs/cgroup'))
    .map(([, dir, type, opts]) => `${dir} ${type} ${opts}`)
    .join('\n');
  const inner = [
    'set -e',
    'if [ "$(printf "%s\\n" "$CG" | awk \'$1=="/sys/fs/cgroup"{print $2}\')" = cgroup2 ]; then',
    '  mount -t cgroup2 cgroup2 /sys/fs/cgroup',
    'else',
    '  mount -t tmpfs -o mode=755 cgroup /sys/fs/cgroup',
    '  printf "%s\\n" "$CG" | while read -r dir type opts; do mkdir -p "$dir"; mount -t "$type" -o "$opts" cgroup "$dir"; done',
    'fi',
    'exec dockerd "$@"',
  ].join('\n');
  const proc: ChildProcess = spawn(
    'ip',
    [
      'netns',
      'exec',
      netns,
      'sh',
      '-c',
      inner,
      'private-dockerd',
      '--data-root',
      join(dir, 'data'),
      '--exec-root',
      join(dir, 'exec'),
      '--pidfile',
      join(dir, 'dockerd.pid'),
      '-H',
      `unix://${socket}`,
      '--cgroup-parent',
      `/${netns}`,
      '--bridge=none',
      '--iptables=false',
      '--ip-masq=false',
      '--storage-driver=vfs',
    ],
    { stdio: 'ignore', env: { ...process.env, CG: cgroups } },
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
      execFileSync('ip', ['netns', 'del', netns]);
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
      execFileSync('ip', ['netns', 'del', netns]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
