import type { IncomingMessage, RequestOptions } from 'node:http';
import type { Socket } from 'node:net';
import { loadHttp } from '../builtin.js';
import { CliError, ExitCode } from '../errors.js';
import type { DaemonAddress } from './address.js';
import { exchange, WireError, type WireResponse } from './wire.js';

/** An answer the daemon gave with a non-2xx status: its body is kept for the caller to explain. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Nothing listens at the address (no socket file, connection refused, or the socket is stale). */
export class UnreachableError extends CliError {
  constructor(
    readonly address: DaemonAddress,
    readonly reason: string,
  ) {
    super(`cannot reach the orc daemon at ${address.display} (${reason})`, ExitCode.unreachable);
    this.name = 'UnreachableError';
  }
}

const UNREACHABLE = new Set(['ENOENT', 'ECONNREFUSED', 'ECONNRESET', 'EACCES', 'ENOTSOCK', 'EHOSTUNREACH']);

export interface CallOptions {
  body?: unknown;
  signal?: AbortSignal;
  /** Extra headers (e.g. `Accept`). */
  headers?: Record<string, string>;
  /** Overrides ORC_TIMEOUT (ms; 0: no bound), for calls that legitimately last (a detached run builds first). */
  timeoutMs?: number;
  /** For `Upgrade` requests: receives the raw socket (and bytes already read past the head) on 101. */
  onUpgrade?: (socket: Socket, head: Buffer) => void;
  /** A raw request body streamed as it comes (a tar for `cp`), sent with `uploadType` as Content-Type. */
  upload?: NodeJS.ReadableStream;
  uploadType?: string;
}

function requestOptions(
  address: DaemonAddress,
  method: string,
  path: string,
  opts: CallOptions,
): RequestOptions {
  const headers: Record<string, string> = { Accept: 'application/json', ...opts.headers };
  if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
  if (opts.upload) headers['Content-Type'] = opts.uploadType ?? 'application/octet-stream';
  if (address.kind === 'unix') {
    // The daemon refuses a Host that is neither loopback nor the socket: say we are local.
    return { socketPath: address.socketPath, method, path, headers: { Host: 'localhost', ...headers } };
  }
  if (address.token) headers.Authorization = `Bearer ${address.token}`;
  return { host: address.host, port: address.port, method, path, headers };
}

/** Sends one request and resolves with the response head; the body is left for the caller to read. */
export async function send(
  address: DaemonAddress,
  method: string,
  path: string,
  opts: CallOptions = {},
): Promise<IncomingMessage> {
  // node:http is loaded when first needed: `orc --version` and `orc completion` never pay for it.
  const { request: httpRequest } = loadHttp();
  return new Promise((resolve, reject) => {
    const req = httpRequest(requestOptions(address, method, path, opts), resolve);
    req.on('upgrade', (res, socket, head) => {
      opts.onUpgrade?.(socket, head);
      resolve(res);
    });
    req.on('error', (err: NodeJS.ErrnoException) => {
      if (opts.signal?.aborted) reject(opts.signal.reason ?? err);
      else if (err.code && UNREACHABLE.has(err.code)) reject(new UnreachableError(address, err.code));
      else reject(err);
    });
    if (opts.signal) {
      const onAbort = () => req.destroy();
      if (opts.signal.aborted) onAbort();
      opts.signal.addEventListener('abort', onAbort, { once: true });
      req.on('close', () => opts.signal?.removeEventListener('abort', onAbort));
    }
    if (opts.upload) {
      // The daemon may answer (an error) before the whole body is sent: the rest is then dropped.
      opts.upload.on('error', (err) => req.destroy(err));
      opts.upload.pipe(req);
      return;
    }
    if (opts.body !== undefined) req.write(JSON.stringify(opts.body));
    req.end();
  });
}

/**
 * One plain request (a JSON body or none) on the light transport (wire.ts), its failures mapped as
 * `send` maps them.
 */
export async function sendLight(
  address: DaemonAddress,
  method: string,
  path: string,
  opts: CallOptions = {},
): Promise<WireResponse> {
  const headers: Record<string, string> = { Accept: 'application/json', ...opts.headers };
  if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
  if (address.kind === 'tcp' && address.token) headers.Authorization = `Bearer ${address.token}`;
  try {
    return await exchange(address, {
      method,
      path,
      headers,
      ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
  } catch (err) {
    if (opts.signal?.aborted) throw opts.signal.reason ?? err;
    if (err instanceof WireError && UNREACHABLE.has(err.code)) throw new UnreachableError(address, err.code);
    throw err;
  }
}

/** The ApiError a non-2xx response stands for (its JSON body read). */
export async function apiErrorOf(res: IncomingMessage): Promise<ApiError> {
  const status = res.statusCode ?? 0;
  const body = parseJson(await readText(res));
  return new ApiError(status, body, errorMessage(status, body));
}

async function readText(res: AsyncIterable<unknown>): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of res) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function errorMessage(status: number, body: unknown): string {
  if (body && typeof body === 'object' && 'message' in body && typeof body.message === 'string') {
    return body.message;
  }
  if (typeof body === 'string' && body) return body;
  return `the daemon answered ${status}`;
}

/** `ORC_TIMEOUT` in seconds (default 120; 0: wait as long as it takes). */
export function requestTimeoutMs(env: NodeJS.ProcessEnv = process.env): number {
  const s = Number(env.ORC_TIMEOUT ?? 120);
  return Number.isFinite(s) && s > 0 ? s * 1000 : 0;
}

/**
 * A JSON call: resolves with the parsed body on 2xx, rejects with ApiError otherwise. It is bounded by
 * ORC_TIMEOUT: a daemon that does not answer (its engine stalled, say) ends the command with exit 124
 * instead of a hang. Streams (logs -f, events, progress) are not bounded.
 */
export async function call<T>(
  address: DaemonAddress,
  method: string,
  path: string,
  opts: CallOptions = {},
): Promise<T> {
  const ms = opts.timeoutMs ?? requestTimeoutMs();
  if (ms === 0) return callOnce<T>(address, method, path, opts);
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(new TimeoutError(method, path, ms)), ms);
  const stop = () => ac.abort(opts.signal?.reason);
  opts.signal?.addEventListener('abort', stop, { once: true });
  try {
    return await callOnce<T>(address, method, path, { ...opts, signal: ac.signal });
  } finally {
    clearTimeout(timer);
    opts.signal?.removeEventListener('abort', stop);
  }
}

export class TimeoutError extends CliError {
  constructor(method: string, path: string, ms: number) {
    super(
      `the orc daemon did not answer ${method} ${path.split('?')[0]} within ${ms / 1000} s (ORC_TIMEOUT); ` +
        'its engine may be stalled (orc daemon health: GET /v1/health). Raise ORC_TIMEOUT, or 0 to wait',
      ExitCode.timeout,
    );
    this.name = 'TimeoutError';
  }
}

async function callOnce<T>(
  address: DaemonAddress,
  method: string,
  path: string,
  opts: CallOptions,
): Promise<T> {
  let status: number;
  let text: string;
  if (opts.upload || opts.onUpgrade) {
    const res = await send(address, method, path, opts);
    status = res.statusCode ?? 0;
    text = await readText(res);
  } else {
    const res = await sendLight(address, method, path, opts);
    status = res.status;
    text = await readText(res.body);
  }
  const body = parseJson(text);
  if (status < 200 || status >= 300) throw new ApiError(status, body, errorMessage(status, body));
  return body as T;
}

/**
 * Splits a streamed body into records: NDJSON lines, or SSE `data:` lines (both are accepted so the
 * daemon may pick either). Blank lines and SSE comments are skipped.
 */
export async function* records(source: AsyncIterable<Buffer | string>): AsyncGenerator<unknown> {
  let buffered = '';
  const decode = (line: string): unknown[] => {
    const trimmed = line.replace(/\r$/, '');
    if (!trimmed || trimmed.startsWith(':') || /^(event|id|retry):/.test(trimmed)) return [];
    const data = trimmed.startsWith('data:') ? trimmed.slice(5).trimStart() : trimmed;
    return [parseJson(data)];
  };
  for await (const chunk of source) {
    buffered += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    let newline = buffered.indexOf('\n');
    while (newline >= 0) {
      yield* decode(buffered.slice(0, newline));
      buffered = buffered.slice(newline + 1);
      newline = buffered.indexOf('\n');
    }
  }
  yield* decode(buffered);
}

/** A streaming call: yields each record of a 2xx body; rejects with ApiError otherwise. */
export async function* stream(
  address: DaemonAddress,
  method: string,
  path: string,
  opts: CallOptions = {},
): AsyncGenerator<unknown> {
  // The answer's head is bounded by ORC_TIMEOUT as a call is (an `up` streams after its load); the
  // stream itself lasts as long as it has to.
  const ms = opts.timeoutMs ?? requestTimeoutMs();
  const ac = new AbortController();
  const timer = ms ? setTimeout(() => ac.abort(new TimeoutError(method, path, ms)), ms) : undefined;
  const stop = () => ac.abort(opts.signal?.reason);
  if (opts.signal?.aborted) stop();
  opts.signal?.addEventListener('abort', stop, { once: true });
  let res: WireResponse;
  try {
    res = await sendLight(address, method, path, {
      ...opts,
      signal: ac.signal,
      headers: { Accept: 'application/x-ndjson, text/event-stream', ...opts.headers },
    });
  } catch (err) {
    opts.signal?.removeEventListener('abort', stop);
    throw err;
  } finally {
    clearTimeout(timer);
  }
  const status = res.status;
  if (status < 200 || status >= 300) {
    const body = parseJson(await readText(res.body));
    throw new ApiError(status, body, errorMessage(status, body));
  }
  try {
    yield* records(res.body);
  } catch (err) {
    // An abort we asked for ends the stream quietly.
    if (!opts.signal?.aborted) throw err;
  } finally {
    opts.signal?.removeEventListener('abort', stop);
    res.body.destroy();
  }
}
