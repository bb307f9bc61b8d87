import { describe, expect, it } from 'vitest';
import { desiredState } from '../../test/support/plan/fixtures.js';
import { planOneOff, planOneOffStep } from './oneoff.js';
import { renderPlan } from './render.js';

const desired = desiredState({
  services: [{ name: 'tool', networks: ['back', 'front'], volumes: ['data'] }],
});
const service = desired.services[0];

describe('planOneOff: orc run as a plan', () => {
  it('makes what is missing, then the container without aliases, and starts it when detached', () => {
    if (!service) throw new Error('fixture');
    const plan = planOneOff({
      desired,
      service,
      name: 'demo-tool-run-1',
      body: { Image: service.image, Labels: {}, HostConfig: {} },
      existingNetworks: new Set(['demo_back']),
      existingVolumes: new Set(),
      start: true,
    });
    expect(renderPlan(plan)).toEqual([
      `pull image ${service.image} (policy missing) (one-off)`,
      'create network demo_front (missing)',
      'create volume demo_data (missing)',
      'create container demo-tool-run-1 (one-off)',
      'start container demo-tool-run-1 (one-off, detached)',
    ]);
    const create = plan.operations.find((o) => o.kind === 'create-container');
    if (create?.kind !== 'create-container') throw new Error('no create');
    expect(create.after).toEqual([
      `ensure-image:${service.image}`,
      'create-network:demo_front',
      'create-volume:demo_data',
    ]);
    expect(
      create.endpoints.every((ep) => ep.aliases.length === 0 && ep.settings?.Aliases === undefined),
    ).toBe(true);
  });

  it('leaves the start to a later step when attached; steps are one operation each', () => {
    if (!service) throw new Error('fixture');
    const plan = planOneOff({
      desired,
      service,
      name: 'x',
      body: { Image: service.image, Labels: {}, HostConfig: {} },
      existingNetworks: new Set(['demo_back', 'demo_front']),
      existingVolumes: new Set(['demo_data']),
      start: false,
    });
    expect(plan.operations.map((o) => o.kind)).toEqual(['ensure-image', 'create-container']);
    expect(renderPlan(planOneOffStep('demo', 'tool', 'x', { kind: 'remove' }))).toEqual([
      'remove container x with its anonymous volumes (one-off ended (--rm))',
    ]);
    expect(planOneOffStep('demo', 'tool', 'x', { kind: 'stop', timeoutSeconds: 3 }).operations).toMatchObject(
      [{ kind: 'stop-container', containerId: 'x', timeoutSeconds: 3 }],
    );
  });
});
