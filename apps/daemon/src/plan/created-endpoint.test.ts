import { describe, expect, it } from 'vitest';
import { converged, desiredState } from '../../test/support/plan/fixtures.js';
import { renderPlan } from './render.js';
import { plan } from './up.js';

// Issue 22 item 1: a container that never ran reports an empty network id (the engine attaches it at
// its first start). Read as "the network was recreated", every supervisor pass replaced it.
describe('a created container that never ran', () => {
  it('is started, not replaced, though its endpoints have no network id yet', () => {
    const desired = desiredState({ services: [{ name: 'app' }] });
    const observed = converged(desired);
    for (const c of observed.containers) {
      c.state = 'created';
      for (const ep of Object.values(c.networks)) ep.networkId = '';
    }
    expect(renderPlan(plan(desired, observed, { startExited: false }))).toEqual([
      'start container demo-app-1 (created, not started)',
    ]);
  });

  it('is still replaced when a network id it does report differs', () => {
    const desired = desiredState({ services: [{ name: 'app' }] });
    const observed = converged(desired);
    for (const c of observed.containers) for (const ep of Object.values(c.networks)) ep.networkId = 'other';
    expect(renderPlan(plan(desired, observed, {})).join('\n')).toMatch(/recreated/);
  });
});
