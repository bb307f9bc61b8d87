import { afterEach, describe, expect, it, vi } from 'vitest';
import { shouldTrim, startHeapTrim } from './heap-trim.js';

const MiB = 1024 * 1024;
const limits = { slackBytes: 4 * MiB, quietBelow: 0.05 };

describe('shouldTrim', () => {
  it('collects a quiet daemon whose heap grew past the slack', () => {
    expect(shouldTrim(40 * MiB, 30 * MiB, 0.01, limits)).toBe(true);
  });
  it('leaves a busy daemon to V8', () => {
    expect(shouldTrim(40 * MiB, 30 * MiB, 0.2, limits)).toBe(false);
  });
  it('does not collect again for growth within the slack', () => {
    expect(shouldTrim(33 * MiB, 30 * MiB, 0, limits)).toBe(false);
  });
});

describe('startHeapTrim', () => {
  afterEach(() => vi.useRealTimers());

  it('runs one GC per growth while quiet, none while busy', () => {
    vi.useFakeTimers();
    let heap = 40 * MiB;
    let elu = 0.5;
    // As V8: the pages a GC frees leave the heap's size a little later (the sweepers), not at once.
    const gc = vi.fn(() => {
      setTimeout(() => {
        heap = 30 * MiB;
      }, 100);
    });
    const trims: Array<[number, number]> = [];
    const trim = startHeapTrim({
      everyMs: 1000,
      minGapMs: 10_000,
      gc,
      heapBytes: () => heap,
      utilization: () => elu,
      onTrim: (before, after) => trims.push([before / MiB, after / MiB]),
    });
    vi.advanceTimersByTime(3000);
    expect(gc).not.toHaveBeenCalled(); // busy
    elu = 0.01;
    vi.advanceTimersByTime(1000);
    expect(gc).toHaveBeenCalledTimes(1); // quiet: start-up growth given back
    vi.advanceTimersByTime(5000);
    expect(gc).toHaveBeenCalledTimes(1); // nothing grew
    expect(trims).toEqual([[40, 30]]);
    heap = 35 * MiB; // grown by more than the slack from 30, not from 40
    vi.advanceTimersByTime(1000);
    expect(gc).toHaveBeenCalledTimes(1); // not within 10 s of the last trim
    vi.advanceTimersByTime(4000);
    expect(gc).toHaveBeenCalledTimes(2);
    trim.stop();
    heap = 60 * MiB;
    vi.advanceTimersByTime(5000);
    expect(gc).toHaveBeenCalledTimes(2);
  });

  it('gets a working gc() from V8 without --expose-gc, leaving the global scope alone', () => {
    vi.useFakeTimers();
    const trim = startHeapTrim({ everyMs: 1000, slackBytes: 0, utilization: () => 0 });
    expect(() => vi.advanceTimersByTime(1000)).not.toThrow();
    expect((globalThis as { gc?: unknown }).gc).toBeUndefined();
    trim.stop();
  });
});
