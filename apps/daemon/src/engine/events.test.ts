import { getEventListeners } from 'node:events';
import type Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import type { Engine } from './engine.js';
import { watchEngineEvents } from './events.js';

/** An engine that is away: every dial fails at once, as a connect to a stopped dockerd does. */
function awayEngine(onDial: (signal: AbortSignal | undefined) => void): Engine {
  const modem = {
    dial: (opts: { abortSignal?: AbortSignal }, cb: (err: unknown) => void) => {
      onDial(opts.abortSignal);
      setImmediate(() => cb(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })));
    },
  };
  return { docker: { modem } as unknown as Docker } as Engine;
}

// Issue 22 item 2: each reconnect attempt used to add an abort listener to the daemon's long-lived
// signal and never remove it (MaxListenersExceededWarning after 11 attempts while dockerd restarted).
describe('engine event stream: reconnects leave nothing behind', () => {
  it('1,000 failed reconnects: the long-lived signal holds at most one listener; each attempt had its own', async () => {
    const ac = new AbortController();
    const attemptSignals = new Set<AbortSignal>();
    let failures = 0;
    let most = 0;
    const heapBefore = process.memoryUsage().heapUsed;
    const done = watchEngineEvents(
      awayEngine((s) => {
        if (s) attemptSignals.add(s);
        most = Math.max(most, getEventListeners(ac.signal, 'abort').length);
      }),
      {
        signal: ac.signal,
        onEvent: () => undefined,
        backoff: { min: 0, max: 0 },
        onDisconnected: () => {
          failures++;
          if (failures >= 1000) ac.abort();
        },
      },
    );
    await done;
    expect(failures).toBe(1000);
    expect(most).toBeLessThanOrEqual(1);
    expect(getEventListeners(ac.signal, 'abort')).toHaveLength(0);
    // The per-attempt signals are all aborted when their attempt ends, so nothing can keep them alive.
    expect(attemptSignals.size).toBe(1000);
    expect([...attemptSignals].every((s) => s.aborted)).toBe(true);
    // Not a timing or a size target: a leak of one listener closure per attempt would be visible here.
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(16 * 1024 * 1024);
  });

  it('the backoff between attempts doubles from min and stays under max', async () => {
    const ac = new AbortController();
    const at: number[] = [];
    await watchEngineEvents(
      awayEngine(() => at.push(Date.now())),
      {
        signal: ac.signal,
        onEvent: () => undefined,
        backoff: { min: 5, max: 20 },
        onDisconnected: () => {
          if (at.length >= 6) ac.abort();
        },
      },
    );
    const gaps = at.slice(1).map((t, i) => t - (at[i] as number));
    // 5, 10, 20, 20, 20 ms (timers never fire early; allow slack only upward).
    expect(gaps.length).toBe(5);
    expect(gaps.every((g) => g >= 4)).toBe(true);
    expect(gaps.slice(2).every((g) => g >= 19)).toBe(true);
  });
});
