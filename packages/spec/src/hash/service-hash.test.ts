import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { desiredState } from '../desired/desired-state.js';
import { proj, svc } from '../desired/test-builders.js';
import type { Service } from '../model/project.js';
import { canonicalJson } from './canonical.js';
import { definitionDiff, serviceDefinition, serviceHash } from './service-hash.js';

const word = fc.stringMatching(/^[a-z][a-z0-9_]{0,7}$/);
const envKey = fc.stringMatching(/^[A-Z][A-Z0-9_]{0,7}$/);

const portArb = fc.record({
  mode: fc.constant('ingress' as const),
  target: fc.integer({ min: 1, max: 65535 }),
  published: fc.option(fc.integer({ min: 1, max: 65535 }).map(String), { nil: undefined }),
  protocol: fc.constantFrom('tcp' as const, 'udp' as const),
});

const serviceArb: fc.Arbitrary<Service> = fc
  .record({
    image: fc.constantFrom('redis:7', 'nginx:1', 'orc-fixture/busybox:1'),
    command: fc.option(fc.array(word, { minLength: 1, maxLength: 3 }), { nil: undefined }),
    environment: fc.dictionary(envKey, fc.option(word, { nil: null }), { maxKeys: 4 }),
    labels: fc.dictionary(word, word, { maxKeys: 3 }),
    ports: fc.array(portArb, { maxLength: 3 }),
    restart: fc.option(fc.constantFrom('always', 'no', 'unless-stopped', 'on-failure:3'), { nil: undefined }),
    healthcheck: fc.option(
      fc.record({
        test: fc.constant(['CMD', 'true']),
        interval: fc.integer({ min: 1, max: 60 }).map((s) => s * 1e9),
      }),
      { nil: undefined },
    ),
    deploy: fc.option(
      fc.record({
        replicas: fc.integer({ min: 0, max: 5 }),
        resources: fc.record({ limits: fc.record({ memory: fc.integer({ min: 1, max: 1 << 30 }) }) }),
      }),
      { nil: undefined },
    ),
  })
  .map((fields) => svc('web', fields as Partial<Service>));

/** The same data with every object's keys in a random order. */
function shuffleKeys(value: unknown, rand: () => number): unknown {
  if (Array.isArray(value)) return value.map((v) => shuffleKeys(v, rand));
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value);
    for (let i = keys.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [keys[i], keys[j]] = [keys[j] as string, keys[i] as string];
    }
    const out: Record<string, unknown> = {};
    for (const key of keys) out[key] = shuffleKeys((value as Record<string, unknown>)[key], rand);
    return out;
  }
  return value;
}

function seeded(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** Changes that must alter the container, each applied to any service. */
const mutations: Array<[string, (s: Service) => Service]> = [
  ['image', (s) => ({ ...s, image: `${s.image}-other` })],
  ['command', (s) => ({ ...s, command: [...(s.command ?? []), 'extra'] })],
  ['environment added', (s) => ({ ...s, environment: { ...s.environment, ORC_NEW_VAR: 'x' } })],
  ['port added', (s) => ({ ...s, ports: [...s.ports, { mode: 'ingress', target: 1, protocol: 'sctp' }] })],
  [
    'mount added',
    (s) => ({ ...s, volumes: [...s.volumes, { type: 'volume', source: 'zz', target: '/zz' }] }),
  ],
  ['label added', (s) => ({ ...s, labels: { ...s.labels, 'orc.test.new': 'x' } })],
  ['healthcheck', (s) => ({ ...s, healthcheck: { test: ['CMD', 'false'], retries: 99 } })],
  ['restart', (s) => ({ ...s, restart: s.restart === 'always' ? 'no' : 'always' })],
  ['logging', (s) => ({ ...s, logging: { driver: 'syslog' } })],
  [
    'resources',
    (s) => ({ ...s, deploy: { ...s.deploy, resources: { limits: { memory: (1 << 30) + 1, cpus: 0.25 } } } }),
  ],
  ['networks', (s) => ({ ...s, networks: { ...s.networks, other: null } })],
  ['aliases', (s) => ({ ...s, networks: { default: { aliases: ['alias-x'] } } })],
];

describe('service hash', () => {
  it('is stable across key order', () => {
    fc.assert(
      fc.property(serviceArb, fc.integer(), (service, seed) => {
        const shuffled = shuffleKeys(service, seeded(seed)) as Service;
        expect(serviceHash(shuffled)).toBe(serviceHash(service));
      }),
    );
  });

  it('ignores replicas, scale, depends_on, profiles, build, pull_policy and the daemon-applied policies', () => {
    fc.assert(
      fc.property(serviceArb, fc.integer({ min: 0, max: 9 }), (service, replicas) => {
        const varied: Service = {
          ...service,
          scale: replicas,
          deploy: { ...service.deploy, replicas },
          depends_on: { db: { condition: 'service_healthy', required: true, restart: true } },
          profiles: ['debug'],
          build: { context: '/elsewhere' },
          pull_policy: 'always',
        };
        varied.deploy = {
          ...varied.deploy,
          restart_policy: { condition: 'on-failure', max_attempts: replicas },
          update_config: { order: 'start-first', parallelism: replicas },
          rollback_config: { order: 'stop-first' },
        };
        expect(serviceHash(varied)).toBe(serviceHash(service));
      }),
    );
  });

  it('is not changed by unrelated services in the project', () => {
    fc.assert(
      fc.property(serviceArb, serviceArb, (service, other) => {
        const alone = desiredState(proj([service]));
        const together = desiredState(proj([service, { ...other, name: 'other' }]));
        expect(together.services.find((s) => s.name === 'web')?.hash).toBe(alone.services[0]?.hash);
      }),
    );
  });

  it.each(mutations)('changes when %s changes', (_field, mutate) => {
    fc.assert(
      fc.property(serviceArb, (service) => {
        expect(serviceHash(mutate(service))).not.toBe(serviceHash(service));
      }),
    );
  });

  it('with the project, changes when a secret or config the service uses points at another file', () => {
    const project = (file: string) =>
      proj([svc('web', { secrets: [{ source: 'token' }] }), svc('other')], {
        secrets: { token: { name: 'demo_token', file, extensions: {} } },
      });
    const a = project('/srv/a.txt');
    const b = project('/srv/b.txt');
    expect(serviceHash(a.services.web as Service, a)).not.toBe(serviceHash(b.services.web as Service, b));
    expect(serviceHash(a.services.other as Service, a)).toBe(serviceHash(b.services.other as Service, b));
    // Nothing resolved from outside: the same hash with or without the project.
    expect(serviceHash(a.services.other as Service, a)).toBe(serviceHash(a.services.other as Service));
  });

  it('treats an empty map like an absent one', () => {
    const base = svc('web');
    expect(serviceHash({ ...base, sysctls: {} })).toBe(serviceHash(base));
    expect(serviceHash({ ...base, cap_add: [] })).toBe(serviceHash(base));
  });

  it('leaves x-orc out (supervision only) but keeps other extensions', () => {
    const base = svc('web');
    expect(serviceHash({ ...base, extensions: { 'x-orc': { restart_on_unhealthy: true } } })).toBe(
      serviceHash(base),
    );
    expect(serviceHash({ ...base, extensions: { 'x-app': 1 } })).not.toBe(serviceHash(base));
  });

  it('definition is canonical JSON and names the differing fields', () => {
    const a = svc('web', { environment: { A: '1' } });
    const b = svc('web', { environment: { A: '2' }, image: 'redis:7' });
    expect(serviceDefinition(a)).toBe(canonicalJson(JSON.parse(serviceDefinition(a))));
    expect(definitionDiff(serviceDefinition(a), serviceDefinition(b))).toEqual(['environment.A', 'image']);
  });
});
