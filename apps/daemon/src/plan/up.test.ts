import { Labels } from '@orc/spec';
import { describe, expect, it } from 'vitest';
import {
  converged,
  desiredState,
  empty,
  IMAGE,
  networkId,
  observedNetwork,
  type StateSpec,
} from '../../test/support/plan/fixtures.js';
import type { ObservedContainer, ObservedProject } from '../observe/types.js';
import { renderPlan } from './render.js';
import type { Plan, PlanOptions } from './types.js';
import { plan } from './up.js';

const id12 = (c: ObservedContainer) => c.id.slice(0, 12);

/** `op id → after` for the ops whose ids start with one of the prefixes (edges are what ordering tests read). */
function edges(p: Plan, ...prefixes: string[]): Record<string, string[]> {
  return Object.fromEntries(
    p.operations
      .filter((op) => prefixes.some((x) => op.id.startsWith(x)))
      .map((op) => [op.id, [...op.after].sort()]),
  );
}

function withContainers(observed: ObservedProject, containers: ObservedContainer[]): ObservedProject {
  return { ...observed, containers };
}

describe('plan: first up and no-op', () => {
  it('creates networks, volumes and containers of an empty project, dependencies first', () => {
    const desired = desiredState({
      services: [
        { name: 'db', volumes: ['data'] },
        { name: 'web', depends_on: { db: {} } },
      ],
    });
    const p = plan(desired, empty(desired));
    expect(renderPlan(p)).toEqual([
      'create network demo_default (missing)',
      'create volume demo_data (missing)',
      'create container demo-db-1 (missing)',
      'start container demo-db-1 (created)',
      'create container demo-web-1 (missing)',
      'wait for container demo-db-1 running (web depends on db (service_started))',
      'start container demo-web-1 (created)',
    ]);
    expect(edges(p, 'create-container', 'start-container', 'wait-container')).toEqual({
      'create-container:demo-db-1': ['create-network:demo_default', 'create-volume:demo_data'],
      'start-container:demo-db-1': ['create-container:demo-db-1'],
      'create-container:demo-web-1': ['create-network:demo_default'],
      'wait-container:demo-db-1:running': ['start-container:demo-db-1'],
      'start-container:demo-web-1': ['create-container:demo-web-1', 'wait-container:demo-db-1:running'],
    });
    expect(p.errors).toEqual([]);
  });

  it.each<[string, StateSpec]>([
    ['one service', { services: [{ name: 'web' }] }],
    [
      'dependencies, replicas, volumes, networks, external resources',
      {
        services: [
          { name: 'db', volumes: ['data', 'shared'], networks: ['back'], has_healthcheck: true },
          {
            name: 'web',
            replicas: 3,
            networks: ['front', 'back'],
            depends_on: { db: { condition: 'service_healthy', restart: true } },
          },
          { name: 'job', depends_on: { db: { condition: 'service_completed_successfully' } } },
        ],
        externalNetworks: ['front'],
        externalVolumes: ['shared'],
      },
    ],
  ])('a converged project gives an empty plan (%s)', (_, spec) => {
    const desired = desiredState(spec);
    const p = plan(desired, converged(desired));
    expect(renderPlan(p)).toEqual([]);
    expect(p.operations).toEqual([]);
  });
});

describe('plan: recreate decisions', () => {
  const before = desiredState({ services: [{ name: 'web', environment: { GREETING: 'hello' } }] });
  const after = desiredState({ services: [{ name: 'web', environment: { GREETING: 'bye' } }] });
  const old = converged(before).containers[0]!;

  it('replaces a container whose config hash differs, explaining the change', () => {
    const p = plan(after, converged(before));
    expect(renderPlan(p)).toEqual([
      `recreate container demo-web-1 as ${id12(old)}_demo-web-1 (config hash differs: environment.GREETING "hello" → "bye")`,
      'stop container demo-web-1 (replaced by demo-web-1)',
      'remove container demo-web-1 (replaced by demo-web-1)',
      `rename container ${id12(old)}_demo-web-1 → demo-web-1 (replaces ${id12(old)})`,
      'start container demo-web-1 (recreated)',
    ]);
    expect(edges(p, '')).toEqual({
      'create-container:demo-web-1': [],
      'stop-container:demo-web-1': ['create-container:demo-web-1'],
      'remove-container:demo-web-1': ['create-container:demo-web-1', 'stop-container:demo-web-1'],
      [`rename-container:${id12(old)}_demo-web-1`]: ['remove-container:demo-web-1'],
      'start-container:demo-web-1': [`rename-container:${id12(old)}_demo-web-1`],
    });
    const create = p.operations[0]!;
    expect(create.kind === 'create-container' && create.replaces).toBe(old.id);
  });

  it('masks secret-looking variables in the explanation', () => {
    const a = desiredState({ services: [{ name: 'web', environment: { DB_PASSWORD: 'hunter2' } }] });
    const b = desiredState({ services: [{ name: 'web', environment: { DB_PASSWORD: 'swordfish' } }] });
    const lines = renderPlan(plan(b, converged(a)));
    expect(lines[0]).toContain('environment.DB_PASSWORD (secret) → (secret)');
    expect(lines.join('\n')).not.toMatch(/hunter2|swordfish/);
  });

  it('says only "config hash differs" when the old container has no definition label', () => {
    const observed = converged(before);
    const c = observed.containers[0]!;
    const { [Labels.orcDefinition]: _, ...labels } = c.labels;
    const lines = renderPlan(plan(after, withContainers(observed, [{ ...c, labels }])));
    expect(lines[0]).toBe(`recreate container demo-web-1 as ${id12(c)}_demo-web-1 (config hash differs)`);
  });

  it('recreates when the image id differs from the one the container was created for', () => {
    const observed = converged(after);
    observed.images[IMAGE] = `sha256:${'c'.repeat(64)}`;
    const lines = renderPlan(plan(after, observed));
    expect(lines[0]).toBe(
      `recreate container demo-web-1 as ${id12(observed.containers[0]!)}_demo-web-1 (image id sha256:aaaaaaaaaaaa… → sha256:cccccccccccc…)`,
    );
  });

  it('recreates when an expected network is not connected or a volume not mounted', () => {
    const desired = desiredState({
      services: [{ name: 'db', networks: ['default', 'back'], volumes: ['data'] }],
    });
    const observed = converged(desired);
    const c = observed.containers[0]!;
    const broken = { ...c, networks: { demo_default: c.networks.demo_default! }, mounts: [] };
    const lines = renderPlan(plan(desired, withContainers(observed, [broken])));
    expect(lines[0]).toBe(
      `recreate container demo-db-1 as ${id12(c)}_demo-db-1 (network back: not connected; volume data: not mounted)`,
    );
  });

  it('recreates when the network it is attached to was recreated outside orc', () => {
    const desired = desiredState({ services: [{ name: 'web' }] });
    const observed = converged(desired);
    observed.networks = [observedNetwork(desired, 'default', { id: networkId('another') })];
    const lines = renderPlan(plan(desired, observed));
    expect(lines[0]).toMatch(
      /^recreate container demo-web-1 as \w{12}_demo-web-1 \(network default: recreated\)$/,
    );
  });

  it('--force-recreate recreates an up-to-date container; --no-recreate keeps an outdated one', () => {
    const forced = renderPlan(plan(after, converged(after), { forceRecreate: true }));
    expect(forced[0]).toBe(
      `recreate container demo-web-1 as ${id12(old)}_demo-web-1 (forced (--force-recreate))`,
    );
    expect(renderPlan(plan(after, converged(before), { noRecreate: true }))).toEqual([]);
  });

  it('--force-recreate with --no-recreate is a plan error', () => {
    expect(plan(after, converged(before), { forceRecreate: true, noRecreate: true }).errors).toEqual([
      {
        code: 'INCOMPATIBLE_OPTIONS',
        message: '--force-recreate and --no-recreate are incompatible; use one of them',
      },
    ]);
  });

  it('uses timeoutSeconds and stop_signal for the stop of the old container', () => {
    const sig = desiredState({ services: [{ name: 'web', stop_signal: 'SIGINT', stop_grace_period: 30 }] });
    const observed = converged(before);
    const defaults = plan(sig, observed).operations.find((o) => o.kind === 'stop-container');
    expect(defaults).toMatchObject({ timeoutSeconds: 30, signal: 'SIGINT', containerId: old.id });
    const overridden = plan(sig, observed, { timeoutSeconds: 2 }).operations.find(
      (o) => o.kind === 'stop-container',
    );
    expect(overridden).toMatchObject({ timeoutSeconds: 2 });
  });

  it('recreates a dead container even with --no-recreate', () => {
    const observed = converged(after);
    const dead = { ...observed.containers[0]!, state: 'dead' as const };
    const lines = renderPlan(plan(after, withContainers(observed, [dead]), { noRecreate: true }));
    expect(lines[0]).toBe(`recreate container demo-web-1 as ${id12(dead)}_demo-web-1 (container is dead)`);
    expect(lines).not.toContain('stop container demo-web-1 (replaced by demo-web-1)');
  });
});

describe('plan: scale and run state', () => {
  const three = desiredState({ services: [{ name: 'web', replicas: 3 }] });
  const one = desiredState({ services: [{ name: 'web', replicas: 1 }] });

  it('scales up with the next numbers', () => {
    expect(renderPlan(plan(three, converged(one)))).toEqual([
      'create container demo-web-2 (scale up)',
      'start container demo-web-2 (created)',
      'create container demo-web-3 (scale up)',
      'start container demo-web-3 (created)',
    ]);
  });

  it('scales down removing the highest numbers', () => {
    expect(renderPlan(plan(one, converged(three)))).toEqual([
      'stop container demo-web-2 (scale down)',
      'remove container demo-web-2 (scale down)',
      'stop container demo-web-3 (scale down)',
      'remove container demo-web-3 (scale down)',
    ]);
  });

  it('replicas: 0 removes every container of the service', () => {
    const zero = desiredState({ services: [{ name: 'web', replicas: 0 }] });
    expect(renderPlan(plan(zero, converged(one)))).toEqual([
      'stop container demo-web-1 (scale down)',
      'remove container demo-web-1 (scale down)',
    ]);
  });

  it('recreates a missing replica that is not the highest as missing', () => {
    const observed = converged(three);
    observed.containers = observed.containers.filter((c) => c.number !== 2);
    expect(renderPlan(plan(three, observed))).toEqual([
      'create container demo-web-2 (missing)',
      'start container demo-web-2 (created)',
    ]);
  });

  const state = (s: ObservedContainer['state'], exitCode = 0) => {
    const observed = converged(one);
    return withContainers(observed, [{ ...observed.containers[0]!, state: s, exitCode }]);
  };

  it.each<[string, ObservedProject, PlanOptions, string[]]>([
    ['exited → start', state('exited', 137), {}, ['start container demo-web-1 (exited (code 137))']],
    ['exited, supervisor pass → left alone', state('exited', 0), { startExited: false }, []],
    [
      'created, never started → start',
      state('created'),
      { startExited: false },
      ['start container demo-web-1 (created, not started)'],
    ],
    ['paused → unpause', state('paused'), {}, ['unpause container demo-web-1 (paused)']],
    ['restarting → left to the engine', state('restarting'), {}, []],
    [
      'running, desired stopped → stop',
      state('running'),
      { desiredRunState: { web: 'stopped' } },
      ['stop container demo-web-1 (desired stopped)'],
    ],
    ['exited, desired stopped → stays stopped', state('exited'), { desiredRunState: { web: 'stopped' } }, []],
    [
      'running, desired paused → pause',
      state('running'),
      { desiredRunState: { web: 'paused' } },
      ['pause container demo-web-1 (desired paused)'],
    ],
    ['paused, desired paused → nothing', state('paused'), { desiredRunState: { web: 'paused' } }, []],
  ])('%s', (_, observed, options, expected) => {
    expect(renderPlan(plan(one, observed, options))).toEqual(expected);
  });

  it('a missing container of a stopped service is created, not started', () => {
    expect(renderPlan(plan(one, empty(one), { desiredRunState: { web: 'stopped' } }))).toEqual([
      'create network demo_default (missing)',
      'create container demo-web-1 (missing)',
    ]);
  });
});
