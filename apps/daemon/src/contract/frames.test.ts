import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createFrameDecoder, encodeFrame, FrameType } from './frames.js';

describe('exec frames', () => {
  it('decodes what it encodes, however the bytes are split', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 6 }), fc.uint8Array({ maxLength: 64 })), {
          maxLength: 8,
        }),
        fc.integer({ min: 1, max: 17 }),
        (frames, cut) => {
          const bytes = Buffer.concat(frames.map(([t, p]) => encodeFrame(t, Buffer.from(p))));
          const decoder = createFrameDecoder();
          const out = [];
          for (let i = 0; i < bytes.length; i += cut) out.push(...decoder.push(bytes.subarray(i, i + cut)));
          expect(out.map((f) => [f.type, [...f.payload]])).toEqual(frames.map(([t, p]) => [t, [...p]]));
        },
      ),
    );
  });

  it('reads the engine multiplexed header the same way', () => {
    const engine = Buffer.from([2, 0, 0, 0, 0, 0, 0, 3, 0x61, 0x62, 0x63]);
    const [frame] = createFrameDecoder().push(engine);
    expect(frame?.type).toBe(FrameType.stderr);
    expect(frame?.payload.toString()).toBe('abc');
  });

  it('refuses absurd frame sizes instead of buffering them', () => {
    const header = Buffer.from([0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff]);
    expect(() => createFrameDecoder().push(header)).toThrow(/exceeds/);
  });
});
