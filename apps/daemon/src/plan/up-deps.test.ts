import { describe, expect, it } from 'vitest';
import { converged, desiredState, empty, observedContainer } from '../../test/support/plan/fixtures.js';
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

describe('plan: dependencies', () => {
  const desired = desiredState({
    services: [
      { name: 'db', has_healthcheck: true },
      { name: 'migrate', depends_on: { db: { condition: 'service_healthy' } } },
      { name: 'cache' },
      {
        name: 'web',
        replicas: 2,
        depends_on: {
          db: { condition: 'service_healthy' },
          migrate: { condition: 'service_completed_successfully' },
          cache: { condition: 'service_started', required: false },
        },
      },
    ],
  });

  it('starts wait for running / healthy / exited-0 of every replica of each dependency', () => {
    const p = plan(desired, empty(desired));
    expect(edges(p, 'start-container', 'wait-container')).toEqual({
      'start-container:demo-db-1': ['create-container:demo-db-1'],
      'wait-container:demo-db-1:healthy': ['start-container:demo-db-1'],
      'start-container:demo-migrate-1': [
        'create-container:demo-migrate-1',
        'wait-container:demo-db-1:healthy',
      ],
      'start-container:demo-cache-1': ['create-container:demo-cache-1'],
      'wait-container:demo-migrate-1:exited-0': ['start-container:demo-migrate-1'],
      'wait-container:demo-cache-1:running:optional': ['start-container:demo-cache-1'],
      'start-container:demo-web-1': [
        'create-container:demo-web-1',
        'wait-container:demo-cache-1:running:optional',
        'wait-container:demo-db-1:healthy',
        'wait-container:demo-migrate-1:exited-0',
      ],
      'start-container:demo-web-2': [
        'create-container:demo-web-2',
        'wait-container:demo-cache-1:running:optional',
        'wait-container:demo-db-1:healthy',
        'wait-container:demo-migrate-1:exited-0',
      ],
    });
    const optional = p.operations.find((o) => o.id === 'wait-container:demo-cache-1:running:optional');
    expect(optional).toMatchObject({ kind: 'wait-container', required: false, until: 'running' });
    expect(renderPlan(p)).toContain(
      'wait for container demo-cache-1 running (optional) (web depends on cache (service_started))',
    );
  });

  it('containers are created without waiting for dependencies (only starts wait)', () => {
    const p = plan(desired, empty(desired));
    expect(p.operations.find((o) => o.id === 'create-container:demo-web-1')?.after).toEqual([
      'create-network:demo_default',
    ]);
  });

  it('a dependency already converged still gates the start of a new dependent (wait without edges)', () => {
    const observed = converged(desired);
    observed.containers = observed.containers.filter((c) => c.service !== 'web');
    const p = plan(desired, observed);
    expect(edges(p, 'wait-container')).toEqual({
      'wait-container:demo-db-1:healthy': [],
      'wait-container:demo-migrate-1:exited-0': [],
      'wait-container:demo-cache-1:running:optional': [],
    });
  });

  it('a dependency recreated restarts dependents that declare restart: true', () => {
    const before = desiredState({
      services: [
        { name: 'db', environment: { V: '1' } },
        { name: 'api', depends_on: { db: { restart: true } } },
        { name: 'web', depends_on: { db: {} } },
      ],
    });
    const after = desiredState({
      services: [
        { name: 'db', environment: { V: '2' } },
        { name: 'api', depends_on: { db: { restart: true } } },
        { name: 'web', depends_on: { db: {} } },
      ],
    });
    const p = plan(after, converged(before));
    const lines = renderPlan(p);
    expect(lines).toContain('restart container demo-api-1 (dependency recreated: db)');
    expect(lines.some((l) => l.includes('demo-web-1'))).toBe(false);
    expect(edges(p, 'restart-container')).toEqual({
      'restart-container:demo-api-1': ['wait-container:demo-db-1:running'],
    });
    expect(edges(p, 'wait-container')).toEqual({
      'wait-container:demo-db-1:running': ['start-container:demo-db-1'],
    });
  });

  it('a service sharing a namespace with a recreated one is recreated after it', () => {
    const before = desiredState({
      services: [
        { name: 'vpn', environment: { V: '1' } },
        { name: 'app', uses: ['vpn'], networks: [] },
      ],
    });
    const after = desiredState({
      services: [
        { name: 'vpn', environment: { V: '2' } },
        { name: 'app', uses: ['vpn'], networks: [] },
      ],
    });
    const observed = converged(before);
    const vpn = observed.containers[0]!;
    const p = plan(after, observed);
    expect(renderPlan(p)).toContain(
      `recreate container demo-app-1 as ${observed.containers[1]!.id.slice(0, 12)}_demo-app-1 (dependency recreated: vpn (shared namespace or volumes))`,
    );
    expect(p.operations.find((o) => o.id === 'create-container:demo-app-1')?.after).toEqual([
      `rename-container:${vpn.id.slice(0, 12)}_demo-vpn-1`,
    ]);
  });
});

describe('plan: service selection', () => {
  const desired = desiredState({
    services: [
      { name: 'db', environment: { V: '2' } },
      { name: 'web', environment: { V: '2' }, depends_on: { db: {} } },
      { name: 'admin', environment: { V: '2' } },
    ],
  });
  const observed = empty(desired);

  it('named services bring their dependencies', () => {
    const p = plan(desired, observed, { services: ['web'] });
    expect([...new Set(p.operations.map((o) => o.service).filter(Boolean))]).toEqual(['db', 'web']);
  });

  it('--no-deps plans only the named services and does not wait for the others', () => {
    const p = plan(desired, observed, { services: ['web'], noDeps: true });
    expect(renderPlan(p)).toEqual([
      'create network demo_default (missing)',
      'create container demo-web-1 (missing)',
      'start container demo-web-1 (created)',
    ]);
  });

  it('an unknown service is a plan error', () => {
    const p = plan(desired, observed, { services: ['nope'] });
    expect(p.errors).toEqual([
      { code: 'UNKNOWN_SERVICE', message: 'no such service: nope (services: db, web, admin)' },
    ]);
  });
});

describe('plan: orphans', () => {
  const full = desiredState({ services: [{ name: 'web' }, { name: 'old' }] });
  const desired = desiredState({ services: [{ name: 'web' }] });
  const observed = converged(full);

  it('warns about containers of services no longer in the project', () => {
    expect(renderPlan(plan(desired, observed))).toEqual([
      'warning: Found orphan containers ([demo-old-1]) for this project. If you removed or renamed this service in your compose file, you can run this command with the --remove-orphans flag to clean it up.',
    ]);
  });

  it('containers of services disabled by profiles are not orphans', () => {
    expect(renderPlan(plan(desired, observed, { removeOrphans: true, disabledServices: ['old'] }))).toEqual(
      [],
    );
  });

  it('removes them with removeOrphans', () => {
    expect(renderPlan(plan(desired, observed, { removeOrphans: true }))).toEqual([
      'stop container demo-old-1 (orphan (service old is not in the project))',
      'remove container demo-old-1 (orphan (service old is not in the project))',
    ]);
  });
});

describe('plan: update order', () => {
  const v1 = (extra: object = {}) =>
    desiredState({ services: [{ name: 'web', replicas: 3, environment: { V: '1' }, ...extra }] });
  const v2 = (extra: object = {}) =>
    desiredState({ services: [{ name: 'web', replicas: 3, environment: { V: '2' }, ...extra }] });
  const startFirst = {
    update_config: { order: 'start-first', parallelism: 0, delay_ms: 0, failure_action: 'pause' },
  };

  it('start-first: start the new container under its temporary name, wait, then stop and remove the old one', () => {
    const observed = converged(v1(startFirst));
    const old = observed.containers[0]!;
    const tmp = `${old.id.slice(0, 12)}_demo-web-1`;
    const p = plan(v2({ ...startFirst, has_healthcheck: true, replicas: 1 }), {
      ...observed,
      containers: [old],
    });
    expect(renderPlan(p)).toEqual([
      `recreate container demo-web-1 as ${tmp} (config hash differs: environment.V "1" → "2")`,
      `start container ${tmp} (start-first update)`,
      `wait for container ${tmp} healthy (start-first update)`,
      'stop container demo-web-1 (replaced by demo-web-1)',
      'remove container demo-web-1 (replaced by demo-web-1)',
      `rename container ${tmp} → demo-web-1 (replaces ${old.id.slice(0, 12)})`,
    ]);
    expect(edges(p, 'stop-container')).toEqual({
      'stop-container:demo-web-1': [`wait-container:${tmp}:healthy`],
    });
  });

  it('start-first with fixed host ports is refused, and the plan says so', () => {
    const p = plan(v2({ ...startFirst, fixed_host_ports: ['8080:80/tcp'] }), converged(v1()));
    expect(p.errors.map((e) => e.code)).toEqual(['START_FIRST_FIXED_PORTS']);
    expect(renderPlan(p).at(-1)).toBe(
      'error: service web cannot be updated start-first: it publishes fixed host ports (8080:80/tcp) that the old and new containers cannot hold at once; use update_config.order: stop-first or let the engine pick the host ports [START_FIRST_FIXED_PORTS]',
    );
  });

  it('the startFirst option overrides update_config', () => {
    const p = plan(v2(), converged(v1()), { startFirst: true });
    expect(p.operations.filter((o) => o.kind === 'wait-container')).toHaveLength(3);
  });

  it('parallelism replaces replicas in groups: a group waits until the previous one is ready', () => {
    const groups = {
      update_config: { order: 'stop-first', parallelism: 2, delay_ms: 0, failure_action: 'pause' },
    };
    const p = plan(v2(groups), converged(v1(groups)));
    expect(edges(p, 'stop-container')).toEqual({
      'stop-container:demo-web-1': ['create-container:demo-web-1'],
      'stop-container:demo-web-2': ['create-container:demo-web-2'],
      'stop-container:demo-web-3': [
        'create-container:demo-web-3',
        'start-container:demo-web-1',
        'start-container:demo-web-2',
      ],
    });
  });

  it('without update_config every replica is replaced at once', () => {
    const p = plan(v2(), converged(v1()));
    expect(Object.values(edges(p, 'stop-container')).every((after) => after.length === 1)).toBe(true);
  });

  it('an orphan container of a removed service does not count as a replica of a new one', () => {
    const d = desiredState({ services: [{ name: 'web' }] });
    const stray = observedContainer(desiredState({ services: [{ name: 'web2' }] }), 'web2', 1);
    expect(
      renderPlan(plan(d, { ...converged(d), containers: [...converged(d).containers, stray] })),
    ).toHaveLength(1);
  });
});
