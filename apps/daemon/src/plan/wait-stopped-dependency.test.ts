import { describe, expect, it } from 'vitest';
import { desiredState, empty } from '../../test/support/plan/fixtures.js';
import { plan } from './up.js';

// Found by the plan property test (seed -2103993389): a dependency the user keeps stopped has no `ready`
// op, but the plan still creates it; the dependent's wait for it to have exited 0 must come after that
// create, or it looks for a container that does not exist yet.
describe('wait for a dependency that stays stopped', () => {
  it('comes after the create of that dependency', () => {
    const desired = desiredState({
      services: [
        { name: 'job' },
        {
          name: 'app',
          depends_on: { job: { condition: 'service_completed_successfully', required: false } },
        },
      ],
    });
    const planned = plan(desired, empty(desired), { desiredRunState: { job: 'stopped' } });
    const wait = planned.operations.find((o) => o.kind === 'wait-container' && o.name === 'demo-job-1');
    expect(wait?.after).toContain('create-container:demo-job-1');
  });
});
