import type { Readable } from 'node:stream';
import { dial } from './dial.js';
import type { Engine } from './engine.js';
import { mapEngineError } from './errors.js';

export interface RawLogOptions {
  follow: boolean;
  tail?: number;
  since?: string;
  until?: string;
  signal?: AbortSignal;
}

/**
 * `GET /containers/{id}/logs` with timestamps (we merge containers by time). Multiplexed frames unless
 * the container has a TTY.
 */
export async function containerLogStream(engine: Engine, id: string, o: RawLogOptions): Promise<Readable> {
  try {
    return await dial<Readable>(engine.docker, {
      path: `/containers/${encodeURIComponent(id)}/logs`,
      method: 'GET',
      query: {
        stdout: true,
        stderr: true,
        timestamps: true,
        follow: o.follow,
        tail: o.tail !== undefined ? String(o.tail) : 'all',
        since: o.since,
        until: o.until,
      },
      isStream: true,
      signal: o.signal,
    });
  } catch (err) {
    throw mapEngineError(err, `logs of container ${id.slice(0, 12)}`);
  }
}
