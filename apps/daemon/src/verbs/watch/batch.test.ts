import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createBatcher } from './batch.js';

describe('watch batches', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('flushes once the edits pause, each path once', () => {
    const flushed: string[][] = [];
    const b = createBatcher((p) => flushed.push(p), 200, 1000);
    b.add('/a');
    vi.advanceTimersByTime(150);
    b.add('/b');
    b.add('/a');
    vi.advanceTimersByTime(150);
    expect(flushed).toEqual([]);
    vi.advanceTimersByTime(60);
    expect(flushed).toEqual([['/a', '/b']]);
  });

  it('a stream of edits still flushes at the bound', () => {
    const flushed: string[][] = [];
    const b = createBatcher((p) => flushed.push(p), 200, 1000);
    for (let t = 0; t < 1000; t += 100) {
      b.add(`/f${t}`);
      vi.advanceTimersByTime(100);
    }
    expect(flushed).toHaveLength(1);
    expect(flushed[0]).toHaveLength(10);
  });

  it('cancel drops what is pending', () => {
    const flushed: string[][] = [];
    const b = createBatcher((p) => flushed.push(p), 200, 1000);
    b.add('/a');
    b.cancel();
    vi.advanceTimersByTime(2000);
    expect(flushed).toEqual([]);
  });
});
