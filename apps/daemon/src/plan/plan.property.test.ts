/**
 * Properties of the planner over random desired states and random (often broken) observed states:
 * - running the plan (in memory, strictly, see simulate.ts) and planning again gives an empty plan;
 * - no op ever targets a container, network or volume without our project label (the simulator refuses);
 * - `up` never removes a volume, and the plan is a DAG whose edges all point at ops of the plan.
 */
import { Labels } from '@orc/spec';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  containerId,
  converged,
  desiredState,
  IMAGE,
  networkId,
  observedContainer,
  type ServiceSpec,
} from '../../test/support/plan/fixtures.js';
import { applyPlan } from '../../test/support/plan/simulate.js';
import type { ObservedProject } from '../observe/types.js';
import { planDown } from './down.js';
import { renderPlan } from './render.js';
import type { DesiredRunState, Plan, PlanOptions } from './types.js';
import { plan } from './up.js';

const NAMES = ['a', 'b', 'c', 'd'];
const CONDITIONS = ['service_started', 'service_healthy', 'service_completed_successfully'] as const;

const arbService = fc.record({
  replicas: fc.integer({ min: 0, max: 3 }),
  version: fc.constantFrom('1', '2'),
  networks: fc.subarray(['default', 'back'], { minLength: 1 }),
  volumes: fc.subarray(['data']),
  deps: fc.array(
    fc.record({
      target: fc.nat(),
      condition: fc.constantFrom(...CONDITIONS),
      required: fc.boolean(),
      restart: fc.boolean(),
    }),
    { maxLength: 2 },
  ),
  healthcheck: fc.boolean(),
  order: fc.constantFrom(undefined, 'start-first' as const, 'stop-first' as const),
  parallelism: fc.integer({ min: 0, max: 2 }),
  fixedPorts: fc.boolean(),
  uses: fc.boolean(),
});

const arbSpec = fc.record({
  count: fc.integer({ min: 1, max: 4 }),
  services: fc.array(arbService, { minLength: 4, maxLength: 4 }),
});
type Spec = typeof arbSpec extends fc.Arbitrary<infer T> ? T : never;

function toServices(spec: Spec): ServiceSpec[] {
  return spec.services.slice(0, spec.count).map((s, i) => {
    const depends_on: ServiceSpec['depends_on'] = {};
    if (i > 0)
      for (const d of s.deps)
        depends_on[NAMES[d.target % i]!] = {
          condition: d.condition,
          required: d.required,
          restart: d.restart,
        };
    const service: ServiceSpec = {
      name: NAMES[i]!,
      replicas: s.replicas,
      environment: { V: s.version },
      networks: s.networks,
      volumes: s.volumes,
      depends_on,
      has_healthcheck: s.healthcheck,
      fixed_host_ports: s.fixedPorts ? ['8080:80/tcp'] : [],
      uses: i > 0 && s.uses ? [NAMES[i - 1]!] : [],
    };
    if (s.order)
      service.update_config = {
        order: s.order,
        parallelism: s.parallelism,
        delay_ms: 0,
        failure_action: 'pause',
      };
    return service;
  });
}

/** True about one time in four: each perturbation alone, most worlds keep most of their containers. */
const sometimes = fc.constantFrom(false, false, false, true);

const arbWorld = fc.record({
  desired: arbSpec,
  previous: arbSpec,
  states: fc.array(
    fc.constantFrom('running', 'running', 'exited', 'created', 'paused', 'dead', 'restarting' as const),
    {
      maxLength: 12,
    },
  ),
  dropped: fc.array(sometimes, { maxLength: 12 }),
  leftover: fc.constantFrom('none', 'with-original', 'without-original'),
  duplicateNetwork: sometimes,
  divergedNetwork: sometimes,
  orphan: sometimes,
  oneoff: sometimes,
  imageChanged: sometimes,
  imageMissing: sometimes,
  foreignName: sometimes,
  renumbered: sometimes,
  staleHash: fc.nat(),
  orphanHoldsName: sometimes,
  options: fc.record({
    removeOrphans: fc.boolean(),
    recreate: fc.constantFrom('default', 'force', 'never'),
    startFirst: fc.constantFrom(undefined, true, false),
    startExited: fc.boolean(),
    runStates: fc.array(fc.constantFrom<DesiredRunState>('running', 'running', 'stopped', 'paused'), {
      minLength: 4,
      maxLength: 4,
    }),
    subset: fc.option(fc.subarray(NAMES, { minLength: 1 }), { nil: undefined }),
    noDeps: fc.boolean(),
  }),
});
type World = typeof arbWorld extends fc.Arbitrary<infer T> ? T : never;

function buildWorld(world: World) {
  const desired = desiredState({ services: toServices(world.desired) });
  const previous = desiredState({ services: toServices(world.previous) });
  const observed: ObservedProject = converged(previous);
  observed.containers = observed.containers
    .filter((_, i) => !world.dropped[i])
    .map((c, i) => ({ ...c, state: world.states[i] ?? c.state }));
  const first = observed.containers[0];
  if (first && world.leftover !== 'none') {
    const service = desired.services.find((s) => s.name === first.service);
    const replacement = {
      ...structuredClone(first),
      id: containerId(`leftover:${first.id}`),
      name: `${first.id.slice(0, 12)}_${first.name}`,
      state: 'created' as const,
      configHash: service?.hash ?? first.configHash,
      replaces: first.id,
      labels: { ...first.labels, [Labels.replace]: first.id },
    };
    observed.containers =
      world.leftover === 'with-original'
        ? [...observed.containers, replacement]
        : [replacement, ...observed.containers.slice(1)];
  }
  const network = observed.networks.find((n) => n.key === 'default');
  if (network && world.divergedNetwork) network.labels = { ...network.labels, [Labels.orcConfigHash]: 'old' };
  if (network && world.duplicateNetwork)
    observed.networks.push({ ...network, id: networkId('duplicate'), created: '2027-01-01T00:00:00Z' });
  if (world.orphan) {
    const gone = desiredState({ services: [{ name: 'zz' }] });
    observed.containers.push({ ...observedContainer(gone, 'zz', 1), networks: {} });
  }
  if (world.oneoff && previous.services[0]?.containers[0]) {
    const run = observedContainer(previous, previous.services[0].name, 1);
    observed.containers.push({
      ...run,
      id: containerId('run'),
      name: 'demo-a-run-1',
      oneoff: true,
      networks: {},
    });
  }
  const second = observed.containers[1];
  if (second && world.renumbered) {
    second.number = 7;
    second.name = `demo-${second.service}-7`;
  }
  const stale = observed.containers[world.staleHash % 16];
  if (stale) stale.configHash = 'stale';
  const wanted = desired.services[0]?.containers[0]?.name;
  if (world.orphanHoldsName && wanted && !observed.containers.some((c) => c.name === wanted)) {
    const gone = desiredState({ services: [{ name: 'gone' }] });
    observed.containers.push({ ...observedContainer(gone, 'gone', 1), name: wanted, networks: {} });
  }
  if (world.imageChanged) observed.images[IMAGE] = `sha256:${'b'.repeat(64)}`;
  if (world.imageMissing) {
    // An image in use cannot vanish; a pull of a missing one may bring a new id, so start from nothing.
    observed.images = {};
    observed.containers = [];
  }
  observed.foreign.containersByName.stranger = { id: containerId('stranger') };
  if (world.foreignName) {
    // Engine names are unique: a stranger holding demo-b-1 means none of ours does.
    observed.containers = observed.containers.filter((c) => c.name !== 'demo-b-1');
    observed.foreign.containersByName['demo-b-1'] = { id: containerId('stranger-b') };
  }
  observed.foreign.networksByName.other_net = { id: networkId('other') };
  observed.foreign.volumesByName.other_vol = { name: 'other_vol' };

  const o = world.options;
  const options: PlanOptions = {
    removeOrphans: o.removeOrphans,
    forceRecreate: o.recreate === 'force',
    noRecreate: o.recreate === 'never',
    startExited: o.startExited,
    desiredRunState: Object.fromEntries(NAMES.map((n, i) => [n, o.runStates[i] ?? 'running'])),
    noDeps: o.noDeps,
  };
  if (o.startFirst !== undefined) options.startFirst = o.startFirst;
  if (o.subset) options.services = o.subset.filter((n) => desired.services.some((s) => s.name === n));
  return { desired, observed, options };
}

function checkShape(p: Plan) {
  const ids = new Set(p.operations.map((op) => op.id));
  expect(ids.size).toBe(p.operations.length);
  const seen = new Set<string>();
  for (const op of p.operations) {
    for (const dep of op.after)
      expect(seen.has(dep), `${op.id} runs after ${dep}, which comes later or is missing`).toBe(true);
    seen.add(op.id);
  }
}

describe('plan properties', () => {
  it('planning against the state the plan produces gives an empty plan; nothing unlabelled is touched', () => {
    fc.assert(
      fc.property(arbWorld, (world) => {
        const { desired, observed, options } = buildWorld(world);
        const first = plan(desired, observed, options);
        checkShape(first);
        expect(first.operations.some((op) => op.kind === 'remove-volume')).toBe(false);
        const foreignIds = new Set(Object.values(observed.foreign.containersByName).map((c) => c.id));
        for (const op of first.operations) {
          for (const id of foreignIds) expect(JSON.stringify(op)).not.toContain(id);
        }
        // A plan with errors is never run (the executor refuses it). Most still apply cleanly (the conflicting
        // replica is left out); one whose create would hit a name held by a kept orphan cannot.
        if (first.errors.some((e) => e.message.includes('is held by'))) return;
        const after = applyPlan(observed, first);
        const again = plan(desired, after, { ...options, forceRecreate: false });
        expect(renderPlan({ ...again, warnings: [], errors: [] }), renderPlan(first).join('\n')).toEqual([]);
      }),
      { numRuns: Number(process.env.ORC_PROPERTY_RUNS ?? 400) },
    );
  }, 600_000);

  it('down leaves nothing of ours behind (but volumes without -v) and touches nothing unlabelled', () => {
    fc.assert(
      fc.property(arbWorld, fc.boolean(), (world, volumes) => {
        const { desired, observed } = buildWorld(world);
        const p = planDown(desired, observed, { removeOrphans: true, volumes });
        checkShape(p);
        const after = applyPlan(observed, p);
        expect(after.containers).toEqual([]);
        expect(after.networks).toEqual([]);
        expect(after.volumes.length).toBe(volumes ? 0 : observed.volumes.length);
      }),
      { numRuns: Number(process.env.ORC_PROPERTY_RUNS ?? 200) },
    );
  }, 600_000);
});
