import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DaemonAddress } from './address.js';
import { api, type UpItem } from './api.js';
import { ApiError } from './http.js';

const record = (state: string) => ({ id: 'op-7', project: 'demo', kind: 'up', state, warnings: [] });

/**
 * A stand-in daemon: `old` answers `?stream=true` as a daemon from before it did (fastify's strict
 * querystring schema: 400 with the validation's details, the error handler's shape), `new` streams.
 */
function standIn(mode: { current: 'old' | 'new' | 'bad-body' }, seen: string[]): Server {
  return createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      seen.push(`${req.method} ${req.url}`);
      const json = (status: number, body: unknown) => {
        res.writeHead(status, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (req.url === '/v1/projects?stream=true' && mode.current === 'old')
        return json(400, {
          code: 'BAD_REQUEST',
          message: 'invalid request: querystring must NOT have additional properties',
          details: [
            { message: 'must NOT have additional properties', params: { additionalProperty: 'stream' } },
          ],
        });
      if (req.url === '/v1/projects?stream=true' && mode.current === 'bad-body')
        return json(400, {
          code: 'BAD_REQUEST',
          message: 'invalid request: body/options must NOT have additional properties',
          details: [
            {
              path: '/options',
              message: 'must NOT have additional properties',
              params: { additionalProperty: 'frobnicate' },
            },
          ],
        });
      if (req.url === '/v1/projects?stream=true') {
        res.writeHead(200, { 'Content-Type': 'application/x-ndjson' });
        res.write(`${JSON.stringify({ type: 'accepted', operation: record('running') })}\n`);
        res.end(`${JSON.stringify({ type: 'end', operation: record('succeeded') })}\n`);
        return;
      }
      if (req.url === '/v1/projects' && req.method === 'POST')
        return json(202, { operation: record('running') });
      if (req.url === '/v1/operations/op-7/progress') {
        res.writeHead(200, { 'Content-Type': 'application/x-ndjson' });
        res.end(`${JSON.stringify({ type: 'end', operation: record('succeeded') })}\n`);
        return;
      }
      json(404, { code: 'NOT_FOUND', message: `no route ${req.method} ${req.url}` });
    });
  });
}

async function collect(items: AsyncIterable<UpItem>): Promise<string[]> {
  const out: string[] = [];
  for await (const item of items)
    out.push(`${item.type}${'operation' in item ? ` ${item.operation.state}` : ''}`);
  return out;
}

describe('up against daemons old and new', () => {
  const mode: { current: 'old' | 'new' | 'bad-body' } = { current: 'new' };
  const seen: string[] = [];
  let server: Server;
  let address: DaemonAddress;
  const source = { workingDir: '/tmp', env: {} };

  beforeAll(async () => {
    server = standIn(mode, seen);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    address = { kind: 'tcp', host: '127.0.0.1', port, display: `tcp://127.0.0.1:${port}` };
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    seen.length = 0;
  });

  it('asks a current daemon once and reads the progress from the same answer', async () => {
    mode.current = 'new';
    expect(await collect(api(address).upStream(source, {}))).toEqual(['accepted running', 'end succeeded']);
    expect(seen).toEqual(['POST /v1/projects?stream=true']);
  });

  it('falls back to the two requests when an older daemon refuses `stream`', async () => {
    mode.current = 'old';
    expect(await collect(api(address).upStream(source, {}))).toEqual(['accepted running', 'end succeeded']);
    expect(seen).toEqual([
      'POST /v1/projects?stream=true',
      'POST /v1/projects',
      'GET /v1/operations/op-7/progress',
    ]);
  });

  it('does not resend a request the daemon refused for another reason', async () => {
    mode.current = 'bad-body';
    const err = await collect(api(address).upStream(source, {})).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).message).toMatch(/body\/options/);
    expect(seen).toEqual(['POST /v1/projects?stream=true']);
  });
});
