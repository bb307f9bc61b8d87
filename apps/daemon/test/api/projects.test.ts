/**
 * Every project route through HTTP only, against a real daemon process and the real engine.
 * One project walks through its life: bad input, up (streamed), state, logs, events (a repair),
 * service actions, scale, exec, config, down. The secret passed in the client's environment is checked
 * against every response and the daemon's log at the end.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docker, FIXTURE_IMAGE, removeProject, uniqueProject } from '../support/engine.js';
import { cleanupDaemon, type DaemonProcess, type Response, startDaemon } from './support/daemon.js';
import { execOverSocket } from './support/exec-client.js';

const project = uniqueProject('api');
const SECRET = `s3cret-${Math.random().toString(36).slice(2)}-value`;
const FILE_SECRET = `filesecret-${Math.random().toString(36).slice(2)}`;

const compose = `
services:
  web:
    image: ${FIXTURE_IMAGE}
    command: ["sh", "-c", "i=0; while true; do echo tick $$i; i=$$((i+1)); sleep 1; done"]
    stop_grace_period: 1s
    environment:
      API_KEY: \${SECRET_VALUE}
    secrets: [token]
  worker:
    image: ${FIXTURE_IMAGE}
    command: ["sleep", "3600"]
    stop_grace_period: 1s
    volumes:
      - data:/data
volumes:
  data: {}
secrets:
  token:
    file: ./token.txt
  from_env:
    environment: SECRET_VALUE
`;

describe('project routes over HTTP', () => {
  let d: DaemonProcess;
  let dir: string;
  const responses: string[] = [];

  const call = async (method: string, path: string, body?: unknown): Promise<Response> => {
    const res = await d.request(method, path, body);
    responses.push(res.text);
    return res;
  };
  const source = () => ({
    workingDir: dir,
    inline: [{ name: 'compose.yaml', content: compose }],
    env: { SECRET_VALUE: SECRET },
    projectName: project,
  });
  const containers = async () =>
    (
      await docker(
        'ps',
        '-a',
        '--filter',
        `label=com.docker.compose.project=${project}`,
        '--format',
        '{{.Names}} {{.State}}',
      )
    )
      .split('\n')
      .filter(Boolean)
      .sort();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'orc-api-project-'));
    writeFileSync(join(dir, 'token.txt'), FILE_SECRET);
    d = await startDaemon();
  });
  afterAll(async () => {
    await d?.stop();
    await removeProject(project);
    cleanupDaemon(d);
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers bad compose with 422 and located errors', async () => {
    const bad = await call('POST', '/v1/projects', {
      source: {
        ...source(),
        inline: [{ name: 'compose.yaml', content: 'services:\n  web:\n    image: [\n' }],
      },
    });
    expect(bad.status).toBe(422);
    expect(bad.json.code).toBe('INVALID_PROJECT');
    const [first] = bad.json.details.errors;
    expect(first).toMatchObject({ file: expect.stringContaining('compose.yaml'), line: expect.any(Number) });
    expect(bad.json.message).toMatch(/compose\.yaml:\d+/);

    const unknownKey = await call('POST', '/v1/config', {
      source: {
        ...source(),
        inline: [{ name: 'compose.yaml', content: 'services:\n  web:\n    imag: x\n' }],
      },
    });
    expect(unknownKey.status).toBe(422);
    expect(unknownKey.json.details.errors[0]).toMatchObject({
      line: 3,
      path: expect.stringContaining('web'),
    });
  });

  it('starts an up at once (202 + Location) and streams its progress to the end', async () => {
    const res = await call('POST', '/v1/projects', { source: source() });
    expect(res.status).toBe(202);
    const id: string = res.json.operation.id;
    expect(res.headers.location).toBe(`/v1/operations/${id}`);

    const progress = await d.stream(`/v1/operations/${id}/progress`);
    expect(progress.status).toBe(200);
    expect(progress.headers['content-type']).toContain('application/x-ndjson');
    await progress.ended;
    const items = progress.lines.filter(Boolean).map((l) => JSON.parse(l));
    responses.push(...progress.lines);
    const last = items.at(-1);
    expect(last.type).toBe('end');
    expect(last.operation).toMatchObject({ id, state: 'succeeded' });
    const started = items
      .filter((i) => i.type === 'progress' && i.event.state === 'done')
      .map((i) => i.event.resource);
    expect(started).toEqual(expect.arrayContaining([`${project}-web-1`, `${project}-worker-1`]));

    const record = await call('GET', res.headers.location as string);
    expect(record.status).toBe(200);
    expect(record.json.state).toBe('succeeded');
    expect(await containers()).toEqual([`${project}-web-1 running`, `${project}-worker-1 running`]);
  });

  it('shows the project: list, get, lookup by source', async () => {
    const list = await call('GET', '/v1/projects');
    expect(list.json.projects.map((p: { name: string }) => p.name)).toContain(project);
    const one = await call('GET', `/v1/projects/${project}`);
    expect(one.status).toBe(200);
    expect(one.json.name).toBe(project);
    const names = one.json.containers
      .map((c: { Name: string; State: string }) => `${c.Name} ${c.State}`)
      .sort();
    expect(names).toEqual([`${project}-web-1 running`, `${project}-worker-1 running`]);
    expect(one.json.containers[0]).toHaveProperty('RestartCount');
    expect(one.json.containers[0]).toHaveProperty('Health');
    expect(one.json.containers[0]).toHaveProperty('Publishers');
    const named = await call('POST', '/v1/projects/lookup', { source: source() });
    expect(named.json.name).toBe(project);
    expect(named.json.project.containers).toHaveLength(2);
    // Without -p the name comes from the directory, like compose; nothing runs under that name.
    const { projectName: _p, ...fromDir } = source();
    const lookup = await call('POST', '/v1/projects/lookup', { source: fromDir });
    expect(lookup.status).toBe(200);
    expect(lookup.json.name).toBe(
      basename(dir)
        .toLowerCase()
        .replace(/[^a-z0-9_-]/g, ''),
    );
    expect(lookup.json.project).toBeUndefined();
  });

  it('renders config as JSON and YAML, without secret contents', async () => {
    // Like `docker compose config`, config shows what the client's files say once interpolated (API_KEY's
    // value included): the one route that does, so its answers are not in `responses`. Secrets stay hidden.
    const json = await d.request('POST', '/v1/config', { source: source() });
    expect(json.json.project.services.web.environment.API_KEY).toBe(SECRET);
    expect(JSON.stringify(json.json.project.secrets)).not.toContain(SECRET);
    expect(json.text).not.toContain(FILE_SECRET);
    expect(json.status).toBe(200);
    expect(Object.keys(json.json.project.services).sort()).toEqual(['web', 'worker']);
    const yaml = await d.request('POST', '/v1/config?format=yaml', { source: source() });
    expect(yaml.text.slice(yaml.text.indexOf('\nsecrets:'))).not.toContain(SECRET);
    expect(yaml.status).toBe(200);
    expect(yaml.headers['content-type']).toContain('text/yaml');
    expect(yaml.text).toMatch(/^name: /m);
    expect(yaml.text).toContain('worker:');
  });

  it('streams logs: the last lines, then followed lines as they come', async () => {
    await expect
      .poll(
        async () => (await call('GET', `/v1/projects/${project}/logs?service=web`)).text.split('\n').length,
        {
          timeout: 20_000,
        },
      )
      .toBeGreaterThan(2);
    const tail = await call('GET', `/v1/projects/${project}/logs?service=web&tail=1&timestamps=true`);
    expect(tail.headers['content-type']).toContain('application/x-ndjson');
    const lines = tail.text
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ service: 'web', container: `${project}-web-1`, stream: 'stdout' });
    expect(lines[0].line).toMatch(/tick \d+/);

    const follow = await d.stream(`/v1/projects/${project}/logs?service=web&follow=true&tail=0`);
    const first = await follow.until((l) => l.includes('tick'));
    const n = Number(/tick (\d+)/.exec(first)?.[1]);
    await follow.until((l) => l.includes(`tick ${n + 1}`));
    follow.close();
  });

  it('runs service actions (stop, start, pause, unpause, restart, kill) on some services', async () => {
    const act = async (action: string, body: unknown = { services: ['worker'] }) => {
      const res = await call('POST', `/v1/projects/${project}/${action}?wait=true`, body);
      expect(res.status, `${action}: ${res.text}`).toBe(200);
      expect(res.json.operation.state).toBe('succeeded');
    };
    await act('stop', { services: ['worker'], timeoutSeconds: 1 });
    expect(await containers()).toEqual([`${project}-web-1 running`, `${project}-worker-1 exited`]);
    await act('start');
    expect(await containers()).toContain(`${project}-worker-1 running`);
    await act('pause');
    expect(await containers()).toContain(`${project}-worker-1 paused`);
    await act('unpause');
    expect(await containers()).toContain(`${project}-worker-1 running`);
    await act('restart', { services: ['worker'], timeoutSeconds: 1 });
    expect(await containers()).toContain(`${project}-worker-1 running`);
    await act('kill', { services: ['worker'], signal: 'KILL' });
    expect(await containers()).toContain(`${project}-worker-1 exited`);
    // Without wait: 202, and the progress as SSE ending with the record.
    const started = await call('POST', `/v1/projects/${project}/start`, { services: ['worker'] });
    expect(started.status).toBe(202);
    const sse = await d.stream(`/v1/operations/${started.json.operation.id}/progress?format=sse`);
    expect(sse.headers['content-type']).toContain('text/event-stream');
    await sse.ended;
    responses.push(...sse.lines);
    const endAt = sse.lines.indexOf('event: end');
    expect(endAt).toBeGreaterThanOrEqual(0);
    const end = JSON.parse(sse.lines[endAt + 1]?.slice('data: '.length) ?? '{}');
    expect(end).toMatchObject({ type: 'end', operation: { state: 'succeeded' } });
    const unknown = await call('POST', '/v1/projects/orct-none-such/stop?wait=true', {});
    expect(unknown.status, unknown.text).toBe(404);
  });

  it('scales a service up and back down', async () => {
    const up = await call('POST', `/v1/projects/${project}/scale?wait=true`, { replicas: { worker: 2 } });
    expect(up.status, up.text).toBe(200);
    expect(await containers()).toEqual([
      `${project}-web-1 running`,
      `${project}-worker-1 running`,
      `${project}-worker-2 running`,
    ]);
    const down = await call('POST', `/v1/projects/${project}/scale?wait=true`, { replicas: { worker: 1 } });
    expect(down.status, down.text).toBe(200);
    expect(await containers()).toEqual([`${project}-web-1 running`, `${project}-worker-1 running`]);
  });

  it('sees a repair on the event stream (SSE) after a container is removed behind its back', async () => {
    const events = await d.stream(`/v1/events?project=${project}`, { Accept: 'text/event-stream' });
    expect(events.headers['content-type']).toContain('text/event-stream');
    await docker('rm', '-f', `${project}-web-1`);
    const repair = await events.until((l) => l.startsWith('data:') && /"type":"(repair|recreate)"/.test(l));
    events.close();
    responses.push(...events.lines);
    expect(JSON.parse(repair.slice('data:'.length))).toMatchObject({ project });
    await expect.poll(containers, { timeout: 30_000 }).toContain(`${project}-web-1 running`);
  });

  it('execs through the upgraded connection: output, stderr, exit code, stdin', async () => {
    const plain = await execOverSocket(d.socket, project, {
      service: 'worker',
      cmd: ['sh', '-c', 'echo out; echo err >&2; exit 3'],
    });
    expect(plain.status).toBe(101);
    expect(plain.stdout).toBe('out\n');
    expect(plain.stderr).toBe('err\n');
    expect(plain.exitCode).toBe(3);

    const cat = await execOverSocket(
      d.socket,
      project,
      { service: 'worker', cmd: ['cat'], interactive: true },
      (send) => {
        send(0, 'hello through stdin\n');
        send(6, '');
      },
    );
    expect(cat.stdout).toBe('hello through stdin\n');
    expect(cat.exitCode).toBe(0);

    const tty = await execOverSocket(
      d.socket,
      project,
      {
        service: 'worker',
        // `read` holds the process until we write: the size given at start is applied before the 101.
        cmd: ['sh', '-c', 'read go; stty size'],
        tty: true,
        interactive: true,
        rows: 33,
        cols: 101,
      },
      (send) => send(0, 'go\r'),
    );
    expect(tty.stdout).toContain('33 101');
    expect(tty.exitCode).toBe(0);

    const unknown = await execOverSocket(d.socket, project, { service: 'nope', cmd: ['true'] });
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.body ?? '{}').code).toMatch(/NOT_FOUND/);
  });

  it('answers a failed up with ?wait=true with the error status and the final record', async () => {
    const other = uniqueProject('apifail');
    try {
      const res = await call('POST', '/v1/projects?wait=true', {
        source: {
          workingDir: dir,
          projectName: other,
          inline: [
            {
              content: `services:\n  app:\n    image: orc-fixture/does-not-exist:1\n    pull_policy: never\n`,
            },
          ],
          env: {},
        },
      });
      // A missing image that may not be pulled: the operation fails with IMAGE_MISSING, mapped to 404.
      expect(res.status, res.text).toBe(404);
      expect(res.json.code).toBe('IMAGE_MISSING');
      expect(res.json.code).toBe(res.json.details.operation.error.code);
      expect(res.json.details.operation).toMatchObject({ project: other, kind: 'up', state: 'failed' });
      expect(res.headers.location).toBe(`/v1/operations/${res.json.details.operation.id}`);
    } finally {
      await removeProject(other);
    }
  });

  it('downs the project, keeping named volumes unless asked', async () => {
    const res = await call('POST', `/v1/projects/${project}/down?wait=true`, { timeoutSeconds: 1 });
    expect(res.status, res.text).toBe(200);
    expect(await containers()).toEqual([]);
    expect(await docker('volume', 'ls', '-q', '--filter', `name=${project}_data`)).toBe(`${project}_data`);
    const withVolumes = await call('POST', `/v1/projects/-/down?wait=true`, {
      source: source(),
      volumes: true,
    });
    expect(withVolumes.status, withVolumes.text).toBe(200);
    expect(await docker('volume', 'ls', '-q', '--filter', `name=${project}_data`)).toBe('');
  });

  it('never returned the client environment or a secret, nor logged them', async () => {
    // The container has the value (that is the point), the API and the log must not.
    expect(responses.length).toBeGreaterThan(10);
    for (const text of responses) {
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain(FILE_SECRET);
    }
    const log = d.log();
    expect(log).toContain(project);
    expect(log).not.toContain(SECRET);
    expect(log).not.toContain(FILE_SECRET);
  });
});
