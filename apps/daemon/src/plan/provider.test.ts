/** Provider services in plans: the provider runs on the user's up before its dependents start, on down after them. */
import { describe, expect, it } from 'vitest';
import { desiredFromCompose, nothingObserved } from '../../test/support/plan/fixtures.js';
import { applyPlan } from '../../test/support/plan/simulate.js';
import { planDown } from './down.js';
import { renderPlan } from './render.js';
import { plan } from './up.js';

const IMAGE = 'orc-fixture/busybox:1';
const yaml = `
services:
  database:
    provider:
      type: fakecloud
      options: {type: mysql, size: 256, flag: [a, b]}
  app:
    image: ${IMAGE}
    depends_on: [database]
  other:
    image: ${IMAGE}
`;

const desired = () => desiredFromCompose(yaml);

const nothing = () => nothingObserved();

describe('provider services', () => {
  it('have no container, no network of their own, and keep their options', async () => {
    const d = await desired();
    const db = d.services.find((s) => s.name === 'database');
    expect(db?.containers).toEqual([]);
    expect(db?.networks).toEqual([]);
    expect(db?.provider).toEqual({
      type: 'fakecloud',
      options: { type: 'mysql', size: '256', flag: ['a', 'b'] },
    });
    // Dependency order still puts the provider first.
    expect(d.services.map((s) => s.name).indexOf('database')).toBeLessThan(
      d.services.map((s) => s.name).indexOf('app'),
    );
  });

  it('up runs the provider before its dependents start; independent services do not wait', async () => {
    const d = await desired();
    const p = plan(d, nothing());
    expect(renderPlan(p)).toContain('run provider fakecloud up for service database (provider service)');
    const after = (id: string) => p.operations.find((op) => op.id === id)?.after ?? [];
    expect(after('start-container:demo-app-1')).toContain('run-provider:up:database');
    expect(after('start-container:demo-other-1')).not.toContain('run-provider:up:database');
    expect(() => applyPlan(nothing(), p)).not.toThrow();
  });

  it('the supervisor’s passes never run a provider', async () => {
    const d = await desired();
    const state = applyPlan(nothing(), plan(d, nothing()));
    expect(plan(d, state, { startExited: false }).operations).toEqual([]);
  });

  it('down takes the provider down after its dependents stopped', async () => {
    const d = await desired();
    const state = applyPlan(nothing(), plan(d, nothing()));
    const down = planDown(d, state);
    const op = down.operations.find((o) => o.id === 'run-provider:down:database');
    expect(op?.after).toContain('stop-container:demo-app-1');
    expect(op?.after).not.toContain('stop-container:demo-other-1');
    expect(
      planDown(d, state, { services: ['other'] }).operations.some((o) => o.kind === 'run-provider'),
    ).toBe(false);
  });

  it('a supervisor pass does not start a never-run dependent of a provider (its provider may have failed)', async () => {
    const d = await desired();
    const first = plan(d, nothing());
    // The up stopped at the provider: app was created, never started.
    const created = applyPlan(nothing(), {
      ...first,
      operations: first.operations.filter((op) => op.id !== 'start-container:demo-app-1'),
    });
    const unstarted = { ...created, containers: created.containers.map((c) => ({ ...c, startedAt: '' })) };
    const pass = plan(d, unstarted, { startExited: false });
    expect(pass.operations.map((op) => op.id)).not.toContain('start-container:demo-app-1');
    // The user's up runs the provider and starts it.
    const up = plan(d, unstarted);
    expect(up.operations.map((op) => op.id)).toEqual(
      expect.arrayContaining(['run-provider:up:database', 'start-container:demo-app-1']),
    );
  });
});
