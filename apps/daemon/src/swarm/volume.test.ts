import { describe, expect, it } from 'vitest';
import { OrcError } from '../contract/errors.js';
import { removeVolumeWhenReleased } from './volume.js';

const inUse = () => new OrcError('CONFLICT', 'volume v: remove v: volume is in use - [abc]');

describe('removeVolumeWhenReleased', () => {
  it('retries while a departing task container still holds the volume, then removes it', async () => {
    let calls = 0;
    await removeVolumeWhenReleased(
      async () => {
        calls++;
        if (calls < 3) throw inUse();
      },
      'v',
      { stepMs: 1 },
    );
    expect(calls).toBe(3);
  });

  it('gives up with the engine error when the volume stays in use', async () => {
    await expect(
      removeVolumeWhenReleased(
        async () => {
          throw inUse();
        },
        'v',
        { timeoutMs: 20, stepMs: 1 },
      ),
    ).rejects.toThrow(/volume is in use/);
  });

  it('fails at once on any other error', async () => {
    let calls = 0;
    await expect(
      removeVolumeWhenReleased(
        async () => {
          calls++;
          throw new OrcError('ENGINE_ERROR', 'boom');
        },
        'v',
        { stepMs: 1 },
      ),
    ).rejects.toThrow(/boom/);
    expect(calls).toBe(1);
  });
});
