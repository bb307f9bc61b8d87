import { describe, expect, it } from 'vitest';
import { createChannel } from '../contract/channel.js';
import { createKeyedLock } from './locks.js';

describe('keyed lock', () => {
  it('serialises one key, runs different keys side by side, survives failures', async () => {
    const lock = createKeyedLock();
    const log: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const a1 = lock.run('a', async () => {
      log.push('a1 start');
      await gate;
      log.push('a1 end');
      throw new Error('a1 failed');
    });
    const a2 = lock.run('a', async () => {
      log.push('a2');
    });
    const b = lock.run('b', async () => {
      log.push('b');
    });
    await b;
    expect(log).toEqual(['a1 start', 'b']);
    expect(lock.busy('a')).toBe(true);
    release();
    await expect(a1).rejects.toThrow('a1 failed');
    await a2;
    expect(log).toEqual(['a1 start', 'b', 'a1 end', 'a2']);
    await lock.idle();
    expect(lock.busy('a')).toBe(false);
  });
});

describe('channel', () => {
  it('delivers what was pushed before and after iteration starts, then ends on close', async () => {
    const ch = createChannel<number>();
    ch.push(1);
    const got: number[] = [];
    const reading = (async () => {
      for await (const n of ch.iterate(new AbortController().signal)) got.push(n);
    })();
    ch.push(2);
    ch.close();
    await reading;
    expect(got).toEqual([1, 2]);
  });

  it('drops the oldest items beyond its limit, and stops on abort', async () => {
    const ch = createChannel<number>(2);
    for (const n of [1, 2, 3]) ch.push(n);
    const ac = new AbortController();
    const got: number[] = [];
    for await (const n of ch.iterate(ac.signal)) {
      got.push(n);
      if (got.length === 2) ac.abort();
    }
    expect(got).toEqual([2, 3]);
  });
});
