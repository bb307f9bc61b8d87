import { describe, expect, it } from 'vitest';
import {
  applySwarmPlan,
  convergedSwarm,
  nothing,
  swarmFromCompose,
} from '../../test/support/swarm/fixtures.js';
import { planSwarmDown } from './down.js';
import { renderSwarmPlan } from './render.js';
import type { ObservedSwarmTask } from './types.js';

const STACK = `
services:
  web: {image: w, secrets: [s], configs: [c], volumes: [data:/data], networks: [front]}
  db: {image: d, networks: [shared]}
networks: {front: {}, shared: {external: true}}
volumes: {data: {}, keep: {external: true}}
secrets: {s: {content: "x"}}
configs: {c: {content: "y"}}
`;

describe('planSwarmDown', () => {
  it('removes services, waits for their tasks, then networks, secrets and configs; external ones stay', async () => {
    const desired = await swarmFromCompose(STACK);
    const observed = convergedSwarm(desired);
    const plan = planSwarmDown(desired, observed);
    expect(renderSwarmPlan(plan).map((l) => l.replace(/_[0-9a-f]{12}\b/g, '_<hash>'))).toEqual([
      'remove service demo_db (down)',
      'wait until the tasks of demo_db are gone (its tasks stop)',
      'remove service demo_web (down)',
      'wait until the tasks of demo_web are gone (its tasks stop)',
      'remove network demo_front (down)',
      'remove secret demo_s_<hash> (down)',
      'remove config demo_c_<hash> (down)',
    ]);
    const waits = ['wait-service-gone:demo_db', 'wait-service-gone:demo_web'];
    for (const op of plan.operations.filter((o) => !o.kind.includes('service')))
      expect(op.after).toEqual(waits);
    const after = applySwarmPlan(observed, plan);
    expect([after.services, after.secrets, after.configs]).toEqual([[], [], []]);
    expect(after.networks.map((n) => n.name)).toEqual(['shared']);
  });

  it('removes named volumes only with -v, never external ones, including those only the cluster still mounts', async () => {
    const desired = await swarmFromCompose(STACK);
    const observed = convergedSwarm(desired);
    const old = convergedSwarm(
      await swarmFromCompose('services: {old: {image: o, volumes: [gone:/g]}}\nvolumes: {gone: {}}'),
    );
    observed.services.push(...old.services);
    const volumes = (v: boolean) =>
      planSwarmDown(desired, observed, { volumes: v })
        .operations.filter((o) => o.kind === 'remove-volume')
        .map((o) => o.kind === 'remove-volume' && o.name);
    expect(volumes(false)).toEqual([]);
    expect(volumes(true)).toEqual(['demo_data', 'demo_gone']);
    expect(planSwarmDown(desired, observed, { volumes: false }).warnings).toEqual([]);
  });

  it('down -v says it removes volumes on the manager only, with the nodes their tasks ran on and what to run there', async () => {
    const desired = await swarmFromCompose(STACK);
    const observed = convergedSwarm(desired);
    const web = observed.services.find((s) => s.name === 'demo_web');
    const db = observed.services.find((s) => s.name === 'demo_db');
    if (!web || !db) throw new Error('fixture');
    const task = (serviceId: string, id: string, node: string): ObservedSwarmTask => ({
      id,
      serviceId,
      service: 'x',
      node,
      desiredState: 'running',
      state: 'running',
      ports: [],
    });
    observed.tasks = [task(web.id, 't1', 'n1'), task(web.id, 't2', 'n3'), task(db.id, 't3', 'n2')];
    const [warning, ...more] = planSwarmDown(desired, observed, { volumes: true }).warnings;
    expect(more).toEqual([]);
    expect(warning).toMatch(/removes the volumes demo_data on the daemon's engine \(the manager\) only/);
    expect(warning).toMatch(/docker stack rm removes none/);
    // db mounts no volume: its node is not named.
    expect(warning).toMatch(/tasks that mount them ran on n1, n3\), run: docker volume rm demo_data$/);
  });

  it('with nothing on the cluster, plans nothing (also without the files)', () => {
    expect(planSwarmDown(undefined, nothing()).operations).toEqual([]);
  });
});
