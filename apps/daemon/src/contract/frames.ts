/**
 * The exec stream's framing: an 8-byte header `[type, 0, 0, 0, size uint32 BE]` then `size` bytes, the
 * header the Engine uses for multiplexed output, so one parser reads both the engine and the client.
 * The one codec of both ends: the CLI imports this module (`@orc/daemon/frames`, bundled into the CLI).
 */
export const FrameType = {
  stdin: 0,
  stdout: 1,
  stderr: 2,
  exit: 3,
  error: 4,
  resize: 5,
  stdinClose: 6,
} as const;

export interface Frame {
  type: number;
  payload: Buffer;
}

export const HEADER_BYTES = 8;
/** A frame larger than this is a protocol error, not a reason to buffer gigabytes. */
export const MAX_FRAME_BYTES = 16 * 1024 * 1024;

export function encodeFrame(type: number, payload: Buffer | string = Buffer.alloc(0)): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload) : payload;
  const header = Buffer.alloc(HEADER_BYTES);
  header.writeUInt8(type, 0);
  header.writeUInt32BE(body.length, 4);
  return Buffer.concat([header, body]);
}

/** Incremental decoder: feed it chunks as they come, get whole frames out. */
export function createFrameDecoder(): { push(chunk: Buffer): Frame[] } {
  let buffered: Buffer = Buffer.alloc(0);
  return {
    push(chunk) {
      buffered = buffered.length ? Buffer.concat([buffered, chunk]) : chunk;
      const frames: Frame[] = [];
      while (buffered.length >= HEADER_BYTES) {
        const size = buffered.readUInt32BE(4);
        if (size > MAX_FRAME_BYTES) throw new Error(`frame of ${size} bytes exceeds the limit`);
        if (buffered.length < HEADER_BYTES + size) break;
        frames.push({
          type: buffered.readUInt8(0),
          payload: buffered.subarray(HEADER_BYTES, HEADER_BYTES + size),
        });
        buffered = buffered.subarray(HEADER_BYTES + size);
      }
      return frames;
    },
  };
}

/** The decoder as a chunk handler: each whole frame goes to `onFrame` as it completes. */
export function frameReader(onFrame: (type: number, payload: Buffer) => void): (chunk: Buffer) => void {
  const decoder = createFrameDecoder();
  return (chunk) => {
    for (const f of decoder.push(chunk)) onFrame(f.type, f.payload);
  };
}
