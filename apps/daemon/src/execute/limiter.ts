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
  /** `kind` names the sort of engine call (an adaptive limiter compares latencies per kind). */
  run<T>(task: () => Promise<T>, kind?: string): Promise<T>;
}

/** A slot gate whose bound is read on every admission, so a moving bound applies at once. */
function gate(bound: () => number) {
  let active = 0;
  const queue: Array<() => void> = [];
  const admit = () => {
    while (queue.length && active < bound()) {
      active++;
      queue.shift()!();
    }
  };
  return {
    waiting: () => queue.length,
    async acquire(): Promise<void> {
      if (active < bound() && !queue.length) {
        active++;
        return;
      }
      await new Promise<void>((resolve) => queue.push(resolve));
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
    async run<T>(task: () => Promise<T>): Promise<T> {
      await g.acquire();
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
    async run<T>(task: () => Promise<T>, kind = 'call'): Promise<T> {
      await g.acquire();
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
