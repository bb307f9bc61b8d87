import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createEventBus } from '../contract/event-bus.js';
import type { Engine } from '../engine/engine.js';
import type { EventWatchOptions } from '../engine/events.js';
import { createSupervisor } from './supervisor.js';

const sleep = (ms: number) => vi.advanceTimersByTimeAsync(ms);

/** A supervisor on a scripted event source that can break, fail to dial, and come back. */
function setup() {
  let source: EventWatchOptions | undefined;
  const passes: Array<{ reason: string; startExited: boolean; engineRestarted: boolean }> = [];
  const sup = createSupervisor({
    engine: {} as Engine,
    bus: createEventBus(),
    registered: async () => ['demo'],
    networksOf: () => [],
    reconcile: async (_project, reason, startExited, engineRestarted) => {
      passes.push({ reason, startExited, engineRestarted: engineRestarted ?? false });
      return { changed: false };
    },
    debounceMs: 10,
    backoff: { min: 200, max: 1000 },
    watch: (_engine, o) => {
      source = o;
      o.onConnected?.();
      return new Promise<void>((resolve) =>
        o.signal.addEventListener('abort', () => resolve(), { once: true }),
      );
    },
  });
  return { sup, passes, source: () => source! };
}

describe('supervisor: engine restarts', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('a stream that broke and reconnected at once is a plain resync', async () => {
    const { sup, passes, source } = setup();
    await sup.start();
    passes.length = 0;
    source().onDisconnected?.(new Error('event stream ended'));
    source().onConnected?.();
    await sleep(50);
    expect(passes).toEqual([
      { reason: 'event stream reconnected', startExited: false, engineRestarted: false },
    ]);
    await sup.stop();
  });

  it('an engine that could not be reached, then answers, gets one startup-like pass that restores order', async () => {
    const { sup, passes, source } = setup();
    await sup.start();
    passes.length = 0;
    source().onDisconnected?.(new Error('event stream ended'));
    source().onDisconnected?.(
      Object.assign(new Error('connect ENOENT /var/run/docker.sock'), { code: 'ENOENT' }),
    );
    source().onConnected?.();
    await sleep(50);
    expect(passes).toEqual([{ reason: 'engine restarted', startExited: true, engineRestarted: true }]);
    // Only once: the next pass is an ordinary one.
    source().onDisconnected?.(new Error('event stream ended'));
    source().onConnected?.();
    await sleep(50);
    expect(passes[1]).toEqual({
      reason: 'event stream reconnected',
      startExited: false,
      engineRestarted: false,
    });
    await sup.stop();
  });
});
