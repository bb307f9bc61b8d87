import { describe, expect, it } from 'vitest';
import { createLogParser, splitTimestamp, unixSeconds } from './container-logs.js';

const frame = (stream: 1 | 2, text: string) => {
  const body = Buffer.from(text);
  const head = Buffer.alloc(8);
  head[0] = stream;
  head.writeUInt32BE(body.length, 4);
  return Buffer.concat([head, body]);
};

describe('log stream parsing', () => {
  it('demultiplexes frames split anywhere, and joins partial lines per stream', () => {
    const got: string[] = [];
    const p = createLogParser(false, (s, l) => got.push(`${s}:${l}`));
    const all = Buffer.concat([frame(1, 'one\ntw'), frame(2, 'err\n'), frame(1, 'o\n'), frame(1, 'tail')]);
    for (let i = 0; i < all.length; i += 3) p.push(all.subarray(i, i + 3));
    p.end();
    expect(got).toEqual(['stdout:one', 'stderr:err', 'stdout:two', 'stdout:tail']);
  });

  it('reads a TTY stream as plain stdout text', () => {
    const got: string[] = [];
    const p = createLogParser(true, (s, l) => got.push(`${s}:${l}`));
    p.push(Buffer.from('a\r\nb'));
    p.end();
    expect(got).toEqual(['stdout:a', 'stdout:b']);
  });

  it('splits the engine timestamp from the line', () => {
    expect(splitTimestamp('2026-01-02T03:04:05.123456789Z hello world')).toEqual({
      time: '2026-01-02T03:04:05.123456789Z',
      line: 'hello world',
    });
    expect(splitTimestamp('no time here')).toEqual({ time: '', line: 'no time here' });
  });

  it('turns RFC 3339 into the unix seconds the engine takes', () => {
    expect(unixSeconds('1700000000')).toBe('1700000000');
    expect(unixSeconds('2023-11-14T22:13:20.5Z')).toBe('1700000000.500000000');
  });
});
