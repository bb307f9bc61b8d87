import { Labels } from '@orc/spec';
import { describe, expect, it } from 'vitest';
import {
  converged,
  desiredState,
  empty,
  networkId,
  observedNetwork,
} from '../../test/support/plan/fixtures.js';
import { renderPlan } from './render.js';
import type { Plan } from './types.js';
import { plan } from './up.js';

function edges(p: Plan, ...prefixes: string[]): Record<string, string[]> {
  return Object.fromEntries(
    p.operations
      .filter((op) => prefixes.some((x) => op.id.startsWith(x)))
      .map((op) => [op.id, [...op.after].sort()]),
  );
}

describe('plan: networks and volumes', () => {
  it('an external network or volume that does not exist is a plan error naming it', () => {
    const desired = desiredState({
      services: [{ name: 'web', networks: ['proxy'], volumes: ['certs'] }],
      externalNetworks: ['proxy'],
      externalVolumes: ['certs'],
    });
    const observed = empty(desired);
    observed.foreign.networksByName = {};
    observed.foreign.volumesByName = {};
    const p = plan(desired, observed);
    expect(p.errors).toEqual([
      {
        code: 'EXTERNAL_NETWORK_MISSING',
        message:
          'network proxy declared as external, but could not be found; create it with `docker network create proxy`',
      },
      {
        code: 'EXTERNAL_VOLUME_MISSING',
        message:
          'volume certs declared as external, but could not be found; create it with `docker volume create certs`',
      },
    ]);
    expect(p.operations.some((o) => o.kind === 'create-network' || o.kind === 'create-volume')).toBe(false);
  });

  it('a network whose config hash differs is recreated: attached containers stopped, disconnected, then recreated', () => {
    const desired = desiredState({ services: [{ name: 'web' }, { name: 'api', replicas: 2 }] });
    const observed = converged(desired);
    const old = observedNetwork(desired, 'default', { labels: { [Labels.orcConfigHash]: 'old-hash' } });
    observed.networks = [old];
    const [web, api1, api2] = observed.containers;
    const p = plan(desired, observed);
    const id = (c: typeof web) => c!.id.slice(0, 12);
    expect(renderPlan(p)).toEqual([
      'stop container demo-web-1 (network demo_default recreated)',
      `disconnect container demo-web-1 from network ${old.id.slice(0, 12)} (network demo_default recreated)`,
      'stop container demo-api-1 (network demo_default recreated)',
      `disconnect container demo-api-1 from network ${old.id.slice(0, 12)} (network demo_default recreated)`,
      'stop container demo-api-2 (network demo_default recreated)',
      `disconnect container demo-api-2 from network ${old.id.slice(0, 12)} (network demo_default recreated)`,
      `remove network demo_default [${old.id.slice(0, 12)}] (config hash differs)`,
      'create network demo_default (config hash differs)',
      `recreate container demo-web-1 as ${id(web)}_demo-web-1 (network default: recreated)`,
      'remove container demo-web-1 (replaced by demo-web-1)',
      `rename container ${id(web)}_demo-web-1 → demo-web-1 (replaces ${id(web)})`,
      'start container demo-web-1 (recreated)',
      `recreate container demo-api-1 as ${id(api1)}_demo-api-1 (network default: recreated)`,
      'remove container demo-api-1 (replaced by demo-api-1)',
      `rename container ${id(api1)}_demo-api-1 → demo-api-1 (replaces ${id(api1)})`,
      'start container demo-api-1 (recreated)',
      `recreate container demo-api-2 as ${id(api2)}_demo-api-2 (network default: recreated)`,
      'remove container demo-api-2 (replaced by demo-api-2)',
      `rename container ${id(api2)}_demo-api-2 → demo-api-2 (replaces ${id(api2)})`,
      'start container demo-api-2 (recreated)',
    ]);
    expect(
      edges(
        p,
        'remove-network',
        'create-network',
        'create-container:demo-web-1',
        'remove-container:demo-web-1',
      ),
    ).toEqual({
      [`remove-network:${old.id.slice(0, 12)}`]: [
        `disconnect-network:demo-api-1:${old.id}`,
        `disconnect-network:demo-api-2:${old.id}`,
        `disconnect-network:demo-web-1:${old.id}`,
      ].sort(),
      'create-network:demo_default': [`remove-network:${old.id.slice(0, 12)}`],
      'create-container:demo-web-1': ['create-network:demo_default'],
      'remove-container:demo-web-1': [
        'create-container:demo-web-1',
        `disconnect-network:demo-web-1:${old.id}`,
        'stop-container:demo-web-1',
      ],
    });
  });

  it('--no-recreate leaves a changed network alone, with a warning', () => {
    const desired = desiredState({ services: [{ name: 'web' }] });
    const observed = converged(desired);
    observed.networks = [observedNetwork(desired, 'default', { labels: { [Labels.orcConfigHash]: 'old' } })];
    expect(renderPlan(plan(desired, observed, { noRecreate: true }))).toEqual([
      'warning: network demo_default configuration differs from the project; not recreated because of --no-recreate',
    ]);
  });

  it('duplicate networks of the same name: keep the oldest, remove the others (and recreate what uses them)', () => {
    const desired = desiredState({ services: [{ name: 'web' }] });
    const observed = converged(desired);
    const dup = observedNetwork(desired, 'default', {
      id: networkId('dup'),
      created: '2026-02-01T00:00:00Z',
    });
    observed.networks.push(dup);
    expect(renderPlan(plan(desired, observed))).toEqual([
      `remove network demo_default [${dup.id.slice(0, 12)}] (duplicate network (same name))`,
    ]);
  });

  it('--no-recreate keeps a duplicate network that containers use (removing it would recreate them)', () => {
    const desired = desiredState({ services: [{ name: 'web' }] });
    const observed = converged(desired);
    const dup = observedNetwork(desired, 'default', {
      id: networkId('dup'),
      created: '2026-02-01T00:00:00Z',
    });
    observed.networks.push(dup);
    observed.containers[0]!.networks.demo_default = { networkId: dup.id, aliases: [] };
    expect(renderPlan(plan(desired, observed, { noRecreate: true }))).toEqual([
      `warning: duplicate network demo_default (${dup.id.slice(0, 12)}) is in use; kept because of --no-recreate`,
    ]);
  });

  it('a volume whose definition changed is never recreated: a warning says how to apply it', () => {
    const desired = desiredState({ services: [{ name: 'db', volumes: ['data'] }] });
    const observed = converged(desired);
    observed.volumes[0]!.labels[Labels.orcConfigHash] = 'old';
    expect(renderPlan(plan(desired, observed))).toEqual([
      'warning: volume demo_data already exists with a different configuration; it is kept as it is (remove it with `down -v` to apply the new one)',
    ]);
  });

  it('a network or volume of that name not created by orc is used as it is, with a warning', () => {
    const desired = desiredState({ services: [{ name: 'db', volumes: ['data'] }] });
    const observed = converged(desired);
    observed.networks = [];
    observed.volumes = [];
    observed.foreign.networksByName.demo_default = { id: networkId('demo_default') };
    observed.foreign.volumesByName.demo_data = { name: 'demo_data' };
    expect(renderPlan(plan(desired, observed))).toEqual([
      'warning: a network with name demo_default exists but was not created by orc; set `external: true` to use an existing network',
      'warning: volume demo_data already exists but was not created by orc; use `external: true` to use an existing volume',
    ]);
  });
});

describe('plan: images', () => {
  const built = desiredState({ services: [{ name: 'app', image: 'demo-app', build: true }] });
  const pulled = desiredState({ services: [{ name: 'web' }] });
  const never = desiredState({ services: [{ name: 'web', pull_policy: 'never' }] });
  const missing = (d: typeof built) => ({ ...empty(d), images: {} });

  it('pulls a missing image, builds a missing buildable one, refuses with pull_policy never', () => {
    expect(renderPlan(plan(pulled, missing(pulled))).slice(0, 2)).toEqual([
      'create network demo_default (missing)',
      'pull image orc-fixture/busybox:1 (policy missing) (missing)',
    ]);
    expect(renderPlan(plan(built, missing(built)))[1]).toBe('build image demo-app (missing)');
    const p = plan(never, missing(never));
    expect(p.errors.map((e) => e.code)).toEqual(['IMAGE_MISSING']);
  });

  it('--build builds and --pull always pulls even when nothing else changes; a present image needs nothing', () => {
    expect(renderPlan(plan(built, converged(built), { build: true }))).toEqual([
      'build image demo-app (--build)',
    ]);
    expect(renderPlan(plan(pulled, converged(pulled), { pull: 'always' }))).toEqual([
      'pull image orc-fixture/busybox:1 (policy always) (pull always)',
    ]);
    expect(renderPlan(plan(built, converged(built), { build: true, noBuild: true }))).toEqual([]);
    expect(renderPlan(plan(pulled, converged(pulled), { pull: 'missing' }))).toEqual([]);
  });

  it('pull_policy daily/weekly/every_<d>: a user up (pull policy) asks the images module even when present', () => {
    for (const policy of ['daily', 'weekly', 'every_12h']) {
      const d = desiredState({ services: [{ name: 'web', pull_policy: policy }] });
      expect(renderPlan(plan(d, converged(d), { pull: 'policy' }))).toEqual([
        `pull image orc-fixture/busybox:1 (policy ${policy}) (pull_policy ${policy})`,
      ]);
      // The supervisor's passes (no pull option) and an explicit --pull missing never re-pull.
      expect(renderPlan(plan(d, converged(d)))).toEqual([]);
      expect(renderPlan(plan(d, converged(d), { pull: 'missing' }))).toEqual([]);
    }
  });

  it('pull policy on a user up: pull_policy build rebuilds a chosen image name; a build-only default one only when missing', () => {
    const chosen = desiredState({
      services: [{ name: 'app', image: 'registry.example/app:1', build: true, pull_policy: 'build' }],
    });
    expect(renderPlan(plan(chosen, converged(chosen), { pull: 'policy' }))).toEqual([
      'build image registry.example/app:1 (pull_policy build)',
    ]);
    const buildOnly = desiredState({
      services: [{ name: 'app', image: 'demo-app', build: true, pull_policy: 'build' }],
    });
    expect(renderPlan(plan(buildOnly, converged(buildOnly), { pull: 'policy' }))).toEqual([]);
    const always = desiredState({ services: [{ name: 'web', pull_policy: 'always' }] });
    expect(renderPlan(plan(always, converged(always), { pull: 'policy' }))).toEqual([
      'pull image orc-fixture/busybox:1 (policy always) (pull always)',
    ]);
    // The supervisor's passes say nothing about pulls: `missing`, never a pull loop.
    expect(renderPlan(plan(always, converged(always)))).toEqual([]);
  });

  it('containers are created after their image is ensured', () => {
    const p = plan(built, missing(built));
    expect(p.operations.find((o) => o.id === 'create-container:demo-app-1')?.after).toContain(
      'ensure-image:demo-app',
    );
  });
});
