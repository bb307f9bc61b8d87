/**
 * build, pull, top, images, run and config hashes through HTTP only, against a real daemon process and the
 * real engine. The registry is Debian's docker-registry on 127.0.0.1 holding a copy of the fixture under
 * another name (the fixture itself is never removed or retagged).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docker, FIXTURE_IMAGE, removeProject, uniqueProject } from '../support/engine.js';
import { cleanupDaemon, type DaemonProcess, startDaemon } from './support/daemon.js';
import { execOverSocket } from './support/exec-client.js';

const project = uniqueProject('apiimg');

/** test/support/registry.ts, loaded at run time: it lives outside this package's rootDir. */
interface TestRegistry {
  host: string;
  stop(): Promise<void>;
}
async function startRegistry(): Promise<TestRegistry> {
  const url = new URL('../../../../test/support/registry.ts', import.meta.url).href;
  const mod = (await import(url)) as { startRegistry(): Promise<TestRegistry> };
  return mod.startRegistry();
}

describe('build, pull, top, images, run over HTTP', () => {
  let d: DaemonProcess;
  let dir: string;
  let registry: TestRegistry;
  let remote: string;

  const compose = () => `
services:
  app:
    build: .
    image: ${project}-built:1
    command: ["sleep", "3600"]
    stop_grace_period: 1s
    depends_on: [db]
  app2:
    build: .
    image: ${project}-built:1
    command: ["sleep", "3600"]
    profiles: [extra]
  db:
    image: ${FIXTURE_IMAGE}
    command: ["sleep", "3600"]
    stop_grace_period: 1s
  remote:
    image: ${remote}
    command: ["true"]
    profiles: [remote]
`;
  const source = (profiles: string[] = []) => ({
    workingDir: dir,
    inline: [{ name: 'compose.yaml', content: compose() }],
    env: {},
    projectName: project,
    profiles,
  });
  const names = async (all = true) =>
    (
      await docker(
        'ps',
        ...(all ? ['-a'] : []),
        '--filter',
        `label=com.docker.compose.project=${project}`,
        '--format',
        '{{.Names}}',
      )
    )
      .split('\n')
      .filter(Boolean)
      .sort();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'orc-api-images-'));
    writeFileSync(join(dir, 'Dockerfile'), `FROM ${FIXTURE_IMAGE}\nRUN echo built-by-orc > /marker\n`);
    registry = await startRegistry();
    remote = `${registry.host}/${project}/busybox:copy`;
    await docker('tag', FIXTURE_IMAGE, remote);
    await docker('push', remote);
    await docker('rmi', remote);
    d = await startDaemon();
  }, 240_000);
  afterAll(async () => {
    await d?.stop();
    await removeProject(project);
    await docker('rmi', '-f', `${project}-built:1`).catch(() => undefined);
    if (remote) await docker('rmi', '-f', remote).catch(() => undefined);
    await registry?.stop();
    cleanupDaemon(d);
    rmSync(dir, { recursive: true, force: true });
  }, 120_000);

  it('config hashes: one per service, the config-hash label up would write', async () => {
    const res = await d.request('POST', '/v1/config', { source: source() });
    expect(res.status).toBe(200);
    expect(Object.keys(res.json.hashes).sort()).toEqual(['app', 'db']);
    expect(res.json.hashes.app).toMatch(/^[0-9a-f]{64}$/);
  });

  it('build: one build for two services sharing it, build output as progress', async () => {
    const res = await d.request('POST', `/v1/projects/${project}/build?wait=true`, {
      source: source(['extra']),
      noCache: true,
    });
    expect(res.status, res.text).toBe(200);
    expect(res.json.operation).toMatchObject({ kind: 'build', state: 'succeeded' });
    const progress = await d.stream(`/v1/operations/${res.json.operation.id}/progress`);
    await progress.ended;
    const events = progress.lines
      .filter(Boolean)
      .map((l) => JSON.parse(l))
      .filter((i) => i.type === 'progress')
      .map((i) => i.event);
    expect(events.some((e) => e.action === 'build' && /RUN echo built-by-orc/.test(e.message ?? ''))).toBe(
      true,
    );
    // Both services name one build: the Dockerfile ran once.
    expect(events.filter((e) => /RUN echo built-by-orc/.test(e.message ?? '')).length).toBe(1);
    expect(await docker('run', '--rm', `${project}-built:1`, 'cat', '/marker')).toContain('built-by-orc');
  }, 300_000);

  it('pull: pulls from the registry, skips build-only images; an unknown service is 404', async () => {
    const res = await d.request('POST', `/v1/projects/${project}/pull?wait=true`, {
      source: source(['remote']),
      services: ['remote'],
    });
    expect(res.status, res.text).toBe(200);
    expect(await docker('image', 'inspect', '--format', '{{.Id}}', remote)).toMatch(/^sha256:/);
    const unknown = await d.request('POST', `/v1/projects/${project}/pull?wait=true`, {
      source: source(),
      services: ['nope'],
    });
    expect(unknown.status).toBe(404);
    expect(unknown.json.code).toBe('SERVICE_NOT_FOUND');
  }, 300_000);

  it('run: a one-off with its dependency started, output streamed, exit code, removed with rm', async () => {
    const res = await execOverSocket(
      d.socket,
      project,
      { source: source(), service: 'app', cmd: ['sh', '-c', 'echo hi; cat /marker; exit 3'], rm: true },
      undefined,
      'run',
    );
    expect(res.status, res.body).toBe(101);
    expect(res.stdout).toContain('hi');
    expect(res.stdout).toContain('built-by-orc');
    expect(res.exitCode).toBe(3);
    const after = await names();
    expect(after).toEqual([`${project}-db-1`]);
    // The project was not registered by run: only its dependency runs.
    const ps = await d.request('GET', `/v1/projects/${project}`);
    expect(ps.json.containers.map((c: { Name: string }) => c.Name)).toEqual([`${project}-db-1`]);
  }, 300_000);

  it('run with interactive: stdin frames reach the one-off, EOF ends it', async () => {
    const res = await execOverSocket(
      d.socket,
      project,
      {
        source: source(),
        service: 'db',
        cmd: ['sh', '-c', 'read line; echo "got $line"'],
        rm: true,
        noDeps: true,
        interactive: true,
      },
      (send) => {
        send(0, 'ping\n');
        send(6, '');
      },
      'run',
    );
    expect(res.status, res.body).toBe(101);
    expect(res.stdout).toContain('got ping');
    expect(res.exitCode).toBe(0);
  }, 120_000);

  it('run: a client that goes away takes its one-off with it (stopped, and removed with rm)', async () => {
    const res = await execOverSocket(
      d.socket,
      project,
      {
        source: source(),
        service: 'db',
        cmd: ['sh', '-c', 'echo started; sleep 600'],
        rm: true,
        noDeps: true,
      },
      undefined,
      'run',
      (out, socket) => {
        if (out.includes('started')) socket.destroy();
      },
    );
    expect(res.stdout).toContain('started');
    let left: string[] = [];
    for (let i = 0; i < 120; i++) {
      left = (await names()).filter((n) => n.includes('-run-'));
      if (left.length === 0) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(left).toEqual([]);
  }, 120_000);

  it('run of a service whose profile is off: naming it enables it', async () => {
    const res = await execOverSocket(
      d.socket,
      project,
      { source: source(), service: 'app2', cmd: ['cat', '/marker'], rm: true, noDeps: true },
      undefined,
      'run',
    );
    expect(res.status, res.body).toBe(101);
    expect(res.stdout).toContain('built-by-orc');
    expect(res.exitCode).toBe(0);
  }, 120_000);

  it('run -d: a detached one-off labelled oneoff, ignored by the project summary', async () => {
    const res = await d.request('POST', `/v1/projects/${project}/run`, {
      source: source(),
      service: 'db',
      cmd: ['sleep', '600'],
      detach: true,
      noDeps: true,
    });
    expect(res.status, res.text).toBe(200);
    expect(res.json.container).toMatch(new RegExp(`^${project}-db-run-[0-9a-f]+$`));
    const label = await docker(
      'inspect',
      '--format',
      '{{index .Config.Labels "com.docker.compose.oneoff"}}',
      res.json.container,
    );
    expect(label.trim()).toBe('True');
    const ps = await d.request('GET', `/v1/projects/${project}`);
    expect(ps.json.containers.map((c: { Name: string }) => c.Name)).toEqual([`${project}-db-1`]);
    await docker('rm', '-f', res.json.container);
  }, 120_000);

  it('top and images: per service container', async () => {
    const top = await d.request('GET', `/v1/projects/${project}/top`);
    expect(top.status, top.text).toBe(200);
    expect(top.json.containers).toHaveLength(1);
    expect(top.json.containers[0].container).toBe(`${project}-db-1`);
    expect(top.json.containers[0].titles).toContain('PID');
    expect(JSON.stringify(top.json.containers[0].processes)).toContain('sleep');

    const images = await d.request('GET', `/v1/projects/${project}/images?service=db`);
    expect(images.status, images.text).toBe(200);
    expect(images.json.images[0]).toMatchObject({
      container: `${project}-db-1`,
      image: FIXTURE_IMAGE,
      id: expect.stringMatching(/^sha256:/),
    });
    expect(images.json.images[0].size).toBeGreaterThan(0);
    const unknown = await d.request('GET', `/v1/projects/${project}/top?service=nope`);
    expect(unknown.status).toBe(404);
  }, 120_000);

  it('the new routes are in the OpenAPI document', async () => {
    const doc = (await d.request('GET', '/v1/openapi.json')).json;
    for (const path of ['build', 'pull', 'top', 'images', 'run'])
      expect(Object.keys(doc.paths)).toContain(`/v1/projects/{name}/${path}`);
  });
});
