import { describe, expect, it } from 'vitest';
import { encodeFrame, Frame, frameReader } from './exec.js';

describe('exec frames', () => {
  it('round-trip through any chunking', () => {
    const wire = Buffer.concat([
      encodeFrame(Frame.stdout, 'hello '),
      encodeFrame(Frame.stderr, 'oops'),
      encodeFrame(Frame.exit, JSON.stringify({ exitCode: 3 })),
    ]);
    for (const size of [1, 3, 8, 9, wire.length]) {
      const got: Array<[number, string]> = [];
      const read = frameReader((type, payload) => got.push([type, payload.toString()]));
      for (let i = 0; i < wire.length; i += size) read(wire.subarray(i, i + size));
      expect(got).toEqual([
        [1, 'hello '],
        [2, 'oops'],
        [3, '{"exitCode":3}'],
      ]);
    }
  });

  it('puts the type in byte 0 and the size big-endian in bytes 4-7', () => {
    const frame = encodeFrame(Frame.resize, '{"rows":1,"cols":2}');
    expect([...frame.subarray(0, 8)]).toEqual([5, 0, 0, 0, 0, 0, 0, 19]);
  });
});
