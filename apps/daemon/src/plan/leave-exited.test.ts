import { describe, expect, it } from 'vitest';
import { converged, desiredState } from '../../test/support/plan/fixtures.js';
import { plan } from './up.js';

const desired = desiredState({ services: [{ name: 'crashy' }, { name: 'web' }] });

function exited() {
  const observed = converged(desired);
  for (const c of observed.containers) {
    c.state = 'exited';
    c.exitCode = 7;
  }
  return observed;
}

describe('leaveExited: containers the restarter gave up on stay down', () => {
  it('starts every exited container without it, and all but the held-down ones with it', () => {
    const observed = exited();
    const starts = (o: Parameters<typeof plan>[2]) =>
      plan(desired, observed, o)
        .operations.filter((op) => op.kind === 'start-container')
        .map((op) => op.id);
    expect(starts({ startExited: true })).toEqual([
      'start-container:demo-crashy-1',
      'start-container:demo-web-1',
    ]);
    const crashy = observed.containers.find((c) => c.service === 'crashy');
    expect(crashy).toBeDefined();
    expect(starts({ startExited: true, leaveExited: new Set([crashy?.id ?? '']) })).toEqual([
      'start-container:demo-web-1',
    ]);
  });

  it('never keeps a created container from starting (it never ran, so nobody gave up on it)', () => {
    const observed = exited();
    const crashy = observed.containers.find((c) => c.service === 'crashy');
    if (crashy) crashy.state = 'created';
    const ids = plan(desired, observed, {
      startExited: true,
      leaveExited: new Set([crashy?.id ?? '']),
    }).operations.map((op) => op.id);
    expect(ids).toContain('start-container:demo-crashy-1');
  });
});
