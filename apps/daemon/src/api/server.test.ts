import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import type { DaemonEvent, OperationRecord, ProgressEvent, ProjectSummary } from '../contract/types.js';
import type { Core, OperationHandle } from '../verbs/types.js';
import { buildServer } from './server.js';

/** A scripted Core: records calls, answers from tables. The real one is exercised in apps/daemon/test/api. */
function fakeCore(overrides: Partial<Core> = {}) {
  const calls: Array<{ method: string; args: unknown[] }> = [];
  const operations = new Map<string, OperationRecord>();
  const progress: ProgressEvent[] = [];
  const events: DaemonEvent[] = [];
  const project: ProjectSummary = {
    name: 'demo',
    workingDir: '/srv/demo',
    configFiles: ['/srv/demo/compose.yaml'],
    registered: true,
    status: 'running(1)',
    services: [{ name: 'web', desired: 'running', replicas: 1 }],
    containers: [],
  };
  const operation = (kind: OperationRecord['kind'], fail?: string): OperationHandle => {
    const record: OperationRecord = {
      id: `op_${operations.size + 1}`,
      project: 'demo',
      kind,
      state: 'running',
      startedAt: new Date(0).toISOString(),
      warnings: [],
    };
    operations.set(record.id, record);
    const done: OperationRecord = fail
      ? { ...record, state: 'failed', error: { code: fail, message: `it failed: ${fail}` } }
      : { ...record, state: 'succeeded', finishedAt: new Date(1).toISOString() };
    return {
      record,
      done: Promise.resolve(done).then((r) => {
        operations.set(r.id, r);
        return r;
      }),
    };
  };
  const core: Core = {
    volumes: async () => [],
    commit: async () => ({ id: 'sha256:0', container: 'demo-web-1' }),
    push: async () => ({ code: 'INVALID_PROJECT', errors: [], warnings: [] }),
    health: async () => ({ engineVersion: '20.10.24', engineApiVersion: '1.41' }),
    listProjects: async (opts) => {
      calls.push({ method: 'listProjects', args: [opts] });
      return [project];
    },
    getProject: async (target) => ('name' in target && target.name === 'demo' ? project : undefined),
    config: async (source) =>
      source.inline?.[0]?.content.includes('bad')
        ? {
            code: 'INVALID_PROJECT',
            errors: [{ code: 'YAML_SYNTAX', message: 'bad indentation', file: '<inline>', line: 3, col: 5 }],
            warnings: [],
          }
        : {
            ok: true,
            project: {
              name: 'demo',
              services: {},
              secrets: { token: { name: 'demo_token', environment: 'TOKEN', content: 's3cret-value' } },
            },
            warnings: [],
          },
    up: async (source, opts) => {
      calls.push({ method: 'up', args: [source, opts] });
      if (source.inline?.[0]?.content.includes('bad')) {
        return {
          code: 'INVALID_PROJECT',
          errors: [
            {
              code: 'SCHEMA',
              message: 'unknown key',
              file: '<inline>',
              line: 2,
              col: 3,
              path: 'services.web.imag',
            },
          ],
          warnings: [],
        };
      }
      return operation('up', source.env.FAIL);
    },
    reapply: async (name, opts) => {
      calls.push({ method: 'reapply', args: [name, opts] });
      return operation('up');
    },
    down: async (target, opts) => {
      calls.push({ method: 'down', args: [target, opts] });
      return operation('down');
    },
    serviceAction: async (target, action, opts) => {
      calls.push({ method: 'serviceAction', args: [target, action, opts] });
      if ('name' in target && target.name !== 'demo') {
        throw Object.assign(new Error(`no project named "${target.name}"`), { code: 'PROJECT_NOT_FOUND' });
      }
      return operation(action);
    },
    scale: async (target, replicas) => {
      calls.push({ method: 'scale', args: [target, replicas] });
      return operation('scale');
    },
    getOperation: (id) => operations.get(id),
    async *operationProgress() {
      yield* progress;
    },
    async *events(filter) {
      for (const e of events) if (!filter.project || e.project === filter.project) yield e;
    },
    async *logs() {
      yield {
        service: 'web',
        container: 'demo-web-1',
        stream: 'stdout',
        time: '2026-01-01T00:00:00Z',
        line: 'hi',
      };
    },
    exec: async () => {
      throw new Error('not scripted');
    },
    build: async () => operation('build'),
    pull: async () => operation('pull'),
    top: async () => [],
    stats: async () => [],
    attach: async () => {
      throw new Error('not used');
    },
    exportContainer: async () => {
      throw new Error('not used');
    },
    statPath: async () => ({ container: 'demo-web-1', stat: undefined }),
    getArchive: async () => {
      throw new Error('not used');
    },
    putArchive: async () => ({ containers: ['demo-web-1'] }),
    images: async () => [],
    run: async () => ({ container: 'demo-web-run-0' }),
    watch: async () => ({ project: 'demo', services: ['web'], detached: true, since: '', rules: 1, dirs: 1 }),
    releaseWatch: async () => undefined,
    stopWatch: async () => ({ project: 'demo', stopped: true }),
    close: async () => undefined,
    ...overrides,
  };
  return { core, calls, progress, events };
}

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function server(core: Core, transport: 'unix' | 'tcp' = 'unix') {
  app = await buildServer({
    core,
    shutdown: new AbortController().signal,
    version: '0.1.0',
    security: { transport, token: 'tok', allowOrigins: [], allowHosts: [], bindHost: '127.0.0.1' },
  });
  return app;
}

const source = { workingDir: '/srv/demo', inline: [{ content: 'services: {}' }], env: { SECRET: 'hunter2' } };

describe('API server', () => {
  it('answers health with the engine version', async () => {
    const api = await server(fakeCore().core);
    const res = await api.inject({ method: 'GET', url: '/v1/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      status: 'ok',
      version: '0.1.0',
      engine: { version: '20.10.24', apiVersion: '1.41' },
    });
  });

  it('maps an unreachable engine to 503 ENGINE_UNAVAILABLE', async () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED /var/run/docker.sock'), {
      code: 'ECONNREFUSED',
      syscall: 'connect',
    });
    const api = await server(
      fakeCore({
        health: async () => {
          throw refused;
        },
      }).core,
    );
    const res = await api.inject({ method: 'GET', url: '/v1/health' });
    expect(res.statusCode).toBe(503);
    expect(res.json().code).toBe('ENGINE_UNAVAILABLE');
  });

  it('lists projects light unless detail=true is asked, and documents the query', async () => {
    const { core, calls } = fakeCore();
    const api = await server(core);
    expect((await api.inject({ method: 'GET', url: '/v1/projects' })).json().projects).toHaveLength(1);
    expect((await api.inject({ method: 'GET', url: '/v1/projects?detail=true' })).statusCode).toBe(200);
    expect((await api.inject({ method: 'GET', url: '/v1/projects?detail=false' })).statusCode).toBe(200);
    expect(calls.filter((c) => c.method === 'listProjects').map((c) => c.args[0])).toEqual([
      {},
      { detail: true },
      {},
    ]);
    const bad = await api.inject({ method: 'GET', url: '/v1/projects?detail=maybe' });
    expect(bad.statusCode).toBe(400);
    const doc = (await api.inject({ method: 'GET', url: '/v1/openapi.json' })).json();
    expect(doc.paths['/v1/projects'].get.parameters).toEqual([
      expect.objectContaining({ name: 'detail', in: 'query', required: false }),
    ]);
  });

  it("answers `ps`'s table view when asked by Accept, with the summary's rows; the summary otherwise", async () => {
    const row = (n: number, extra: Record<string, unknown> = {}) => ({
      ID: `${n}`.padStart(64, 'f'),
      Name: `demo-web-${n}`,
      Service: 'web',
      Project: 'demo',
      Number: n,
      State: n % 2 ? 'running' : 'exited',
      Health: '',
      ExitCode: 0,
      Image: 'orc-fixture/busybox:1',
      Command: 'httpd -f',
      Created: '2026-12-05T00:00:00Z',
      Status: n % 2 ? 'Up 2 minutes' : 'Exited (0) 1 minute ago',
      RestartCount: 1,
      StartedAt: '2026-12-05T00:00:01Z',
      Publishers: [{ URL: '0.0.0.0', TargetPort: 80, PublishedPort: 8000 + n, Protocol: 'tcp' }],
      Networks: ['demo_default'],
      ...extra,
    });
    const project: ProjectSummary = {
      name: 'demo',
      workingDir: '/srv/demo',
      configFiles: ['/srv/demo/compose.yaml'],
      registered: true,
      target: 'swarm',
      status: 'running(2)',
      services: [{ name: 'web', desired: 'running', replicas: 3 }],
      containers: [
        row(1),
        row(2),
        row(3, { Node: 'n1', DesiredState: 'running', CurrentState: 'Running', Error: '' }),
      ],
      watch: { services: ['web'], detached: true, since: '2026-12-05T00:00:00Z', rules: 1, dirs: 1 },
    };
    const api = await server(fakeCore({ getProject: async () => project }).core);
    const full = await api.inject({ method: 'GET', url: '/v1/projects/demo?detail=false' });
    expect(full.headers['content-type']).toMatch(/^application\/json/);
    expect(full.json()).toEqual(project);
    const asked = await api.inject({
      method: 'GET',
      url: '/v1/projects/demo?detail=false',
      headers: { accept: 'application/vnd.orc.ps-table+json, application/json;q=0.9' },
    });
    expect(asked.statusCode).toBe(200);
    expect(asked.headers['content-type']).toMatch(/^application\/vnd\.orc\.ps-table\+json/);
    const table = asked.json();
    const fields = ['Name', 'Service', 'State', 'Image', 'Command', 'Created', 'Status', 'Publishers'];
    const swarm = ['Node', 'DesiredState', 'CurrentState', 'Error'];
    expect(table).toEqual({
      name: 'demo',
      status: 'running(2)',
      target: 'swarm',
      watch: project.watch,
      containers: project.containers.map((c) =>
        Object.fromEntries(Object.entries(c).filter(([k]) => fields.includes(k) || swarm.includes(k))),
      ),
    });
    expect(asked.body.length).toBeLessThan(full.body.length);
    const doc = (await api.inject({ method: 'GET', url: '/v1/openapi.json' })).json();
    const content = doc.paths['/v1/projects/{name}'].get.responses['200'].content;
    expect(Object.keys(content)).toEqual(['application/json', 'application/vnd.orc.ps-table+json']);
    expect(content['application/vnd.orc.ps-table+json'].schema.properties.containers.items.required).toEqual(
      fields,
    );

    // The folder's `orc ps` names the project by its files: the lookup answers the same two forms, and
    // asks the load for the name only (no hashes).
    const configOpts: unknown[] = [];
    const fake = fakeCore({ getProject: async () => project }).core;
    const looked = await server({
      ...fake,
      config: async (source, opts) => {
        configOpts.push(opts);
        return fake.config(source, opts);
      },
    });
    const body = { source: { workingDir: '/srv/demo', inline: [{ name: 'compose.yaml', content: 'x' }] } };
    const lookup = (accept?: string) =>
      looked.inject({
        method: 'POST',
        url: '/v1/projects/lookup',
        payload: { ...body, detail: false },
        ...(accept ? { headers: { accept } } : {}),
      });
    const plain = await lookup();
    expect(plain.headers['content-type']).toMatch(/^application\/json/);
    expect(plain.json()).toEqual({ name: 'demo', project });
    const tabled = await lookup('application/vnd.orc.ps-table+json, application/json;q=0.9');
    expect(tabled.headers['content-type']).toMatch(/^application\/vnd\.orc\.ps-table\+json/);
    expect(tabled.json()).toEqual({ name: 'demo', project: table });
    expect(configOpts).toEqual([{ hashes: false }, { hashes: false }]);
    const lookupContent = doc.paths['/v1/projects/lookup'].post.responses['200'].content;
    expect(Object.keys(lookupContent)).toEqual(['application/json', 'application/vnd.orc.ps-table+json']);
  });

  it('returns 404 for an unknown project and an unknown route, in the error shape', async () => {
    const api = await server(fakeCore().core);
    const project = await api.inject({ method: 'GET', url: '/v1/projects/nope' });
    expect(project.statusCode).toBe(404);
    expect(project.json()).toMatchObject({
      code: 'PROJECT_NOT_FOUND',
      message: expect.stringContaining('nope'),
    });
    const action = await api.inject({ method: 'POST', url: '/v1/projects/nope/stop', payload: {} });
    expect(action.statusCode).toBe(404);
    const route = await api.inject({ method: 'GET', url: '/v1/nothing' });
    expect(route.statusCode).toBe(404);
    expect(route.json().code).toBe('NOT_FOUND');
  });

  it('answers bad compose with 422 and the located errors', async () => {
    const api = await server(fakeCore().core);
    const res = await api.inject({
      method: 'POST',
      url: '/v1/projects',
      payload: { source: { ...source, inline: [{ content: 'bad' }] } },
    });
    expect(res.statusCode).toBe(422);
    const body = res.json();
    expect(body.code).toBe('INVALID_PROJECT');
    expect(body.message).toContain('<inline>:2:3');
    expect(body.details.errors[0]).toMatchObject({ line: 2, col: 3, path: 'services.web.imag' });
  });

  it('rejects unknown fields and wrong types with 400 BAD_REQUEST', async () => {
    const api = await server(fakeCore().core);
    const unknown = await api.inject({
      method: 'POST',
      url: '/v1/projects',
      payload: { source, option: {} },
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().code).toBe('BAD_REQUEST');
    const wrongType = await api.inject({
      method: 'POST',
      url: '/v1/projects/demo/scale',
      payload: { replicas: { web: -1 } },
    });
    expect(wrongType.statusCode).toBe(400);
    const badJson = await api.inject({
      method: 'POST',
      url: '/v1/projects',
      headers: { 'content-type': 'application/json' },
      payload: '{',
    });
    expect(badJson.statusCode).toBe(400);
    expect(badJson.json().code).toBe('BAD_REQUEST');
  });

  it('accepts an up with 202 + Location, and never echoes the environment', async () => {
    const fake = fakeCore();
    const api = await server(fake.core);
    const res = await api.inject({
      method: 'POST',
      url: '/v1/projects',
      payload: { source, options: { dryRun: false } },
    });
    expect(res.statusCode).toBe(202);
    const id = res.json().operation.id;
    expect(res.headers.location).toBe(`/v1/operations/${id}`);
    expect(res.body).not.toContain('hunter2');
    expect(fake.calls[0]?.args[0]).toMatchObject({ env: { SECRET: 'hunter2' } });
    const op = await api.inject({ method: 'GET', url: `/v1/operations/${id}` });
    expect(op.statusCode).toBe(200);
    expect(op.json().id).toBe(id);
  });

  it('with ?wait=true answers 200 with the final record, or the status of the failure', async () => {
    const api = await server(fakeCore().core);
    const ok = await api.inject({ method: 'POST', url: '/v1/projects?wait=true', payload: { source } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().operation.state).toBe('succeeded');
    const failed = await api.inject({
      method: 'POST',
      url: '/v1/projects?wait=true',
      payload: { source: { ...source, env: { FAIL: 'PORT_ALLOCATED' } } },
    });
    expect(failed.statusCode).toBe(409);
    expect(failed.json()).toMatchObject({
      code: 'PORT_ALLOCATED',
      details: { operation: { state: 'failed' } },
    });
  });

  it('with ?stream=true answers the accepted record and the progress in one response', async () => {
    const api = await server(fakeCore().core);
    const res = await api.inject({ method: 'POST', url: '/v1/projects?stream=true', payload: { source } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('application/x-ndjson');
    const items = res.body
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));
    expect(items[0]).toMatchObject({ type: 'accepted', operation: { state: 'running' } });
    expect(res.headers.location).toBe(`/v1/operations/${items[0].operation.id}`);
    expect(items.slice(1, -1).every((i: { type: string }) => i.type === 'progress')).toBe(true);
    expect(items.at(-1)).toMatchObject({ type: 'end', operation: { id: items[0].operation.id } });
    expect(res.body).not.toContain('hunter2');
    // A project that does not load is still a plain 422, before any stream.
    const bad = await api.inject({
      method: 'POST',
      url: '/v1/projects?stream=true',
      payload: { source: { ...source, inline: [{ content: 'bad' }] } },
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().code).toBe('INVALID_PROJECT');
  });

  it('accepts 1/0 as query booleans and an action without a body', async () => {
    const api = await server(fakeCore().core);
    const one = await api.inject({ method: 'POST', url: '/v1/projects?wait=1', payload: { source } });
    expect(one.statusCode).toBe(200);
    const bare = await api.inject({ method: 'POST', url: '/v1/projects/demo/restart' });
    expect(bare.statusCode).toBe(202);
  });

  it('passes service actions, down and scale to the core with their target', async () => {
    const fake = fakeCore();
    const api = await server(fake.core);
    await api.inject({
      method: 'POST',
      url: '/v1/projects/demo/kill',
      payload: { services: ['web'], signal: 'KILL' },
    });
    await api.inject({ method: 'POST', url: '/v1/projects/demo/down', payload: { volumes: true } });
    await api.inject({
      method: 'POST',
      url: '/v1/projects/-/scale',
      payload: { source, replicas: { web: 3 } },
    });
    const noSource = await api.inject({ method: 'POST', url: '/v1/projects/-/stop', payload: {} });
    expect(noSource.statusCode).toBe(400);
    expect(fake.calls).toEqual([
      { method: 'serviceAction', args: [{ name: 'demo' }, 'kill', { services: ['web'], signal: 'KILL' }] },
      { method: 'down', args: [{ name: 'demo' }, { volumes: true }] },
      { method: 'scale', args: [{ source: { ...source } }, { web: 3 }] },
    ]);
  });

  it('streams operation progress as NDJSON and SSE, ending with the record', async () => {
    const fake = fakeCore();
    const api = await server(fake.core);
    const up = await api.inject({ method: 'POST', url: '/v1/projects?wait=true', payload: { source } });
    const id = up.json().operation.id;
    fake.progress.push({
      operationId: id,
      project: 'demo',
      kind: 'container',
      resource: 'demo-web-1',
      action: 'start',
      state: 'done',
      time: 't',
    });
    const nd = await api.inject({ method: 'GET', url: `/v1/operations/${id}/progress` });
    expect(nd.headers['content-type']).toContain('application/x-ndjson');
    const lines = nd.body
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.type)).toEqual(['progress', 'end']);
    expect(lines[1].operation.state).toBe('succeeded');
    const sse = await api.inject({
      method: 'GET',
      url: `/v1/operations/${id}/progress`,
      headers: { accept: 'text/event-stream' },
    });
    expect(sse.headers['content-type']).toContain('text/event-stream');
    expect(sse.body).toMatch(/^event: progress\ndata: \{.*\}\n\nevent: end\ndata: \{.*\}\n\n$/);
    const missing = await api.inject({ method: 'GET', url: '/v1/operations/op_none/progress' });
    expect(missing.statusCode).toBe(404);
  });

  it('streams events filtered by project, in the format asked for', async () => {
    const fake = fakeCore();
    fake.events.push(
      { time: 't', type: 'repair', project: 'demo', action: 'recreate', reason: 'missing' },
      { time: 't', type: 'container', project: 'other', action: 'start' },
    );
    const api = await server(fake.core);
    const res = await api.inject({ method: 'GET', url: '/v1/events?project=demo&format=ndjson' });
    expect(
      res.body
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).project),
    ).toEqual(['demo']);
    const sse = await api.inject({ method: 'GET', url: '/v1/events?format=sse' });
    expect(sse.body).toContain('event: repair\n');
    expect(sse.body).toContain('event: container\n');
  });

  it('streams logs as NDJSON LogLines, 404 for an unknown project', async () => {
    const api = await server(fakeCore().core);
    const res = await api.inject({
      method: 'GET',
      url: '/v1/projects/demo/logs?tail=5&service=web&timestamps=true',
    });
    expect(JSON.parse(res.body.trim())).toMatchObject({ service: 'web', line: 'hi' });
    const missing = await api.inject({ method: 'GET', url: '/v1/projects/nope/logs' });
    expect(missing.statusCode).toBe(404);
    const noService = await api.inject({ method: 'GET', url: '/v1/projects/demo/logs?service=db' });
    expect(noService.statusCode).toBe(404);
    expect(noService.json().code).toBe('SERVICE_NOT_FOUND');
  });

  it('gives config as JSON without secret contents, 422 on bad compose', async () => {
    const api = await server(fakeCore().core);
    const res = await api.inject({ method: 'POST', url: '/v1/config', payload: { source } });
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain('s3cret-value');
    expect(res.body).not.toContain('hunter2');
    expect(res.json().project.secrets.token).toEqual({ name: 'demo_token', environment: 'TOKEN' });
    const bad = await api.inject({
      method: 'POST',
      url: '/v1/config',
      payload: { source: { ...source, inline: [{ content: 'bad' }] } },
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().details.errors[0]).toMatchObject({ code: 'YAML_SYNTAX', line: 3, col: 5 });
  });

  it('passes config --hash services to the core, so only their problems refuse it (issue 21 item 3)', async () => {
    const seen: unknown[] = [];
    const api = await server(
      fakeCore({
        config: async (_source, opts) => {
          seen.push(opts);
          return { ok: true, project: { name: 'demo', services: {} }, warnings: [], hashes: {} };
        },
      }).core,
    );
    const res = await api.inject({ method: 'POST', url: '/v1/config', payload: { source, services: ['a'] } });
    expect(res.statusCode).toBe(200);
    await api.inject({ method: 'POST', url: '/v1/config', payload: { source } });
    expect(seen).toEqual([{ services: ['a'] }, {}]);
  });

  it('refuses browsers on any transport, and TCP without the token or with a foreign Host', async () => {
    const unix = await server(fakeCore().core, 'unix');
    const browser = await unix.inject({
      method: 'GET',
      url: '/v1/health',
      headers: { origin: 'http://evil.example' },
    });
    expect(browser.statusCode).toBe(403);
    expect(browser.json().code).toBe('FORBIDDEN_ORIGIN');
    await unix.close();
    const tcp = await server(fakeCore().core, 'tcp');
    const none = await tcp.inject({ method: 'GET', url: '/v1/health', headers: { host: '127.0.0.1:7323' } });
    expect(none.statusCode).toBe(401);
    const wrong = await tcp.inject({
      method: 'GET',
      url: '/v1/health',
      headers: { host: '127.0.0.1:7323', authorization: 'Bearer tok2' },
    });
    expect(wrong.statusCode).toBe(401);
    const rebound = await tcp.inject({
      method: 'GET',
      url: '/v1/health',
      headers: { host: 'evil.example:7323', authorization: 'Bearer tok' },
    });
    expect(rebound.statusCode).toBe(403);
    const ok = await tcp.inject({
      method: 'GET',
      url: '/v1/health',
      headers: { host: 'localhost:7323', authorization: 'Bearer tok' },
    });
    expect(ok.statusCode).toBe(200);
  });

  it('describes every route in /v1/openapi.json', async () => {
    const api = await server(fakeCore().core);
    const res = await api.inject({ method: 'GET', url: '/v1/openapi.json' });
    const doc = res.json();
    expect(doc.openapi).toBe('3.0.3');
    const routes = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([p, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`),
    );
    for (const expected of [
      'GET /v1/health',
      'GET /v1/projects',
      'POST /v1/projects',
      'POST /v1/projects/lookup',
      'GET /v1/projects/{name}',
      'POST /v1/projects/{name}/down',
      'POST /v1/projects/{name}/pause',
      'POST /v1/projects/{name}/scale',
      'POST /v1/config',
      'GET /v1/operations/{id}',
      'GET /v1/operations/{id}/progress',
      'GET /v1/projects/{name}/logs',
      'GET /v1/events',
      'POST /v1/projects/{name}/exec',
      'GET /v1/projects/{name}/archive',
      'PUT /v1/projects/{name}/archive',
      'GET /v1/projects/{name}/archive/stat',
    ]) {
      expect(routes).toContain(expected);
    }
    expect(doc.paths['/v1/projects'].post.requestBody.content['application/json'].schema.required).toContain(
      'source',
    );
  });

  it('cp: a tar body (beyond bodyLimit) reaches putArchive as the raw stream; stat answers exists', async () => {
    let received = 0;
    let query: unknown;
    const { core } = fakeCore({
      putArchive: async (_target, service, where, path, tar, copyUIDGID) => {
        query = { service, where, path, copyUIDGID };
        for await (const chunk of tar as AsyncIterable<Buffer>) received += chunk.length;
        return { containers: ['demo-web-1'] };
      },
    });
    app = await buildServer({
      core,
      shutdown: new AbortController().signal,
      version: '0.1.0',
      bodyLimitBytes: 1024,
      security: { transport: 'unix', token: 'tok', allowOrigins: [], allowHosts: [], bindHost: '127.0.0.1' },
    });
    const res = await app.inject({
      method: 'PUT',
      url: '/v1/projects/demo/archive?service=web&path=/tmp&all=true&copyUIDGID=true',
      headers: { 'content-type': 'application/x-tar' },
      payload: Buffer.alloc(10 * 1024),
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ containers: ['demo-web-1'] });
    expect(received).toBe(10 * 1024);
    expect(query).toEqual({ service: 'web', where: { index: 1, all: true }, path: '/tmp', copyUIDGID: true });
    const stat = await app.inject({
      method: 'GET',
      url: '/v1/projects/demo/archive/stat?service=web&path=/nope',
    });
    expect(stat.json()).toEqual({ container: 'demo-web-1', exists: false });
  });
});
