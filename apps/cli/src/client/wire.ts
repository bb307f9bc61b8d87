/**
 * One HTTP/1.1 exchange with the daemon over `node:net`, read by hand. `node:http` costs a short-lived
 * CLI ~10 ms of CPU more to load and set up than `node:net` (issue 17, items 2 and 6; docs/benchmarks.md),
 * and the daemon's answers need little: a status, a few headers, and a body framed by Content-Length,
 * chunked transfer coding, or the end of the connection. Each request goes on its own connection with
 * `Connection: close`. Uploads and upgrades (`cp`, `exec`) stay on `node:http` (http.ts `send`).
 */
import type { Socket } from 'node:net';
import { loadNet } from '../builtin.js';
import type { DaemonAddress } from './address.js';

export interface WireResponse {
  status: number;
  /** Header names in lower case. */
  headers: Map<string, string>;
  /** The decoded body: ends when the answer is complete, errors if the connection drops before. */
  body: WireBody;
}

/** Bytes received and not yet read past which the connection is paused (a slow reader of a long stream). */
const HIGH_WATER = 64 * 1024;

/** What a body needs of its connection. */
interface Flow {
  pause(): void;
  resume(): void;
  close(): void;
}

/**
 * An answer's body as it arrives, read by one `for await` (chunks in order). Not a node:stream Readable:
 * its machinery and async iterator cost every short command ~1-2 ms of CPU for a body read once
 * (issue 17, items 2 and 6). A reader that stops early lets go of the connection; a dropped connection
 * makes the reader throw its error once what arrived before it is read.
 */
export class WireBody implements AsyncIterable<Buffer> {
  readonly #flow: Flow;
  readonly #chunks: Buffer[] = [];
  #queued = 0;
  #paused = false;
  #ended = false;
  #error: Error | undefined;
  #wake: (() => void) | undefined;

  constructor(flow: Flow) {
    this.#flow = flow;
  }

  /** A piece of the body (after the transfer coding). */
  push(chunk: Buffer): void {
    if (this.#ended) return;
    this.#chunks.push(chunk);
    this.#queued += chunk.length;
    if (this.#queued > HIGH_WATER && !this.#paused) {
      this.#paused = true;
      this.#flow.pause();
    }
    this.#notify();
  }

  /** The body is complete (or no more of it is wanted). */
  end(): void {
    this.#ended = true;
    this.#notify();
  }

  /** Closes the connection; with an error, the reader throws it (after what arrived before). */
  destroy(error?: Error): void {
    this.#flow.close();
    if (this.#ended) return;
    if (error) this.#error = error;
    this.end();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Buffer> {
    try {
      for (;;) {
        const chunk = this.#chunks.shift();
        if (chunk) {
          this.#queued -= chunk.length;
          if (this.#paused && this.#queued <= HIGH_WATER / 2) {
            this.#paused = false;
            this.#flow.resume();
          }
          yield chunk;
        } else if (this.#error) throw this.#error;
        else if (this.#ended) return;
        else
          await new Promise<void>((wake) => {
            this.#wake = wake;
          });
      }
    } finally {
      // A reader that stopped early (a stream it no longer follows) lets go of the connection.
      if (!this.#ended || this.#chunks.length) this.destroy();
    }
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }
}

export interface WireRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
}

/** A connection-level failure: the code of the socket's error (ENOENT, ECONNREFUSED, ...). */
export class WireError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'WireError';
  }
}

const HEAD_LIMIT = 64 * 1024;

function hostHeader(address: DaemonAddress): string {
  if (address.kind === 'unix') return 'localhost';
  return `${address.host.includes(':') ? `[${address.host}]` : address.host}:${address.port}`;
}

export function requestHead(address: DaemonAddress, req: WireRequest, bodyBytes: number): string {
  const lines = [`${req.method} ${req.path} HTTP/1.1`, `Host: ${hostHeader(address)}`, 'Connection: close'];
  for (const [name, value] of Object.entries(req.headers)) {
    if (/[\r\n]/.test(value)) throw new TypeError(`header ${name} holds a line break`);
    lines.push(`${name}: ${value}`);
  }
  if (req.body !== undefined || req.method === 'POST' || req.method === 'PUT')
    lines.push(`Content-Length: ${bodyBytes}`);
  return `${lines.join('\r\n')}\r\n\r\n`;
}

interface Head {
  status: number;
  headers: Map<string, string>;
}

export function parseHead(text: string): Head {
  const lines = text.split('\r\n');
  const statusLine = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? '');
  if (!statusLine?.[1]) throw new WireError('EPROTO', `not an HTTP answer: ${JSON.stringify(lines[0])}`);
  const headers = new Map<string, string>();
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    const prev = headers.get(name);
    headers.set(name, prev === undefined ? value : `${prev}, ${value}`);
  }
  return { status: Number(statusLine[1]), headers };
}

type Framing =
  | { kind: 'length'; left: number }
  | { kind: 'chunked'; state: 'size' | 'data' | 'crlf' | 'done'; left: number }
  | { kind: 'close' };

/** Decodes body bytes by the framing; returns the payload pieces and whether the body is complete. */
export function decodeBody(framing: Framing, input: Buffer): { out: Buffer[]; done: boolean; rest: Buffer } {
  const out: Buffer[] = [];
  if (framing.kind === 'close')
    return { out: input.length ? [input] : [], done: false, rest: Buffer.alloc(0) };
  if (framing.kind === 'length') {
    const take = input.subarray(0, framing.left);
    framing.left -= take.length;
    if (take.length) out.push(take);
    return { out, done: framing.left === 0, rest: Buffer.alloc(0) };
  }
  let buf = input;
  while (buf.length) {
    if (framing.state === 'size') {
      const eol = buf.indexOf('\r\n');
      if (eol < 0) break;
      const size = Number.parseInt(buf.subarray(0, eol).toString('latin1').split(';')[0] ?? '', 16);
      if (!Number.isFinite(size) || size < 0) throw new WireError('EPROTO', 'bad chunk size in the answer');
      buf = buf.subarray(eol + 2);
      if (size === 0) {
        framing.state = 'done';
        return { out, done: true, rest: Buffer.alloc(0) };
      }
      framing.state = 'data';
      framing.left = size;
    } else if (framing.state === 'data') {
      const take = buf.subarray(0, framing.left);
      out.push(take);
      framing.left -= take.length;
      buf = buf.subarray(take.length);
      if (framing.left === 0) framing.state = 'crlf';
    } else if (framing.state === 'crlf') {
      if (buf.length < 2) break;
      buf = buf.subarray(2);
      framing.state = 'size';
    } else break;
  }
  return { out, done: framing.state === 'done', rest: buf };
}

function framingOf(head: Head, method: string): Framing {
  if (method === 'HEAD' || head.status === 204 || head.status === 304) return { kind: 'length', left: 0 };
  if (/\bchunked\b/i.test(head.headers.get('transfer-encoding') ?? ''))
    return { kind: 'chunked', state: 'size', left: 0 };
  const length = head.headers.get('content-length');
  if (length !== undefined && /^\d+$/.test(length)) return { kind: 'length', left: Number(length) };
  return { kind: 'close' };
}

/**
 * A request bin/orc.js sent before the hot bundle ran (`orc -p NAME ps`, its guess from the line alone):
 * the connection, the bytes sent on it, and what came back before anyone read it.
 */
export interface EarlyExchange {
  socketPath: string;
  head: string;
  socket: Socket;
  chunks: Buffer[];
  ended: boolean;
  error: Error | undefined;
  /** Drops bin/orc.js's own listeners (what arrives next is the taker's). */
  release(): void;
}

let early: EarlyExchange | undefined;

/** Hands this process's early request to the next exchange (hot-main.ts). */
export function offerEarly(offered: EarlyExchange | undefined): void {
  early = offered;
}

/**
 * The early request when it is exactly this one (same socket, same bytes) and its connection did not
 * fail; otherwise it is closed and the caller sends its own. Only the first exchange may take it.
 */
function takeEarly(address: DaemonAddress, head: string, hasBody: boolean): EarlyExchange | undefined {
  const offered = early;
  early = undefined;
  if (!offered) return undefined;
  const same = address.kind === 'unix' && address.socketPath === offered.socketPath && head === offered.head;
  if (same && !hasBody && !offered.error) return offered;
  offered.socket.destroy();
  return undefined;
}

/** Sends one request; resolves with the answer's head once read, its body streaming behind. */
export async function exchange(address: DaemonAddress, req: WireRequest): Promise<WireResponse> {
  const payload = req.body === undefined ? undefined : Buffer.from(req.body, 'utf8');
  const head = requestHead(address, req, payload?.length ?? 0);
  const taken = takeEarly(address, head, payload !== undefined);
  const { connect } = loadNet();
  return new Promise((resolve, reject) => {
    const socket: Socket = taken
      ? taken.socket
      : address.kind === 'unix'
        ? connect({ path: address.socketPath })
        : connect({ host: address.host, port: address.port });
    let headBuf: Buffer = Buffer.alloc(0);
    let framing: Framing | undefined;
    let body: WireBody | undefined;
    let pending: Buffer = Buffer.alloc(0);
    let complete = false;

    const fail = (err: Error) => {
      socket.destroy();
      if (body) body.destroy(err);
      else reject(err);
    };
    const onAbort = () => {
      socket.destroy();
      if (body) {
        if (!complete) body.end();
      } else reject(req.signal?.reason ?? new Error('aborted'));
    };
    if (req.signal?.aborted) return onAbort();
    req.signal?.addEventListener('abort', onAbort, { once: true });
    socket.on('close', () => req.signal?.removeEventListener('abort', onAbort));

    const feed = (bytes: Buffer) => {
      if (!framing || !body || complete) return;
      const all = pending.length ? Buffer.concat([pending, bytes]) : bytes;
      const { out, done, rest } = decodeBody(framing, all);
      pending = rest;
      for (const piece of out) body.push(piece);
      if (done) {
        complete = true;
        body.end();
        socket.destroy();
      }
    };

    const onData = (chunk: Buffer) => {
      if (body) return feed(chunk);
      headBuf = headBuf.length ? Buffer.concat([headBuf, chunk]) : chunk;
      const end = headBuf.indexOf('\r\n\r\n');
      if (end < 0) {
        if (headBuf.length > HEAD_LIMIT) fail(new WireError('EPROTO', 'the answer head is too long'));
        return;
      }
      let head: Head;
      try {
        head = parseHead(headBuf.subarray(0, end).toString('latin1'));
      } catch (err) {
        return fail(err as Error);
      }
      // 1xx (e.g. 100 Continue) precede the real answer.
      if (head.status >= 100 && head.status < 200) {
        headBuf = headBuf.subarray(end + 4);
        return;
      }
      framing = framingOf(head, req.method);
      body = new WireBody({
        pause: () => socket.pause(),
        resume: () => socket.resume(),
        close: () => socket.destroy(),
      });
      resolve({ status: head.status, headers: head.headers, body });
      const rest = headBuf.subarray(end + 4);
      headBuf = Buffer.alloc(0);
      if (rest.length || (framing.kind === 'length' && framing.left === 0)) feed(rest);
    };
    const onEnd = () => {
      if (!body)
        return fail(new WireError('ECONNRESET', 'the daemon closed the connection before answering'));
      if (complete) return;
      if (framing?.kind === 'close') {
        complete = true;
        body.end();
        return;
      }
      fail(new WireError('ECONNRESET', 'the daemon closed the connection in the middle of its answer'));
    };
    socket.on('data', onData);
    socket.on('end', onEnd);
    socket.on('error', (err: NodeJS.ErrnoException) => {
      if (req.signal?.aborted) return;
      fail(new WireError(err.code ?? 'EIO', err.message));
    });
    if (!taken) {
      socket.on('connect', () => {
        socket.write(head);
        if (payload) socket.write(payload);
      });
      return;
    }
    // Already sent: what arrived before this took the connection is read first, in order.
    taken.release();
    for (const chunk of taken.chunks.splice(0)) onData(chunk);
    if (taken.ended) onEnd();
  });
}
