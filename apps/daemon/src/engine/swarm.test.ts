import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from './engine.js';
import { createSwarmEngine } from './swarm.js';
import type { ServiceSpecBody } from './swarm-types.js';

/**
 * The registry auth of a service's image reaches the manager as dockerode sends it: the `X-Registry-Auth`
 * header (base64url JSON) on `POST /services/create` and `/services/{id}/update`, which the manager hands
 * to every node that pulls the image. A fake Engine API on a unix socket records what arrives.
 */
describe('swarm engine: registry auth forwarded to the manager', () => {
  let dir: string;
  let server: Server;
  const seen: Array<{ method: string; url: string; headers: IncomingHttpHeaders }> = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'orc-swarm-auth-'));
    server = createServer((req, res) => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
      req.resume();
      req.on('end', () => {
        res.setHeader('content-type', 'application/json');
        res.end(req.url?.includes('/create') ? '{"ID":"svc1","Warnings":null}' : '{"Warnings":null}');
      });
    });
    await new Promise<void>((r) => server.listen(join(dir, 'engine.sock'), r));
  });

  afterAll(async () => {
    await new Promise((r) => server.close(r));
    await rm(dir, { recursive: true, force: true });
  });

  const spec = {
    Name: 'demo_web',
    Labels: {},
    TaskTemplate: { ContainerSpec: { Image: 'reg.example:5000/web:1@sha256:abc' } },
  } as unknown as ServiceSpecBody;
  const auth = { serveraddress: 'reg.example:5000', username: 'ci', password: 'p@ss' };
  const decode = (h: string | string[] | undefined) =>
    JSON.parse(Buffer.from(String(h), 'base64url').toString('utf8')) as Record<string, string>;

  it('sends the credentials on create and update, and no header without them', async () => {
    const docker = new Docker({ socketPath: join(dir, 'engine.sock') });
    const swarm = createSwarmEngine({ docker } as unknown as Engine);
    seen.length = 0;
    expect(await swarm.createService(spec, auth)).toEqual({ id: 'svc1', warnings: [] });
    await swarm.updateService('svc1', 7, spec, auth);
    await swarm.createService(spec);
    expect(seen.map((r) => `${r.method} ${r.url.replace(/^\/v[0-9.]+/, '')}`)).toEqual([
      'POST /services/create',
      'POST /services/svc1/update?version=7',
      'POST /services/create',
    ]);
    expect(decode(seen[0]?.headers['x-registry-auth'])).toMatchObject(auth);
    expect(decode(seen[1]?.headers['x-registry-auth'])).toMatchObject(auth);
    expect(seen[2]?.headers['x-registry-auth']).toBeUndefined();
  });
});
