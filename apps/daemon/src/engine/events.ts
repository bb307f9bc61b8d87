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
  /** Backoff between reconnect attempts (ms): doubles from `min` up to `max`. */
  backoff?: { min: number; max: number };
}

/**
 * Follows `GET /events` for containers, networks and volumes for as long as `signal` is not aborted,
 * reconnecting with backoff when the stream ends or fails.
 */
export function watchEngineEvents(engine: Engine, opts: EventWatchOptions): Promise<void> {
  const { min, max } = opts.backoff ?? { min: 100, max: 5000 };
  let delay = min;

  const openOnce = async (): Promise<void> => {
    const stream = await dial<Readable>(engine.docker, {
      path: '/events',
      method: 'GET',
      query: { filters: JSON.stringify({ type: ['container', 'network', 'volume'] }) },
      isStream: true,
      signal: opts.signal,
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
      opts.signal.addEventListener('abort', () => stream.destroy(), { once: true });
    });
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

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        resolve();
      },
      { once: true },
    );
  });
}
