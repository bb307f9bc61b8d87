/**
 * NDJSON and SSE responses for the streaming routes. The response is written by hand (after
 * `reply.hijack()`), so the helpers own backpressure, keep-alives and ending on client disconnect.
 */
import type { ServerResponse } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';

export type StreamFormat = 'ndjson' | 'sse';

export interface StreamWriter {
  /** Aborts when the client goes away or the daemon shuts down: pass it to the core's iterators. */
  signal: AbortSignal;
  /** Writes one item; resolves when the socket can take more (backpressure). */
  send(item: unknown, sseEvent?: string): Promise<void>;
  end(): void;
}

const KEEPALIVE_MS = 15_000;

/** `?format=` wins; otherwise `Accept: text/event-stream` asks for SSE; NDJSON by default. */
export function pickFormat(request: FastifyRequest, query: { format?: StreamFormat }): StreamFormat {
  if (query.format) return query.format;
  const accept = request.headers.accept ?? '';
  return accept.includes('text/event-stream') ? 'sse' : 'ndjson';
}

export function openStream(
  reply: FastifyReply,
  format: StreamFormat,
  shutdown: AbortSignal,
  ndjsonOnly = false,
): StreamWriter {
  const fmt = ndjsonOnly ? 'ndjson' : format;
  const res: ServerResponse = reply.raw;
  const controller = new AbortController();
  const abort = () => controller.abort();
  res.on('close', abort);
  shutdown.addEventListener('abort', abort, { once: true });

  reply.hijack();
  res.writeHead(200, {
    'Content-Type':
      fmt === 'sse' ? 'text/event-stream; charset=utf-8' : 'application/x-ndjson; charset=utf-8',
    'Cache-Control': 'no-cache',
    'X-Content-Type-Options': 'nosniff',
  });
  // Headers go out now, so a client sees the stream is open before the first item.
  res.flushHeaders();

  const keepalive = setInterval(() => {
    if (!res.writableEnded) res.write(fmt === 'sse' ? ': ping\n\n' : '\n');
  }, KEEPALIVE_MS);
  keepalive.unref();

  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    clearInterval(keepalive);
    shutdown.removeEventListener('abort', abort);
    if (!res.writableEnded) res.end();
  };
  controller.signal.addEventListener('abort', end, { once: true });
  // Opened while the daemon was already stopping: the abort listener above would never fire.
  if (shutdown.aborted) controller.abort();

  const send = async (item: unknown, sseEvent?: string) => {
    if (ended || res.writableEnded) return;
    const json = JSON.stringify(item);
    const chunk = fmt === 'sse' ? `${sseEvent ? `event: ${sseEvent}\n` : ''}data: ${json}\n\n` : `${json}\n`;
    if (!res.write(chunk)) {
      await new Promise<void>((resolve) => {
        const done = () => {
          res.off('drain', done);
          res.off('close', done);
          resolve();
        };
        res.on('drain', done);
        res.on('close', done);
      });
    }
  };

  return { signal: controller.signal, send, end };
}

/** Sends a stream-level error as the last item (the status line is already out). */
export async function sendStreamError(writer: StreamWriter, code: string, message: string): Promise<void> {
  await writer.send({ type: 'error', error: { code, message } }, 'error');
}
