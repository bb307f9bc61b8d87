import { withSwarmImage } from '@orc/spec';
import { describe, expect, it } from 'vitest';
import { swarmFromCompose } from '../../test/support/swarm/fixtures.js';
import { keptPins, type SwarmRecord } from './swarm.js';

const STACK = `
services:
  web: {image: reg:5000/web:1, build: .}
  api: {image: reg:5000/api, build: .}
  db: {image: reg:5000/db:1}
`;

describe('keptPins: the digests an earlier up pushed, for the services this one leaves alone', () => {
  it('keeps a pin while the image names the same tag, never for a selected service or another image', async () => {
    const before = await swarmFromCompose(STACK);
    const digest = `@sha256:${'ab'.repeat(32)}`;
    const record: SwarmRecord = {
      name: 'demo',
      source: { workingDir: '/w', env: {} },
      runState: {},
      scale: {},
      target: 'swarm',
      swarm: {
        ...before,
        services: before.services.map((s) =>
          s.name === 'db'
            ? s
            : withSwarmImage(s, `${s.image.includes(':5000/api') ? `${s.image}:latest` : s.image}${digest}`),
        ),
      },
      createdAt: '',
      updatedAt: '',
    };
    const now = await swarmFromCompose(STACK);
    // `api` was pinned as reg:5000/api:latest@…: the same image as `reg:5000/api`.
    expect(keptPins(record, now, new Set(['db']))).toEqual({
      web: `reg:5000/web:1${digest}`,
      api: `reg:5000/api:latest${digest}`,
    });
    expect(keptPins(record, now, new Set(['web', 'db']))).toEqual({ api: `reg:5000/api:latest${digest}` });
    const retagged = await swarmFromCompose(STACK.replace('reg:5000/web:1', 'reg:5000/web:2'));
    expect(keptPins(record, retagged, new Set())).toEqual({ api: `reg:5000/api:latest${digest}` });
    expect(keptPins(undefined, now, new Set())).toEqual({});
  });
});
