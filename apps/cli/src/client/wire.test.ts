import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DaemonAddress } from './address.js';
import { call, stream, UnreachableError } from './http.js';
import { decodeBody, parseHead, WireBody } from './wire.js';

describe('decodeBody', () => {
  it('reads chunked coding split at every byte, extensions included', () => {
    const wire = Buffer.from('4;x=1\r\nabcd\r\n3\r\nefg\r\n0\r\n\r\n');
    const framing = { kind: 'chunked' as const, state: 'size' as const, left: 0 };
    let pending: Buffer = Buffer.alloc(0);
    const out: Buffer[] = [];
    let done = false;
    for (const byte of wire) {
      const r = decodeBody(framing, Buffer.concat([pending, Buffer.from([byte])]));
      out.push(...r.out);
      pending = r.rest;
      done ||= r.done;
    }
    expect(Buffer.concat(out).toString()).toBe('abcdefg');
    expect(done).toBe(true);
  });

  it('stops at Content-Length', () => {
    const framing = { kind: 'length' as const, left: 3 };
    const r = decodeBody(framing, Buffer.from('abcdef'));
    expect(Buffer.concat(r.out).toString()).toBe('abc');
    expect(r.done).toBe(true);
  });

  it('refuses an answer that is not HTTP', () => {
    expect(() => parseHead('SSH-2.0-x')).toThrow(/not an HTTP answer/);
    expect(parseHead('HTTP/1.1 202 Accepted\r\nX-A: 1\r\nx-a: 2').headers.get('x-a')).toBe('1, 2');
  });
});

describe('WireBody', () => {
  const flow = () => {
    const calls: string[] = [];
    return {
      calls,
      flow: {
        pause: () => calls.push('pause'),
        resume: () => calls.push('resume'),
        close: () => calls.push('close'),
      },
    };
  };

  it('gives the chunks in order, pushed before and while it is read, and ends', async () => {
    const { flow: f } = flow();
    const body = new WireBody(f);
    body.push(Buffer.from('a'));
    setTimeout(() => {
      body.push(Buffer.from('b'));
      body.end();
    }, 5);
    const got: string[] = [];
    for await (const c of body) got.push(c.toString());
    expect(got).toEqual(['a', 'b']);
  });

  it('pauses the connection past 64 KB unread and resumes it once read', async () => {
    const { flow: f, calls } = flow();
    const body = new WireBody(f);
    body.push(Buffer.alloc(40_000));
    body.push(Buffer.alloc(40_000));
    expect(calls).toEqual(['pause']);
    body.end();
    let bytes = 0;
    for await (const c of body) bytes += c.length;
    expect(bytes).toBe(80_000);
    expect(calls).toEqual(['pause', 'resume']);
  });

  it('throws a dropped connection’s error after what arrived before it', async () => {
    const { flow: f, calls } = flow();
    const body = new WireBody(f);
    body.push(Buffer.from('a'));
    body.destroy(new Error('the daemon closed the connection in the middle of its answer'));
    const got: string[] = [];
    await expect(
      (async () => {
        for await (const c of body) got.push(c.toString());
      })(),
    ).rejects.toThrow(/in the middle/);
    expect(got).toEqual(['a']);
    expect(calls).toEqual(['close']);
  });

  it('lets go of the connection when the reader stops early', async () => {
    const { flow: f, calls } = flow();
    const body = new WireBody(f);
    body.push(Buffer.from('a'));
    body.push(Buffer.from('b'));
    for await (const _ of body) break;
    expect(calls).toEqual(['close']);
  });
});

describe('the light client over TCP', () => {
  const seen: Array<{ host?: string; auth?: string; body: string }> = [];
  let server: Server;
  let address: DaemonAddress;

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        seen.push({
          ...(req.headers.host ? { host: req.headers.host } : {}),
          ...(req.headers.authorization ? { auth: req.headers.authorization } : {}),
          body,
        });
        if (req.url === '/json') {
          res.setHeader('Content-Type', 'application/json');
          res.end(JSON.stringify({ echo: JSON.parse(body), big: 'x'.repeat(200_000) }));
        } else if (req.url === '/stream') {
          // No Content-Length: node answers chunked; items arrive in separate writes.
          res.write('{"type":"accepted","operation":{"id":"op1"}}\n');
          setTimeout(() => res.end('{"type":"end","operation":{"id":"op1","state":"succeeded"}}\n'), 20);
        } else {
          res.statusCode = 401;
          res.end(JSON.stringify({ code: 'UNAUTHORIZED', message: 'a token is required' }));
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    address = { kind: 'tcp', host: '127.0.0.1', port, token: 's3cret', display: `tcp://127.0.0.1:${port}` };
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('sends the token and Host, and reads a long body', async () => {
    const got = await call<{ echo: unknown; big: string }>(address, 'POST', '/json', { body: { a: 1 } });
    expect(got.echo).toEqual({ a: 1 });
    expect(got.big).toHaveLength(200_000);
    expect(seen.at(-1)).toMatchObject({ host: `127.0.0.1:${address.kind === 'tcp' ? address.port : 0}` });
    expect(seen.at(-1)?.auth).toBe('Bearer s3cret');
  });

  it('streams records of a chunked answer as they come', async () => {
    const items = [];
    for await (const item of stream(address, 'POST', '/stream', { body: {} })) items.push(item);
    expect(items).toEqual([
      { type: 'accepted', operation: { id: 'op1' } },
      { type: 'end', operation: { id: 'op1', state: 'succeeded' } },
    ]);
  });

  it('keeps the status and body of an error answer', async () => {
    await expect(call(address, 'GET', '/nope')).rejects.toMatchObject({
      status: 401,
      message: 'a token is required',
    });
  });

  it('says unreachable when nothing listens', async () => {
    const dead: DaemonAddress = { kind: 'tcp', host: '127.0.0.1', port: 1, display: 'tcp://127.0.0.1:1' };
    await expect(call(dead, 'GET', '/v1/health')).rejects.toBeInstanceOf(UnreachableError);
  });
});

describe('the daemon looked for only when nobody listens', () => {
  it('starts it (ready) on the first refused request, sends that request again, and never asks again', async () => {
    const { api } = await import('./api.js');
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'orc-cli-ready-'));
    const socketPath = join(dir, 'orc.sock');
    const address: DaemonAddress = { kind: 'unix', socketPath, display: `unix://${socketPath}` };
    const paths: string[] = [];
    const daemon = createServer((req, res) => {
      paths.push(req.url ?? '');
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ projects: [] }));
    });
    let readyCalls = 0;
    const client = api(address, async () => {
      readyCalls++;
      await new Promise<void>((resolve) => daemon.listen(socketPath, resolve));
    });
    try {
      expect(await client.listProjects()).toEqual([]);
      expect(await client.listProjects()).toEqual([]);
      await client.ready();
      expect(readyCalls).toBe(1);
      expect(paths).toEqual(['/v1/projects', '/v1/projects']);
    } finally {
      await new Promise((resolve) => daemon.close(resolve));
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('without a daemon to start, the error of ready() is the answer', async () => {
    const { api } = await import('./api.js');
    const address: DaemonAddress = { kind: 'unix', socketPath: '/nonexistent/orc.sock', display: 'x' };
    const client = api(address, async () => {
      throw new Error('ORC_NO_AUTOSTART=1 is set');
    });
    await expect(client.listProjects()).rejects.toThrow('ORC_NO_AUTOSTART=1 is set');
  });
});
