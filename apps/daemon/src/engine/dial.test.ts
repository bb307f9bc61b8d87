import type Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { dial } from './dial.js';

/** A client whose modem records what it was asked to send. */
function fakeDocker(sent: string[]): Docker {
  const modem = {
    dial: (opts: { path: string }, cb: (err: unknown, data: unknown) => void) => {
      sent.push(opts.path);
      cb(null, {});
    },
  };
  return { modem } as unknown as Docker;
}

describe('dial: paths the engine would redirect are never sent', () => {
  it('refuses "..", "." and "//" segments, encoded or not', async () => {
    const sent: string[] = [];
    const docker = fakeDocker(sent);
    for (const path of [
      '/volumes/..%2F..%2Fetc',
      '/volumes/..',
      '/containers/./json',
      '/containers/a%2F%2Fb/json',
      '/volumes/%E0%A4%A',
    ]) {
      await expect(dial(docker, { path, method: 'GET' }), path).rejects.toMatchObject({
        code: 'INVALID_REQUEST',
      });
    }
    expect(sent).toEqual([]);
  });

  it('sends clean paths, image references with slashes included', async () => {
    const sent: string[] = [];
    const docker = fakeDocker(sent);
    await dial(docker, {
      path: `/images/${encodeURIComponent('127.0.0.1:5000/org/app:1')}/json`,
      method: 'GET',
    });
    await dial(docker, { path: '/volumes/%252e%252e', method: 'GET' });
    expect(sent).toHaveLength(2);
  });
});
