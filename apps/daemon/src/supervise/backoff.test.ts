import { describe, expect, it } from 'vitest';
import { backoffDelay, formatDelay } from './backoff.js';

const opts = { floorMs: 100, capMs: 10_000, resetAfterMs: 10_000 };

describe('backoffDelay', () => {
  it('doubles from the service delay up to the cap', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(1000, n, opts))).toEqual([
      1000, 2000, 4000, 8000, 10_000, 10_000,
    ]);
  });
  it('never waits less than the floor, so delay 0 cannot spin', () => {
    expect(backoffDelay(0, 1, opts)).toBe(100);
    expect(backoffDelay(0, 3, opts)).toBe(400);
  });
  it('never caps below the service delay (restarts stay at least `delay` apart)', () => {
    expect(backoffDelay(30_000, 1, opts)).toBe(30_000);
    expect(backoffDelay(30_000, 9, opts)).toBe(30_000);
  });
  it('stays at the cap for very long streaks', () => {
    expect(backoffDelay(1000, 5000, opts)).toBe(10_000);
  });
});

describe('formatDelay', () => {
  it('reads like compose durations', () => {
    expect([250, 1000, 1500, 8000, 60_000, 90_000].map(formatDelay)).toEqual([
      '250ms',
      '1s',
      '1.5s',
      '8s',
      '1m',
      '1m30s',
    ]);
  });
});
