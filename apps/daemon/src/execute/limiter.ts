import {
  type AdaptiveOptions,
  type AdaptiveState,
  DEFAULT_ADAPTIVE,
  initialState,
  observe,
} from './adaptive.js';

/**
 * One bound for the engine's container operations across every plan the daemon runs at once: each plan
 * has its own queue, so without a shared bound two projects converging together (a reboot brings all of
 * them back) would double what the engine is asked to do in parallel.
 */
export interface Limiter {
  /** The bound now (an adaptive limiter moves it). */
  readonly limit: number;
  /**
   * `kind` names the sort of engine call (an adaptive limiter compares latencies per kind); among waiting
   * calls, a higher `priority` is admitted first (equal ones in arrival order).
   */
  run<T>(task: () => Promise<T>, kind?: string, priority?: number): Promise<T>;
}

/**
 * A slot gate whose bound is read on every admission, so a moving bound applies at once. Waiters are kept
 * by priority (highest first), then arrival.
 */
function gate(bound: () => number) {
  let active = 0;
  const queue: Array<{ priority: number; resolve: () => void }> = [];
  const admit = () => {
    while (queue.length && active < bound()) {
      active++;
      queue.shift()!.resolve();
    }
  };
  return {
    waiting: () => queue.length,
    async acquire(priority = 0): Promise<void> {
      if (active < bound() && !queue.length) {
        active++;
        return;
      }
      await new Promise<void>((resolve) => {
        // Behind every waiter of the same or higher priority; a plan's waiters arrive mostly in order.
        let at = queue.length;
        while (at > 0 && queue[at - 1]!.priority < priority) at--;
        queue.splice(at, 0, { priority, resolve });
      });
    },
    release() {
      active--;
      admit();
    },
  };
}

export function createLimiter(limit: number): Limiter {
  const n = Math.max(1, Math.floor(limit));
  const g = gate(() => n);
  return {
    limit: n,
    async run<T>(task: () => Promise<T>, _kind?: string, priority?: number): Promise<T> {
      await g.acquire(priority);
      try {
        return await task();
      } finally {
        g.release();
      }
    },
  };
}

/**
 * A bound that follows the engine's latency (`adaptive.ts`): grows while calls come back as fast as the
 * best seen, shrinks when they slow down. `now` is injectable for tests.
 */
export function createAdaptiveLimiter(
  options: Partial<AdaptiveOptions> = {},
  now: () => number = () => performance.now(),
): Limiter & { readonly state: AdaptiveState } {
  const o = { ...DEFAULT_ADAPTIVE, ...options };
  let state = initialState(o);
  const g = gate(() => state.limit);
  return {
    get limit() {
      return state.limit;
    },
    get state() {
      return state;
    },
    async run<T>(task: () => Promise<T>, kind = 'call', priority?: number): Promise<T> {
      await g.acquire(priority);
      const t0 = now();
      let ok = false;
      try {
        const out = await task();
        ok = true;
        return out;
      } finally {
        // A failed call's latency says little about the engine's queue (a 404 returns at once).
        if (ok) state = observe(state, { kind, latencyMs: now() - t0, saturated: g.waiting() > 0 }, o);
        g.release();
      }
    },
  };
}

/**
 * The daemon's bound from its `--parallelism` setting: each plan's queue and the limiter shared by all
 * plans. With `auto` the shared limiter is the only bound (a plan's own queue would cap what it learns).
 */
export function engineBound(setting: number | 'auto'): { parallelism: number; engineLimit: Limiter } {
  if (setting === 'auto')
    return { parallelism: Number.POSITIVE_INFINITY, engineLimit: createAdaptiveLimiter() };
  return { parallelism: setting, engineLimit: createLimiter(setting) };
}
