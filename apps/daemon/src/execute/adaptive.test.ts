import { describe, expect, it } from 'vitest';
import { type AdaptiveOptions, type AdaptiveState, initialState, observe } from './adaptive.js';

const o: AdaptiveOptions = { initial: 4, min: 2, max: 64, tolerance: 2, backoff: 0.5, drift: 0 };

/** Feeds one full round (`limit` samples) of the given latency. */
function round(s: AdaptiveState, latencyMs: number, saturated = true, kind = 'create'): AdaptiveState {
  let out = s;
  for (let i = 0; i < s.limit; i++) out = observe(out, { kind, latencyMs, saturated }, o);
  return out;
}

describe('adaptive bound (pure control law)', () => {
  it('doubles per flat round in slow start, up to max', () => {
    let s = initialState(o);
    const limits = [s.limit];
    for (let i = 0; i < 6; i++) {
      s = round(s, 50);
      limits.push(s.limit);
    }
    expect(limits).toEqual([4, 8, 16, 32, 64, 64, 64]);
  });

  it('holds the bound while no call waited for a slot (demand, not the bound, was the limit)', () => {
    const s = round(round(initialState(o), 50, false), 50, false);
    expect(s.limit).toBe(4);
  });

  it('shrinks multiplicatively when latency rises past the tolerance, then grows by one per round', () => {
    let s = round(round(initialState(o), 50), 50); // 4 → 8 → 16
    expect(s.limit).toBe(16);
    s = round(s, 150); // 3× the best: congested
    expect(s.limit).toBe(8);
    expect(s.slowStart).toBe(false);
    s = round(s, 60);
    expect(s.limit).toBe(9);
    s = round(s, 60);
    expect(s.limit).toBe(10);
  });

  it('never goes below min', () => {
    let s = initialState(o);
    s = round(s, 10);
    for (let i = 0; i < 5; i++) s = round(s, 1000);
    expect(s.limit).toBe(o.min);
  });

  it('judges each kind of call against its own baseline', () => {
    let s = initialState(o);
    // creates take 50 ms, starts 300 ms: a start is not congestion, only a slow start is.
    for (let i = 0; i < 2; i++) s = observe(s, { kind: 'create', latencyMs: 50, saturated: true }, o);
    for (let i = 0; i < 2; i++) s = observe(s, { kind: 'start', latencyMs: 300, saturated: true }, o);
    expect(s.limit).toBe(8);
    expect(s.baseline).toEqual({ create: 50, start: 300 });
  });

  it('decides on the median of a round, so one outlier does not shrink the bound', () => {
    let s = initialState(o);
    s = observe(s, { kind: 'c', latencyMs: 10, saturated: true }, o);
    s = observe(s, { kind: 'c', latencyMs: 10, saturated: true }, o);
    s = observe(s, { kind: 'c', latencyMs: 12, saturated: true }, o);
    s = observe(s, { kind: 'c', latencyMs: 500, saturated: true }, o);
    expect(s.limit).toBe(8);
  });

  it('learns a slower engine through drift instead of shrinking forever', () => {
    const drifting = { ...o, drift: 0.2 };
    let s = initialState(drifting);
    for (let i = 0; i < 4; i++) s = observe(s, { kind: 'c', latencyMs: 10, saturated: true }, drifting);
    // The machine got busier for good: 40 ms from now on.
    for (let i = 0; i < 200; i++) s = observe(s, { kind: 'c', latencyMs: 40, saturated: true }, drifting);
    expect(s.baseline.c).toBeGreaterThan(30);
    expect(s.limit).toBeGreaterThan(o.min);
  });

  it('does not change the state it was given', () => {
    const s = initialState(o);
    const copy = structuredClone(s);
    observe(s, { kind: 'c', latencyMs: 5, saturated: true }, o);
    expect(s).toEqual(copy);
  });
});
