import type { DesiredState } from '@orc/spec';
import { describe, expect, it } from 'vitest';
import { desiredState } from '../../test/support/plan/fixtures.js';
import type { ProjectRecord } from '../store/store.js';
import { sameRecord } from './record.js';

const record = (desired: DesiredState, updatedAt = '2026-12-04T20:00:00.000Z'): ProjectRecord => ({
  name: 'demo',
  source: { files: ['/srv/demo/compose.yaml'], workingDir: '/srv/demo', env: {} },
  runState: {},
  scale: {},
  desired,
  createdAt: '2026-12-04T19:00:00.000Z',
  updatedAt,
});

const state = (env: Record<string, string> = {}) =>
  desiredState({ services: [{ name: 'db' }, { name: 'web', environment: env, depends_on: { db: {} } }] });

describe('sameRecord: whether an up must write the project record again', () => {
  it('equal content built twice is the same record, whatever the updatedAt', () => {
    expect(sameRecord(record(state()), record(state(), '2026-12-04T21:00:00.000Z'))).toBe(true);
  });

  it('a changed service is a different record', () => {
    expect(sameRecord(record(state()), record(state({ A: '1' })))).toBe(false);
  });

  it('a changed config hash answers without serialising either desired state', () => {
    const changed = state({ A: '1' });
    // A field that throws when read: serialising this desired state would fail the comparison.
    Object.defineProperty(changed.services[1] as object, 'poison', {
      enumerable: true,
      get: () => {
        throw new Error('serialised');
      },
    });
    expect(sameRecord(record(state()), record(changed))).toBe(false);
  });

  it('equal hashes prove nothing: a field outside the hashes still tells them apart', () => {
    const a = state();
    const b = state();
    b.services[1] = { ...(b.services[1] as DesiredState['services'][number]), replicas: 3 };
    expect(sameRecord(record(a), record(b))).toBe(false);
  });
});
