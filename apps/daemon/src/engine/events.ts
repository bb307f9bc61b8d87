import type { Readable } from 'node:stream';
import { dial } from './dial.js';
import type { Engine } from './engine.js';
import type { EngineEvent } from './types.js';

export interface EventWatchOptions {
  onEvent(event: EngineEvent): void;
  /**
   * Called each time the stream (re)opens, the first time included. Events are lossy (the engine keeps
   * 256 and a stream can break silently), so the subscriber must re-list what it cares about here.
   */
  onConnected?(): void;
  onDisconnected?(err: unknown): void;
  signal: AbortSignal;
  /**
   * Event types to follow; default containers, networks, volumes and images (the local target: an image
   * event tells the observed cache that a reference may name another id now).
   */
  types?: string[];
  /** Backoff between reconnect attempts (ms): doubles from `min` up to `max`. */
  backoff?: { min: number; max: number };
}

/**
 * Follows `GET /events` (by default for containers, networks, volumes and images) for as long as `signal` is not aborted,
 * reconnecting with backoff when the stream ends or fails.
 */
export function watchEngineEvents(engine: Engine, opts: EventWatchOptions): Promise<void> {
  const { min, max } = opts.backoff ?? { min: 100, max: 5000 };
  let delay = min;

  /**
   * One connection, with its own signal: the long-lived `opts.signal` gets one listener per attempt, and
   * loses it when the attempt ends. (Adding to it per attempt leaked a listener on every reconnect: while
   * the engine is away for long, that is thousands.)
   */
  const openOnce = async (): Promise<void> => {
    const attempt = new AbortController();
    const stop = () => attempt.abort();
    opts.signal.addEventListener('abort', stop, { once: true });
    try {
      const stream = await dial<Readable>(engine.docker, {
        path: '/events',
        method: 'GET',
        query: {
          filters: JSON.stringify({ type: opts.types ?? ['container', 'network', 'volume', 'image'] }),
        },
        isStream: true,
        signal: attempt.signal,
      });
      delay = min;
      opts.onConnected?.();
      await new Promise<void>((resolve, reject) => {
        let buf = '';
        stream.setEncoding('utf8');
        stream.on('data', (chunk: string) => {
          buf += chunk;
          let nl = buf.indexOf('\n');
          while (nl >= 0) {
            const line = buf.slice(0, nl).trim();
            buf = buf.slice(nl + 1);
            if (line) {
              try {
                opts.onEvent(JSON.parse(line) as EngineEvent);
              } catch {
                // A malformed line is dropped: the periodic resync covers whatever it said.
              }
            }
            nl = buf.indexOf('\n');
          }
        });
        stream.once('end', resolve);
        stream.once('close', resolve);
        stream.once('error', reject);
        attempt.signal.addEventListener('abort', () => stream.destroy(), { once: true });
      });
    } finally {
      opts.signal.removeEventListener('abort', stop);
      attempt.abort();
    }
  };

  return (async () => {
    while (!opts.signal.aborted) {
      try {
        await openOnce();
        if (!opts.signal.aborted) opts.onDisconnected?.(new Error('event stream ended'));
      } catch (err) {
        if (opts.signal.aborted) break;
        opts.onDisconnected?.(err);
      }
      if (opts.signal.aborted) break;
      await sleep(delay, opts.signal);
      delay = Math.min(max, delay * 2);
    }
  })();
}

/** Waits `ms`, or less when `signal` aborts; leaves no listener behind either way. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const t = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
