import { describe, expect, it } from 'vitest';
import { createAdaptiveLimiter, createLimiter } from './limiter.js';

/** Runs `n` tasks through `run`, each taking `ms` (fake), and reports the most in flight at once. */
async function load(run: (t: () => Promise<void>) => Promise<void>, n: number, ms: () => number) {
  let inFlight = 0;
  let most = 0;
  await Promise.all(
    Array.from({ length: n }, () =>
      run(async () => {
        inFlight++;
        most = Math.max(most, inFlight);
        await new Promise((r) => setTimeout(r, ms()));
        inFlight--;
      }),
    ),
  );
  return most;
}

describe('createLimiter', () => {
  it('never runs more than its bound', async () => {
    const l = createLimiter(3);
    expect(
      await load(
        (t) => l.run(t),
        20,
        () => 1,
      ),
    ).toBe(3);
  });

  it('frees the slot of a failed task', async () => {
    const l = createLimiter(1);
    await expect(l.run(() => Promise.reject(new Error('x')))).rejects.toThrow('x');
    expect(await l.run(async () => 7)).toBe(7);
  });
});

describe('limiter priority', () => {
  it('admits waiting calls by priority, then arrival', async () => {
    const l = createLimiter(1);
    const order: string[] = [];
    let open!: () => void;
    const first = l.run(() => new Promise<void>((r) => (open = r)));
    const queued = [
      l.run(async () => void order.push('low-1'), 'x', 0),
      l.run(async () => void order.push('high'), 'x', 5),
      l.run(async () => void order.push('low-2'), 'x', 0),
      l.run(async () => void order.push('mid'), 'x', 2),
    ];
    await new Promise((r) => setTimeout(r, 0)); // the first task is running
    open();
    await Promise.all([first, ...queued]);
    expect(order).toEqual(['high', 'mid', 'low-1', 'low-2']);
  });
});

describe('createAdaptiveLimiter', () => {
  it('grows past its initial bound while latency stays flat', async () => {
    // Every call takes 10 ms whatever the concurrency: an engine with room to spare. The wide tolerance
    // keeps timer jitter on a loaded machine from reading as congestion (the law itself: adaptive.test.ts).
    const l = createAdaptiveLimiter({ initial: 2, min: 1, max: 32, tolerance: 10 });
    const most = await load(
      (task) => l.run(task, 'create'),
      300,
      () => 10,
    );
    expect(l.limit).toBe(32);
    expect(most).toBe(32);
  });

  it('stops growing when latency rises with concurrency (an engine that queues)', async () => {
    // Latency proportional to the calls in flight: the engine serialises, so a larger bound only queues.
    let inFlight = 0;
    const l = createAdaptiveLimiter({ initial: 2, min: 1, max: 64, tolerance: 2 });
    const limits: number[] = [];
    await Promise.all(
      Array.from({ length: 150 }, () =>
        l.run(async () => {
          inFlight++;
          await new Promise((r) => setTimeout(r, inFlight * 10));
          inFlight--;
          limits.push(l.limit);
        }, 'start'),
      ),
    );
    expect(Math.max(...limits)).toBeLessThanOrEqual(16);
    expect(l.state.slowStart).toBe(false);
  });

  it('does not learn from failed calls', async () => {
    const l = createAdaptiveLimiter({ initial: 2, min: 1, max: 8 });
    await expect(l.run(() => Promise.reject(new Error('404')), 'remove')).rejects.toThrow('404');
    expect(l.state.baseline).toEqual({});
  });
});
