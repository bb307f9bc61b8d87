import { execFile, spawn } from 'node:child_process';
import { existsSync, lstatSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docker, FIXTURE_IMAGE, removeProject, uniqueProject } from '../support/engine.js';
import { cleanupDaemon, type DaemonProcess, daemonBundle, startDaemon } from './support/daemon.js';
import { execOverSocket } from './support/exec-client.js';

const run = promisify(execFile);

describe('orc daemon process (unix socket)', () => {
  let d: DaemonProcess;
  beforeAll(async () => {
    d = await startDaemon();
  });
  afterAll(async () => {
    await d?.stop();
    cleanupDaemon(d);
  });

  it('prints one ready line and answers /v1/health with the engine version', async () => {
    expect(d.stdout().trim().split('\n')).toHaveLength(1);
    expect(d.stdout()).toContain(`ready on unix://${d.socket}`);
    const res = await d.request('GET', '/v1/health');
    expect(res.status).toBe(200);
    const { stdout } = await run('docker', ['version', '--format', '{{.Server.Version}}']);
    expect(res.json).toMatchObject({ status: 'ok', engine: { version: stdout.trim() } });
  });

  it('creates the socket with mode 0600', () => {
    const st = lstatSync(d.socket);
    expect(st.isSocket()).toBe(true);
    expect(st.mode & 0o777).toBe(0o600);
  });

  it('refuses a request carrying an Origin header', async () => {
    const res = await d.request('GET', '/v1/health', undefined, { Origin: 'http://localhost:8080' });
    expect(res.status).toBe(403);
    expect(res.json.code).toBe('FORBIDDEN_ORIGIN');
  });

  it('serves an OpenAPI document of its routes', async () => {
    const res = await d.request('GET', '/v1/openapi.json');
    expect(res.status).toBe(200);
    expect(res.json.openapi).toBe('3.0.3');
    expect(Object.keys(res.json.paths)).toEqual(
      expect.arrayContaining(['/v1/health', '/v1/projects', '/v1/projects/{name}/logs', '/v1/events']),
    );
  });

  it('answers errors as {code, message} JSON: unknown route, unknown project, bad body', async () => {
    const route = await d.request('GET', '/v1/nope');
    expect(route.status).toBe(404);
    expect(route.json.code).toBe('NOT_FOUND');
    const project = await d.request('GET', '/v1/projects/orct-no-such-project');
    expect(project.status).toBe(404);
    expect(project.json.code).toBe('PROJECT_NOT_FOUND');
    const body = await d.request('POST', '/v1/projects', { options: {} });
    expect(body.status).toBe(400);
    expect(body.json.code).toBe('BAD_REQUEST');
    expect(body.text).not.toContain('    at ');
  });

  it('refuses to start a second daemon on a socket another daemon answers on', async () => {
    const entry = await daemonBundle();
    const second = await run(process.execPath, [entry], {
      env: { ...process.env, ORC_HOST: `unix://${d.socket}`, ORC_STATE_DIR: join(d.dir, 'state2') },
    }).catch((e: { code: number; stderr: string }) => e);
    expect('code' in second && second.code).toBe(2);
    expect((second as { stderr: string }).stderr).toContain('another orc daemon answers');
    expect((await d.request('GET', '/v1/health')).status).toBe(200);
  });
});

describe('orc daemon lifecycle', () => {
  it('replaces a stale socket, reopens its log on SIGHUP, and exits 0 on SIGTERM removing the socket', async () => {
    const probe = await startDaemon();
    const socket = probe.socket;
    expect(await probe.stop(), `probe: signal ${probe.proc.signalCode}; ${probe.stderr()}`).toBe(0);
    expect(existsSync(socket)).toBe(false);
    // A dead daemon's socket: a process listened on it and was killed, so the file stayed behind.
    const holder = spawn(
      process.execPath,
      ['-e', "require('net').createServer().listen(process.argv[1], () => console.log('up'))", socket],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise<void>((r) => holder.stdout?.once('data', () => r()));
    holder.kill('SIGKILL');
    await new Promise<void>((r) => holder.once('exit', () => r()));
    expect(existsSync(socket)).toBe(true);

    const d = await startDaemon({ host: `unix://${socket}` });
    try {
      expect((await d.request('GET', '/v1/health')).status).toBe(200);
      const logDir = join(d.dir, 'log');
      const current = statSync(join(logDir, 'current.log'));
      expect(current.isFile()).toBe(true);
      d.proc.kill('SIGHUP');
      await expect.poll(() => d.log().includes('log reopened'), { timeout: 10_000 }).toBe(true);
    } finally {
      const code = await d.stop();
      expect(code, `signal ${d.proc.signalCode}; stderr: ${d.stderr()}; log: ${d.log().slice(-1500)}`).toBe(
        0,
      );
      expect(existsSync(socket)).toBe(false);
      expect(d.log()).toContain('orc daemon stopped');
      cleanupDaemon(d);
      cleanupDaemon(probe);
    }
  });
});

describe('orc daemon socket group', () => {
  it('gives the socket mode 0660 and the group named by --socket-group', async () => {
    const gid = process.getgid?.() ?? 0;
    const d = await startDaemon({ args: ['--socket-group', String(gid)] });
    try {
      const st = lstatSync(d.socket);
      expect(st.mode & 0o777).toBe(0o660);
      expect(st.gid).toBe(gid);
    } finally {
      await d.stop();
      cleanupDaemon(d);
    }
  });

  it('refuses an unknown group with a clear message', async () => {
    const entry = await daemonBundle();
    const res = await run(process.execPath, [entry, '--socket-group', 'orc-no-such-group'], {
      env: {
        PATH: process.env.PATH,
        ORC_HOST: 'unix:///tmp/orc-api-nogroup/orc.sock',
        ORC_STATE_DIR: '/tmp/orc-api-nogroup/s',
      },
    }).catch((e: { code: number; stderr: string }) => e);
    expect('code' in res && res.code).toBe(2);
    expect((res as { stderr: string }).stderr).toContain('no group named "orc-no-such-group"');
    // Refused before anything started: no state dir, no socket dir.
    expect(existsSync('/tmp/orc-api-nogroup')).toBe(false);
  });
});

describe('orc daemon without an engine', () => {
  it('starts, and answers 503 ENGINE_UNAVAILABLE while DOCKER_HOST does not answer', async () => {
    const d = await startDaemon({ env: { DOCKER_HOST: 'unix:///nonexistent/docker.sock' } });
    try {
      expect(d.stdout()).toContain('engine not reachable yet');
      const health = await d.request('GET', '/v1/health');
      expect(health.status).toBe(503);
      expect(health.json.code).toMatch(/^ENGINE_UN(AVAILABLE|REACHABLE)$/);
      const list = await d.request('GET', '/v1/projects');
      expect(list.status).toBe(503);
      expect(list.text).not.toContain('    at ');
    } finally {
      await d.stop();
      cleanupDaemon(d);
    }
  });
});

describe('orc daemon drains on SIGTERM', () => {
  const project = uniqueProject('drain');
  afterAll(() => removeProject(project));

  it('finishes a running up before it exits', async () => {
    const d = await startDaemon();
    try {
      // `app` waits for `db` to turn healthy (~2 s): the SIGTERM lands while the up is still running.
      const compose = [
        'services:',
        '  db:',
        `    image: ${FIXTURE_IMAGE}`,
        "    command: sh -c 'sleep 2; touch /tmp/ready; sleep 3600'",
        '    stop_grace_period: 1s',
        '    healthcheck: { test: test -f /tmp/ready, interval: 500ms, retries: 60 }',
        '  app:',
        `    image: ${FIXTURE_IMAGE}`,
        '    command: sleep 3600',
        '    stop_grace_period: 1s',
        '    depends_on: { db: { condition: service_healthy } }',
      ].join('\n');
      const up = await d.request('POST', '/v1/projects', {
        source: { workingDir: d.dir, projectName: project, inline: [{ content: compose }], env: {} },
      });
      expect(up.status, up.text).toBe(202);
      expect(await d.stop()).toBe(0);
      const states = await docker(
        'ps',
        '-a',
        '--filter',
        `label=com.docker.compose.project=${project}`,
        '--format',
        '{{.Label "com.docker.compose.service"}} {{.State}}',
      );
      expect(states.split('\n').sort()).toEqual(['app running', 'db running']);
      expect(d.log()).toContain('draining operations');
    } finally {
      await d.stop();
      cleanupDaemon(d);
    }
  });

  it('ends an interactive exec and open streams when it stops', async () => {
    const d = await startDaemon();
    try {
      const events = await d.stream('/v1/events');
      const exec = execOverSocket(d.socket, project, {
        service: 'app',
        cmd: ['sleep', '3600'],
        interactive: true,
      });
      await expect.poll(() => d.log().includes('/exec'), { timeout: 20_000 }).toBe(true);
      const stopped = d.stop();
      const result = await exec;
      expect(await stopped).toBe(0);
      await events.ended;
      expect(result.status).toBe(101);
      // Told so, whether the stop came while the exec was being set up or once it ran.
      expect(JSON.parse(result.error ?? '{}').code).toBe('SHUTTING_DOWN');
    } finally {
      await d.stop();
      cleanupDaemon(d);
    }
  });
});

describe('orc daemon shutdown with open streams', () => {
  it('ends event streams and exits 0 on SIGTERM', async () => {
    const d = await startDaemon();
    try {
      const events = await d.stream('/v1/events');
      expect(events.status).toBe(200);
      expect(await d.stop()).toBe(0);
      await events.ended;
    } finally {
      cleanupDaemon(d);
    }
  });
});

describe('orc daemon over TCP', () => {
  it('refuses to start without a token', async () => {
    const entry = await daemonBundle();
    const res = await run(process.execPath, [entry], {
      env: {
        PATH: process.env.PATH,
        ORC_HOST: 'tcp://127.0.0.1:17323',
        ORC_STATE_DIR: '/tmp/orc-api-notoken',
      },
    }).catch((e: { code: number; stderr: string }) => e);
    expect('code' in res && res.code).toBe(2);
    expect((res as { stderr: string }).stderr).toMatch(/needs a token/);
    expect((res as { stderr: string }).stderr).not.toContain('    at ');
  });

  it('requires the bearer token, even on 127.0.0.1: none or wrong → 401, right → 200', async () => {
    const port = await freePort();
    const tokenDir = (await import('node:fs')).mkdtempSync('/tmp/orc-token-');
    const tokenFile = join(tokenDir, 'token');
    writeFileSync(tokenFile, 'correct-horse-battery\n', { mode: 0o600 });
    const d = await startDaemon({ host: `tcp://127.0.0.1:${port}`, args: ['--token-file', tokenFile] });
    try {
      expect(d.stdout()).toContain(`ready on tcp://127.0.0.1:${port}`);
      const none = await d.request('GET', '/v1/health');
      expect(none.status).toBe(401);
      expect(none.json.code).toBe('UNAUTHORIZED');
      const wrong = await d.request('GET', '/v1/health', undefined, {
        Authorization: 'Bearer correct-horse-batterz',
      });
      expect(wrong.status).toBe(401);
      const right = await d.request('GET', '/v1/health', undefined, {
        Authorization: 'Bearer correct-horse-battery',
      });
      expect(right.status).toBe(200);
      const rebinding = await d.request('GET', '/v1/health', undefined, {
        Authorization: 'Bearer correct-horse-battery',
        Host: 'attacker.example',
      });
      expect(rebinding.status).toBe(403);
      expect(d.log()).not.toContain('correct-horse-battery');
    } finally {
      await d.stop();
      cleanupDaemon(d);
      (await import('node:fs')).rmSync(tokenDir, { recursive: true, force: true });
    }
  });
});

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const address = srv.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}
