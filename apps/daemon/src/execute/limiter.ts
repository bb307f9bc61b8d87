/**
 * One bound for the engine's container operations across every plan the daemon runs at once: each plan
 * has its own queue, so without a shared bound two projects converging together (a reboot brings all of
 * them back) would double what the engine is asked to do in parallel.
 */
export interface Limiter {
  readonly limit: number;
  run<T>(task: () => Promise<T>): Promise<T>;
}

export function createLimiter(limit: number): Limiter {
  const bound = Math.max(1, Math.floor(limit));
  let active = 0;
  const queue: Array<() => void> = [];
  const release = () => {
    active--;
    queue.shift()?.();
  };
  return {
    limit: bound,
    async run<T>(task: () => Promise<T>): Promise<T> {
      if (active >= bound) await new Promise<void>((resolve) => queue.push(resolve));
      active++;
      try {
        return await task();
      } finally {
        release();
      }
    },
  };
}
