import { describe, expect, it } from 'vitest';
import { converged, desiredState, empty } from '../../test/support/plan/fixtures.js';
import { applyPlan } from '../../test/support/plan/simulate.js';
import type { ObservedProject } from '../observe/types.js';
import { renderPlan } from './render.js';
import { plan } from './up.js';

const states = (o: ObservedProject) => o.containers.map((c) => `${c.name}=${c.state}`).sort();

describe('plan: up --no-start', () => {
  const desired = desiredState({
    services: [{ name: 'db' }, { name: 'web', depends_on: { db: {} }, replicas: 2 }],
  });

  it('creates everything and starts nothing (no waits for dependencies either)', () => {
    const p = plan(desired, empty(desired), { noStart: true });
    expect(renderPlan(p)).toEqual([
      'create network demo_default (missing)',
      'create container demo-db-1 (missing)',
      'create container demo-web-1 (missing)',
      'create container demo-web-2 (missing)',
    ]);
    const after = applyPlan(empty(desired), p);
    expect(states(after)).toEqual(['demo-db-1=created', 'demo-web-1=created', 'demo-web-2=created']);
    // A second `up --no-start` has nothing left to do; a plain `up` then starts them.
    expect(renderPlan(plan(desired, after, { noStart: true }))).toEqual([]);
    expect(states(applyPlan(after, plan(desired, after)))).toEqual([
      'demo-db-1=running',
      'demo-web-1=running',
      'demo-web-2=running',
    ]);
  });

  it('recreates a changed service without starting the new container, and leaves running ones running', () => {
    const before = desiredState({
      services: [{ name: 'db' }, { name: 'web', environment: { V: '1' } }],
    });
    const changed = desiredState({
      services: [{ name: 'db' }, { name: 'web', environment: { V: '2' } }],
    });
    const observed = converged(before);
    const p = plan(changed, observed, { noStart: true });
    expect(p.operations.map((op) => op.kind)).not.toContain('start-container');
    const after = applyPlan(observed, p);
    expect(states(after)).toEqual(['demo-db-1=running', 'demo-web-1=created']);
  });

  it('does not start exited containers (a plain up does)', () => {
    const observed = converged(desired);
    for (const c of observed.containers) c.state = 'exited';
    expect(renderPlan(plan(desired, observed, { noStart: true }))).toEqual([]);
    expect(plan(desired, observed).operations.filter((op) => op.kind === 'start-container')).toHaveLength(3);
  });

  it('ignores start-first: there is no start to do first', () => {
    const before = desiredState({
      services: [{ name: 'web', environment: { V: '1' }, update_config: startFirst }],
    });
    const changed = desiredState({
      services: [{ name: 'web', environment: { V: '2' }, update_config: startFirst }],
    });
    const observed = converged(before);
    const p = plan(changed, observed, { noStart: true });
    expect(p.errors).toEqual([]);
    expect(p.operations.map((op) => op.kind)).toEqual([
      'create-container',
      'stop-container',
      'remove-container',
      'rename-container',
    ]);
    expect(states(applyPlan(observed, p))).toEqual(['demo-web-1=created']);
  });
});

const startFirst = {
  order: 'start-first',
  parallelism: 1,
  delay_ms: 0,
  failure_action: 'pause',
} as const;

describe('plan: up --always-recreate-deps', () => {
  const desired = desiredState({
    services: [{ name: 'db' }, { name: 'cache' }, { name: 'web', depends_on: { db: {}, cache: {} } }],
  });

  it('recreates the dependencies of the services named, not the services themselves', () => {
    const observed = converged(desired);
    const p = plan(desired, observed, { services: ['web'], alwaysRecreateDeps: true });
    const recreated = p.operations.filter((op) => op.kind === 'create-container').map((op) => op.name);
    expect(recreated.sort()).toEqual(['demo-cache-1', 'demo-db-1']);
    expect(renderPlan(p)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^recreate container demo-db-1 as .* \(forced \(--always-recreate-deps\)\)$/),
      ]),
    );
    const after = applyPlan(observed, p);
    expect(states(after)).toEqual(['demo-cache-1=running', 'demo-db-1=running', 'demo-web-1=running']);
    expect(renderPlan(plan(desired, after, { services: ['web'] }))).toEqual([]);
  });

  it('changes nothing without named services (every service is named), and refuses --no-recreate', () => {
    expect(renderPlan(plan(desired, converged(desired), { alwaysRecreateDeps: true }))).toEqual([]);
    const p = plan(desired, converged(desired), {
      services: ['web'],
      alwaysRecreateDeps: true,
      noRecreate: true,
    });
    expect(p.errors.map((e) => e.code)).toEqual(['INCOMPATIBLE_OPTIONS']);
  });
});
