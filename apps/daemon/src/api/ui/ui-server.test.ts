import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { OperationRecord, ProjectSummary } from '../../contract/types.js';
import type { Core } from '../../verbs/types.js';
import { buildServer } from '../server.js';
import { loadAssets, UiAssetsError } from './assets.js';
import { createSessions } from './sessions.js';

const dist = mkdtempSync(join(tmpdir(), 'orc-ui-assets-'));
mkdirSync(join(dist, 'assets'));
writeFileSync(
  join(dist, 'index.html'),
  '<!doctype html><title>orc</title><script src="/assets/app-1.js"></script>',
);
writeFileSync(join(dist, 'assets', 'app-1.js'), 'console.log(1)');
afterAll(() => rmSync(dist, { recursive: true, force: true }));

const project: ProjectSummary = {
  name: 'demo',
  workingDir: '/srv/demo',
  configFiles: [],
  registered: true,
  status: 'running(1)',
  services: [{ name: 'web', desired: 'running', replicas: 1 }],
  containers: [],
};
const record: OperationRecord = {
  id: 'op_1',
  project: 'demo',
  kind: 'stop',
  state: 'running',
  startedAt: new Date(0).toISOString(),
  warnings: [],
};
// Only what these routes call; anything else is a test bug and throws.
const core = new Proxy(
  {
    listProjects: async () => [project],
    getProject: async () => project,
    serviceAction: async () => ({ record, done: Promise.resolve({ ...record, state: 'succeeded' }) }),
  } as Partial<Core>,
  {
    get(target, key) {
      const v = target[key as keyof Core];
      if (v === undefined && typeof key === 'string' && key !== 'then') throw new Error(`fake core: ${key}`);
      return v;
    },
  },
) as Core;

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

const HOST = '127.0.0.1:7400';
const OWN = `http://${HOST}`;

async function server(ui: boolean): Promise<FastifyInstance> {
  const sessions = createSessions();
  app = await buildServer({
    core,
    shutdown: new AbortController().signal,
    version: '0.1.0',
    security: {
      transport: 'tcp',
      token: 'tok-123',
      allowOrigins: [],
      allowHosts: [],
      bindHost: '127.0.0.1',
      ...(ui ? { ui: { sessions } } : {}),
    },
    ...(ui ? { ui: { assets: loadAssets(dist), sessions } } : {}),
  });
  return app;
}

async function login(api: FastifyInstance): Promise<string> {
  const res = await api.inject({
    method: 'POST',
    url: '/v1/ui/login',
    headers: { host: HOST, origin: OWN },
    payload: { token: 'tok-123' },
  });
  expect(res.statusCode).toBe(200);
  const set = String(res.headers['set-cookie']);
  expect(set).toMatch(/^orc_session=[\w-]{40,}; HttpOnly; SameSite=Strict; Path=\/; Max-Age=28800$/);
  return set.split(';')[0] as string;
}

describe('status page routes (--ui)', () => {
  it('without --ui: no page and no login route, even with the token', async () => {
    const api = await server(false);
    const auth = { host: HOST, authorization: 'Bearer tok-123' };
    expect((await api.inject({ method: 'GET', url: '/', headers: auth })).statusCode).toBe(404);
    const loginRes = await api.inject({
      method: 'POST',
      url: '/v1/ui/login',
      headers: auth,
      payload: { token: 'tok-123' },
    });
    expect(loginRes.statusCode).toBe(404);
    const doc = (await api.inject({ method: 'GET', url: '/v1/openapi.json', headers: auth })).json();
    expect(Object.keys(doc.paths)).not.toContain('/v1/ui/login');
  });

  it('serves the page without credentials (it holds no data), with a strict CSP', async () => {
    const api = await server(true);
    const page = await api.inject({ method: 'GET', url: '/', headers: { host: HOST } });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['content-security-policy']).toContain("connect-src 'self'");
    const js = await api.inject({ method: 'GET', url: '/assets/app-1.js', headers: { host: HOST } });
    expect(js.statusCode).toBe(200);
    expect(js.headers['cache-control']).toContain('immutable');
    expect(
      (await api.inject({ method: 'GET', url: '/assets/../index.html', headers: { host: HOST } })).statusCode,
    ).not.toBe(200);
    expect(
      (await api.inject({ method: 'GET', url: '/v1/projects', headers: { host: HOST } })).statusCode,
    ).toBe(401);
    // DNS rebinding: a page served under another name is refused before anything else.
    expect(
      (await api.inject({ method: 'GET', url: '/', headers: { host: 'evil.example:7400' } })).statusCode,
    ).toBe(403);
  });

  it('exchanges the token for a session cookie; a wrong token gets nothing', async () => {
    const api = await server(true);
    const wrong = await api.inject({
      method: 'POST',
      url: '/v1/ui/login',
      headers: { host: HOST, origin: OWN },
      payload: { token: 'tok-124' },
    });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.headers['set-cookie']).toBeUndefined();
    const cookie = await login(api);
    const list = await api.inject({ method: 'GET', url: '/v1/projects', headers: { host: HOST, cookie } });
    expect(list.statusCode).toBe(200);
    const session = await api.inject({
      method: 'GET',
      url: '/v1/ui/session',
      headers: { host: HOST, cookie },
    });
    expect(Date.parse(session.json().expiresAt)).toBeGreaterThan(Date.now() + 7 * 3600_000);
    const doc = (
      await api.inject({ method: 'GET', url: '/v1/openapi.json', headers: { host: HOST, cookie } })
    ).json();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/v1/ui/login', '/v1/ui/logout', '/v1/ui/session']),
    );
  });

  it('accepts the cookie for a change only from its own origin; every other origin is refused', async () => {
    const api = await server(true);
    const cookie = await login(api);
    const stop = (headers: Record<string, string>) =>
      api.inject({
        method: 'POST',
        url: '/v1/projects/demo/stop',
        headers: { host: HOST, cookie, ...headers },
        payload: {},
      });
    expect((await stop({})).statusCode).toBe(403);
    expect((await stop({ origin: 'http://evil.example' })).json().code).toBe('FORBIDDEN_ORIGIN');
    expect((await stop({ origin: 'http://127.0.0.1:7401' })).statusCode).toBe(403);
    expect((await stop({ origin: OWN, 'sec-fetch-site': 'cross-site' })).statusCode).toBe(403);
    expect((await stop({ origin: OWN, 'sec-fetch-site': 'same-origin' })).statusCode).toBe(202);
    const crossRead = await api.inject({
      method: 'GET',
      url: '/v1/projects',
      headers: { host: HOST, cookie, 'sec-fetch-site': 'same-site' },
    });
    expect(crossRead.statusCode).toBe(403);
    // A foreign origin is refused even with the token (the browser guard is unchanged).
    const withToken = await api.inject({
      method: 'GET',
      url: '/v1/projects',
      headers: { host: HOST, authorization: 'Bearer tok-123', origin: 'http://evil.example' },
    });
    expect(withToken.statusCode).toBe(403);
  });

  it('logout ends the session and clears the cookie', async () => {
    const api = await server(true);
    const cookie = await login(api);
    const out = await api.inject({
      method: 'POST',
      url: '/v1/ui/logout',
      headers: { host: HOST, cookie, origin: OWN },
    });
    expect(out.statusCode).toBe(204);
    expect(String(out.headers['set-cookie'])).toContain('Max-Age=0');
    expect(
      (await api.inject({ method: 'GET', url: '/v1/projects', headers: { host: HOST, cookie } })).statusCode,
    ).toBe(401);
  });
});

describe('status page files', () => {
  it('a missing build is a clear error naming the way out', () => {
    expect(() => loadAssets(join(dist, 'nope'))).toThrow(UiAssetsError);
    expect(() => loadAssets(join(dist, 'nope'))).toThrow(/index.html is missing.*ORC_UI_DIR/);
    expect(() => loadAssets(undefined)).toThrow(/not installed/);
  });
  it('maps index.html to / and keeps hashed assets', () => {
    expect([...loadAssets(dist).keys()].sort()).toEqual(['/', '/assets/app-1.js']);
  });
});
