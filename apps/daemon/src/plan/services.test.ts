import { describe, expect, it } from 'vitest';
import { converged, desiredState } from '../../test/support/plan/fixtures.js';
import { coveredServices } from './services.js';
import { plan } from './up.js';

const desired = desiredState({
  services: [
    { name: 'db' },
    { name: 'api', depends_on: { db: {} } },
    { name: 'web', depends_on: { api: {} } },
    { name: 'tool' },
  ],
});

describe('coveredServices: the set an up records for the supervisor', () => {
  it('the named services with their dependencies, only them with noDeps, all when none are named', () => {
    expect(coveredServices(desired, ['web'], false)).toEqual(['api', 'db', 'web']);
    expect(coveredServices(desired, ['web'], true)).toEqual(['web']);
    expect(coveredServices(desired, undefined, false)).toEqual(['api', 'db', 'tool', 'web']);
  });

  it('converged with noDeps, a dependency left out of the set (removed with rm) is not created again', () => {
    const observed = converged(desired);
    observed.containers = observed.containers.filter((c) => c.service !== 'db');
    const kept = coveredServices(desired, undefined, false).filter((s) => s !== 'db');
    expect(plan(desired, observed, { services: kept, noDeps: true, startExited: false }).operations).toEqual(
      [],
    );
    // Without noDeps the dependents would pull it back.
    expect(
      plan(desired, observed, { services: kept, startExited: false }).operations.map((o) => o.id),
    ).toContain('create-container:demo-db-1');
  });
});
