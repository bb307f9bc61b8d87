import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DaemonAddress } from './address.js';
import { api } from './api.js';
import { ensureDaemon } from './autostart.js';
import { ApiError, records, UnreachableError } from './http.js';

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

async function* chunks(...parts: string[]): AsyncGenerator<string> {
  yield* parts;
}

describe('records', () => {
  it('splits NDJSON across chunk boundaries and skips keep-alive blank lines', async () => {
    const got = await collect(records(chunks('{"a":1}\n{"b"', ':2}\n\n', '{"c":3}')));
    expect(got).toEqual([{ a: 1 }, { b: 2 }, { c: 3 }]);
  });

  it('reads SSE data lines and ignores comments and event names', async () => {
    const got = await collect(
      records(chunks(': ping\n', 'event: progress\ndata: {"x":1}\n\n', 'data: {"y":2}\n\n')),
    );
    expect(got).toEqual([{ x: 1 }, { y: 2 }]);
  });
});

describe('the client against a socket server', () => {
  const dir = mkdtempSync(join(tmpdir(), 'orc-cli-http-'));
  const address: DaemonAddress = { kind: 'unix', socketPath: join(dir, 's.sock'), display: 'test' };
  const seen: Array<{ method?: string; url?: string; host?: string; body: string }> = [];
  let server: Server;

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        seen.push({ method: req.method, url: req.url, host: req.headers.host, body });
        if (req.url === '/v1/health') {
          res.end(JSON.stringify({ status: 'ok', version: '0.1.0' }));
        } else if (req.url === '/v1/projects/-/stop') {
          res.statusCode = 202;
          res.end(JSON.stringify({ operation: { id: 'op1', state: 'running' } }));
        } else if (req.url === '/v1/operations/op1/progress') {
          res.setHeader('Content-Type', 'application/x-ndjson');
          res.write('{"type":"progress","event":{"resource":"demo-web-1","state":"working"}}\n\n');
          res.end('{"type":"end","operation":{"id":"op1","state":"succeeded"}}\n');
        } else {
          res.statusCode = 404;
          res.end(JSON.stringify({ code: 'PROJECT_NOT_FOUND', message: 'no project named x' }));
        }
      });
    });
    await new Promise<void>((resolve) =>
      server.listen(address.kind === 'unix' ? address.socketPath : 0, resolve),
    );
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  it('sends the source under the name `-` and follows progress to the end record', async () => {
    const client = api(address);
    const source = { workingDir: '/w', env: {} };
    const op = await client.action({ name: '-', source }, 'stop', { services: ['web'] });
    expect(op.id).toBe('op1');
    const last = seen.at(-1);
    expect(last?.host).toBe('localhost');
    expect(JSON.parse(last?.body ?? '')).toEqual({ source, services: ['web'] });
    const items = await collect(client.progress('op1'));
    expect(items.map((i) => i.type)).toEqual(['progress', 'end']);
  });

  it('turns an error answer into an ApiError with the daemon’s code and message', async () => {
    const err = await api(address)
      .getProject('x')
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toBe(404);
    expect((err as ApiError).message).toBe('no project named x');
  });

  it('reports a missing socket as unreachable (exit 3)', async () => {
    const missing: DaemonAddress = {
      kind: 'unix',
      socketPath: join(dir, 'none.sock'),
      display: 'unix://none',
    };
    const err = await api(missing)
      .health()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnreachableError);
    expect((err as UnreachableError).exitCode).toBe(3);
  });

  it('does not start a daemon when ORC_NO_AUTOSTART=1, and says how to', async () => {
    const missing: DaemonAddress = {
      kind: 'unix',
      socketPath: join(dir, 'none.sock'),
      display: 'unix://none',
    };
    const err = await ensureDaemon(missing, { ORC_NO_AUTOSTART: '1' }, () => undefined).catch(
      (e: unknown) => e,
    );
    expect((err as UnreachableError).exitCode).toBe(3);
    expect((err as UnreachableError).hint).toContain('orc daemon');
  });

  it('sends the bearer token over tcp', async () => {
    let auth: string | undefined;
    const tcp = createServer((req, res) => {
      auth = req.headers.authorization;
      res.end(JSON.stringify({ status: 'ok' }));
    });
    await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve));
    const port = (tcp.address() as { port: number }).port;
    try {
      const health = await api({
        kind: 'tcp',
        host: '127.0.0.1',
        port,
        token: 's3cret',
        display: 'tcp',
      }).health();
      expect(health.status).toBe('ok');
      expect(auth).toBe('Bearer s3cret');
    } finally {
      await new Promise((resolve) => tcp.close(resolve));
    }
  });

  it('passes when a daemon answers', async () => {
    const lines: string[] = [];
    await ensureDaemon(address, {}, (l) => lines.push(l));
    expect(lines).toEqual([]);
  });
});

describe('ORC_TIMEOUT bounds a call to a daemon that never answers (issue 16 item 4)', () => {
  it('ends with exit code 124 and a message that names the request and the setting', async () => {
    const { createServer: netServer } = await import('node:net');
    const { call, TimeoutError, requestTimeoutMs } = await import('./http.js');
    const dir = mkdtempSync(join(tmpdir(), 'orc-timeout-'));
    const socketPath = join(dir, 's.sock');
    // Accepts and never answers, as a daemon whose engine is stopped might.
    const held: import('node:net').Socket[] = [];
    const server = netServer((sock) => held.push(sock));
    await new Promise<void>((r) => server.listen(socketPath, r));
    const before = process.env.ORC_TIMEOUT;
    process.env.ORC_TIMEOUT = '0.3';
    try {
      expect(requestTimeoutMs()).toBe(300);
      const address: DaemonAddress = { kind: 'unix', socketPath, display: `unix://${socketPath}` };
      const err = await call(address, 'GET', '/v1/projects').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TimeoutError);
      expect((err as InstanceType<typeof TimeoutError>).exitCode).toBe(124);
      expect((err as Error).message).toMatch(
        /did not answer GET \/v1\/projects within 0.3 s \(ORC_TIMEOUT\)/,
      );
      // An explicit 0 (a detached run that builds first) is not bounded by it.
      const unbounded = call(address, 'GET', '/v1/x', { timeoutMs: 0 });
      unbounded.catch(() => undefined); // ends when the test closes the socket
      const raced = await Promise.race([
        unbounded.then(() => 'answered'),
        new Promise((r) => setTimeout(() => r('waiting'), 500)),
      ]);
      expect(raced).toBe('waiting');
      process.env.ORC_TIMEOUT = '0';
      expect(requestTimeoutMs()).toBe(0);
    } finally {
      if (before === undefined) delete process.env.ORC_TIMEOUT;
      else process.env.ORC_TIMEOUT = before;
      for (const s of held) s.destroy();
      server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
