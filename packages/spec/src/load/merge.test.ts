import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { enforceUnicity, type MergeProblem, mergeCompose, mergeService, volumeTarget } from './merge.js';
import { overrideMarker, resetMarker } from './tags.js';

const svc = (def: Record<string, unknown>) => ({ services: { web: def } });
const web = (tree: unknown) => (tree as { services: { web: Record<string, unknown> } }).services.web;
const mergeWeb = (base: Record<string, unknown>, override: Record<string, unknown>) =>
  web(enforceUnicity(mergeCompose(svc(base), svc(override))));

describe('mergeCompose: rules per key', () => {
  it.each([
    ['scalars are replaced', { image: 'a', user: 'x' }, { image: 'b' }, { image: 'b', user: 'x' }],
    ['null keeps the base', { image: 'a' }, { image: null }, { image: 'a' }],
    ['new keys are added', { image: 'a' }, { init: true }, { image: 'a', init: true }],
    [
      'maps merge per key',
      { deploy: { replicas: 1, mode: 'x' } },
      { deploy: { replicas: 2 } },
      { deploy: { replicas: 2, mode: 'x' } },
    ],
    ['command is replaced', { command: ['a', 'b'] }, { command: ['c'] }, { command: ['c'] }],
    ['command string over list', { command: ['a'] }, { command: 'sh -c x' }, { command: 'sh -c x' }],
    ['entrypoint is replaced', { entrypoint: ['a'] }, { entrypoint: ['b'] }, { entrypoint: ['b'] }],
    [
      'healthcheck.test is replaced, the rest merged',
      { healthcheck: { test: ['CMD', 'a'], interval: '5s' } },
      { healthcheck: { test: ['CMD', 'b'] } },
      { healthcheck: { test: ['CMD', 'b'], interval: '5s' } },
    ],
    [
      'environment: map then list, per key',
      { environment: { A: '1', B: '2' } },
      { environment: ['B=3', 'C'] },
      { environment: ['A=1', 'B=3', 'C'] },
    ],
    [
      'environment: list then map (null = pass-through, numbers as text)',
      { environment: ['A=1'] },
      { environment: { A: null, N: 5, T: true } },
      { environment: ['A', 'N=5', 'T=true'] },
    ],
    ['labels per key', { labels: { a: '1' } }, { labels: ['a=2', 'b=3'] }, { labels: ['a=2', 'b=3'] }],
    [
      'build.args per key',
      { build: { context: '.', args: ['V=1'] } },
      { build: { args: { V: '2' } } },
      { build: { context: '.', args: ['V=2'] } },
    ],
    [
      'build string over map',
      { build: { context: 'a', target: 't' } },
      { build: 'b' },
      { build: { context: 'b', target: 't' } },
    ],
    [
      'build map over string',
      { build: 'a' },
      { build: { target: 't' } },
      { build: { context: 'a', target: 't' } },
    ],
    ['sysctls per key', { sysctls: { 'net.a': 1 } }, { sysctls: ['net.a=0'] }, { sysctls: ['net.a=0'] }],
    [
      'extra_hosts: same entry once, several addresses per host kept',
      { extra_hosts: ['h=1.1.1.1'] },
      { extra_hosts: { h: ['1.1.1.1', '2.2.2.2'] } },
      { extra_hosts: ['h=1.1.1.1', 'h=2.2.2.2'] },
    ],
    [
      'dns: string and list',
      { dns: '8.8.8.8' },
      { dns: ['1.1.1.1', '8.8.8.8'] },
      { dns: ['8.8.8.8', '1.1.1.1'] },
    ],
    ['dns_search appended once', { dns_search: ['a'] }, { dns_search: 'a' }, { dns_search: ['a'] }],
    [
      'env_file string then list',
      { env_file: 'a.env' },
      { env_file: ['b.env', 'a.env'] },
      { env_file: ['a.env', 'b.env'] },
    ],
    [
      'env_file long form replaces the short one',
      { env_file: ['a.env'] },
      { env_file: [{ path: 'a.env', required: false }] },
      { env_file: [{ path: 'a.env', required: false }] },
    ],
    ['tmpfs string then string', { tmpfs: '/a' }, { tmpfs: '/b' }, { tmpfs: ['/a', '/b'] }],
    ['cap_add unique', { cap_add: ['A', 'B'] }, { cap_add: ['B', 'C'] }, { cap_add: ['A', 'B', 'C'] }],
    ['profiles unique', { profiles: ['a'] }, { profiles: ['a', 'b'] }, { profiles: ['a', 'b'] }],
    [
      'expose unique across number and string',
      { expose: [80, '81'] },
      { expose: ['80', 82] },
      { expose: ['80', '81', 82] },
    ],
    [
      'ports unique by host_ip:published:target/protocol',
      { ports: ['8080:80', '127.0.0.1:9000:90', '53:53/udp', '7000'] },
      { ports: ['8080:80', '0.0.0.0:9000:90', '53:53/tcp', '7000'] },
      { ports: ['8080:80', '127.0.0.1:9000:90', '53:53/udp', '7000', '0.0.0.0:9000:90', '53:53/tcp'] },
    ],
    [
      'ports: a long-syntax override replaces the short entry it restates',
      { ports: ['8080:80', '[::1]:5432:5432'] },
      {
        ports: [
          { target: 80, published: '8080', mode: 'host' },
          { target: 5432, host_ip: '::1', published: 5432 },
        ],
      },
      {
        ports: [
          { target: 80, published: '8080', mode: 'host' },
          { target: 5432, host_ip: '::1', published: 5432 },
        ],
      },
    ],
    [
      'volumes unique by target, whatever the syntax',
      { volumes: ['data:/var/lib/db', './conf:/etc/app:ro'] },
      { volumes: [{ type: 'volume', source: 'other', target: '/var/lib/db' }, 'logs:/logs'] },
      {
        volumes: [
          { type: 'volume', source: 'other', target: '/var/lib/db' },
          './conf:/etc/app:ro',
          'logs:/logs',
        ],
      },
    ],
    [
      'secrets unique by mount path',
      { secrets: ['db', 'api'] },
      {
        secrets: [
          { source: 'db2', target: 'db' },
          { source: 'x', target: '/etc/x' },
        ],
      },
      { secrets: [{ source: 'db2', target: 'db' }, 'api', { source: 'x', target: '/etc/x' }] },
    ],
    [
      'configs unique by mount path (default /<name>)',
      { configs: ['app'] },
      { configs: [{ source: 'app2', target: '/app' }] },
      { configs: [{ source: 'app2', target: '/app' }] },
    ],
    [
      'devices unique by container path',
      { devices: ['/dev/a:/dev/x'] },
      { devices: ['/dev/b:/dev/x'] },
      { devices: ['/dev/b:/dev/x'] },
    ],
    [
      'depends_on: lists become maps with compose defaults',
      { depends_on: ['db', 'cache'] },
      { depends_on: { db: { condition: 'service_healthy' } } },
      {
        depends_on: {
          db: { condition: 'service_healthy', required: true },
          cache: { condition: 'service_started', required: true },
        },
      },
    ],
    [
      'networks: lists become maps, aliases unique',
      { networks: { front: { aliases: ['a'] }, back: null } },
      { networks: ['front', 'extra'] },
      { networks: { front: { aliases: ['a'] }, back: null, extra: null } },
    ],
    [
      'network aliases appended once',
      { networks: { front: { aliases: ['a', 'b'] } } },
      { networks: { front: { aliases: ['b', 'c'] } } },
      { networks: { front: { aliases: ['a', 'b', 'c'] } } },
    ],
    [
      'logging: same driver merges options',
      { logging: { driver: 'json-file', options: { 'max-size': '1m' } } },
      { logging: { driver: 'json-file', options: { 'max-file': '3' } } },
      { logging: { driver: 'json-file', options: { 'max-size': '1m', 'max-file': '3' } } },
    ],
    [
      'logging: another driver drops the old options',
      { logging: { driver: 'json-file', options: { 'max-size': '1m' } } },
      { logging: { driver: 'syslog', options: { tag: 'x' } } },
      { logging: { driver: 'syslog', options: { tag: 'x' } } },
    ],
    [
      'logging: no driver on one side merges',
      { logging: { driver: 'local', options: { a: '1' } } },
      { logging: { options: { b: '2' } } },
      { logging: { driver: 'local', options: { a: '1', b: '2' } } },
    ],
    [
      'ulimits: an entry is replaced whole',
      { ulimits: { nofile: { soft: 1, hard: 2 }, nproc: 5 } },
      { ulimits: { nofile: { soft: 3 } } },
      { ulimits: { nofile: { soft: 3 }, nproc: 5 } },
    ],
    [
      'other lists are appended',
      { security_opt: ['a'] },
      { security_opt: ['a', 'b'] },
      { security_opt: ['a', 'a', 'b'] },
    ],
    ['x- extensions merge like maps', { 'x-a': { b: 1 } }, { 'x-a': { c: 2 } }, { 'x-a': { b: 1, c: 2 } }],
  ])('%s', (_name, base, override, expected) => {
    expect(mergeWeb(base, override)).toEqual(expected);
  });
});

describe('mergeCompose: top-level keys', () => {
  it('merges networks, volumes and their labels; IPAM configs by subnet', () => {
    const merged = enforceUnicity(
      mergeCompose(
        {
          name: 'a',
          networks: {
            n: {
              labels: { x: '1' },
              ipam: { config: [{ subnet: '10.0.0.0/24', gateway: '10.0.0.1' }, { subnet: '10.9.0.0/24' }] },
            },
          },
          volumes: { v: { driver: 'local', labels: ['k=1'] } },
        },
        {
          name: 'b',
          networks: {
            n: { labels: ['x=2'], ipam: { config: [{ subnet: '10.0.0.0/24', ip_range: '10.0.0.0/28' }] } },
            m: null,
          },
          volumes: { v: { labels: { k: '2' } } },
        },
      ),
    );
    expect(merged).toEqual({
      name: 'b',
      networks: {
        n: {
          labels: ['x=2'],
          ipam: { config: [{ subnet: '10.0.0.0/24', gateway: '10.0.0.1', ip_range: '10.0.0.0/28' }] },
        },
        m: null,
      },
      volumes: { v: { driver: 'local', labels: ['k=2'] } },
    });
  });

  it('an IPAM config with another subnet replaces the old one', () => {
    const merged = mergeCompose(
      { networks: { n: { ipam: { config: [{ subnet: 'A' }] } } } },
      { networks: { n: { ipam: { config: [{ subnet: 'B' }] } } } },
    );
    expect(merged).toEqual({ networks: { n: { ipam: { config: [{ subnet: 'B' }] } } } });
  });

  it('starts from nothing: a first file is its own merge', () => {
    expect(mergeCompose(undefined, { services: { a: { image: 'x' } } })).toEqual({
      services: { a: { image: 'x' } },
    });
    expect(mergeCompose({}, { services: { a: { networks: ['n'] } } })).toEqual({
      services: { a: { networks: ['n'] } },
    });
  });

  it('never mutates its inputs and shares no containers with them', () => {
    const base = { services: { web: { environment: { A: '1' }, ports: ['80'] } } };
    const override = { services: { web: { ports: ['81'] }, db: { image: 'db' } } };
    const snapshot = JSON.stringify([base, override]);
    const merged = mergeCompose(base, override) as typeof base & { services: { db: unknown } };
    expect(JSON.stringify([base, override])).toBe(snapshot);
    expect(merged.services.web.environment).not.toBe(base.services.web.environment);
    expect(merged.services.db).not.toBe(override.services.db);
  });

  it('reports a list over a map (and the override wins)', () => {
    const problems: MergeProblem[] = [];
    const merged = mergeCompose(
      { services: { web: { cap_add: ['A'] } } },
      { services: { web: { cap_add: { B: 1 } } } },
      problems,
    );
    expect(web(merged).cap_add).toEqual({ B: 1 });
    expect(problems).toEqual([
      {
        path: ['services', 'web', 'cap_add'],
        message: 'cannot override services.web.cap_add: one file has a list, another a map',
      },
    ]);
  });
});

describe('mergeCompose: !reset and !override', () => {
  it.each([
    ['!reset drops the key', { ports: ['80:80'], image: 'a' }, { ports: resetMarker() }, { image: 'a' }],
    ['!reset of a key the base lacks', { image: 'a' }, { ports: resetMarker() }, { image: 'a' }],
    [
      '!override replaces without merging',
      { environment: { A: '1', B: '2' } },
      { environment: overrideMarker({ C: '3' }) },
      { environment: { C: '3' } },
    ],
    [
      '!override of a list',
      { ports: ['80:80', '443:443'] },
      { ports: overrideMarker(['8080:80']) },
      { ports: ['8080:80'] },
    ],
    [
      '!override deep inside',
      { deploy: { resources: { limits: { cpus: '1', memory: '1g' } } } },
      { deploy: { resources: { limits: overrideMarker({ cpus: '2' }) } } },
      { deploy: { resources: { limits: { cpus: '2' } } } },
    ],
    [
      '!reset inside a new subtree',
      { image: 'a' },
      { deploy: { labels: resetMarker(), replicas: 2 } },
      { image: 'a', deploy: { replicas: 2 } },
    ],
    [
      '!reset sequence items are dropped',
      { dns: ['a'] },
      { dns: ['b', resetMarker(), 'c'] },
      { dns: ['a', 'b', 'c'] },
    ],
  ])('%s', (_name, base, override, expected) => {
    expect(mergeWeb(base, override)).toEqual(expected);
  });

  it('a whole service can be reset', () => {
    const merged = mergeCompose(
      { services: { web: { image: 'a' }, db: { image: 'b' } } },
      { services: { web: resetMarker() } },
    );
    expect(merged).toEqual({ services: { db: { image: 'b' } } });
  });

  it('markers in the base are applied as if it were read alone', () => {
    const merged = mergeCompose(
      { services: { web: { image: 'a', ports: resetMarker(), labels: overrideMarker({ x: '1' }) } } },
      {},
    );
    expect(merged).toEqual({ services: { web: { image: 'a', labels: { x: '1' } } } });
  });
});

describe('mergeService (extends)', () => {
  it('applies the service rules without the services: wrapper', () => {
    expect(
      mergeService(
        { image: 'base', command: ['a'], environment: { A: '1' }, networks: ['n'] },
        { command: ['b'], environment: ['B=2'], networks: { m: null } },
      ),
    ).toEqual({ image: 'base', command: ['b'], environment: ['A=1', 'B=2'], networks: { n: null, m: null } });
  });
});

describe('enforceUnicity', () => {
  it('keeps entries it cannot identify, and says why', () => {
    const problems: MergeProblem[] = [];
    const tree = {
      services: { web: { volumes: [{ type: 'tmpfs' }, 'a:/a', 'b:/a'], environment: [{ A: 1 }] } },
    };
    expect(enforceUnicity(tree, problems)).toEqual({
      services: { web: { volumes: [{ type: 'tmpfs' }, 'b:/a'], environment: [{ A: 1 }] } },
    });
    expect(problems).toEqual([
      {
        path: ['services', 'web', 'volumes', 0],
        message: 'service volume services.web.volumes[0] is missing a mount target',
      },
      {
        path: ['services', 'web', 'environment', 0],
        message: 'services.web.environment[0]: expected a string, found a map',
      },
    ]);
  });

  it('leaves sequences elsewhere alone', () => {
    const tree = { services: { web: { command: ['a', 'a'] } }, include: ['x.yaml', 'x.yaml'] };
    expect(enforceUnicity(tree)).toEqual(tree);
  });
});

describe('volumeTarget', () => {
  it.each([
    ['/data', '/data'],
    ['data:/data', '/data'],
    ['./conf:/etc/conf:ro', '/etc/conf'],
    ['C:\\data:/data', '/data'],
    ['C:\\data:C:\\in', 'C:\\in'],
  ])('%s → %s', (spec, target) => {
    expect(volumeTarget(spec)).toBe(target);
  });
});

// Generated inputs (fast-check) with a fixed seed, so that a failure reproduces.
const params = { seed: 20261123, numRuns: 100 };

/** Compose-ish trees: the keys where merge rules apply, with scalar, list and map values. */
const scalar = fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.boolean(), fc.constant(null));
const entry = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc
    .tuple(fc.stringMatching(/^[a-z]{1,4}$/), fc.stringMatching(/^[a-z0-9]{0,4}$/))
    .map(([k, v]) => `${k}=${v}`),
);
const value = fc.oneof(
  scalar,
  fc.array(entry, { maxLength: 4 }),
  fc.dictionary(fc.stringMatching(/^[a-z]{1,4}$/), scalar, { maxKeys: 3 }),
);
const serviceKeys = ['image', 'command', 'environment', 'labels', 'dns', 'cap_add', 'profiles', 'x-extra'];
const service = fc.record(Object.fromEntries(serviceKeys.map((k) => [k, value])), { requiredKeys: [] });
const project = fc.record(
  { services: fc.dictionary(fc.constantFrom('web', 'db', 'cache'), service, { maxKeys: 2 }) },
  { requiredKeys: [] },
);

describe('mergeCompose / enforceUnicity properties', () => {
  it('merging with an empty override changes nothing', () => {
    fc.assert(
      fc.property(project, (p) => {
        expect(mergeCompose(p, {})).toEqual(p);
      }),
      params,
    );
  });

  it('a file merged onto nothing is itself', () => {
    fc.assert(
      fc.property(project, (p) => {
        expect(mergeCompose({}, p)).toEqual(p);
      }),
      params,
    );
  });

  it('enforceUnicity is idempotent', () => {
    fc.assert(
      fc.property(project, project, (a, b) => {
        const once = enforceUnicity(mergeCompose(a, b));
        expect(enforceUnicity(once)).toEqual(once);
      }),
      params,
    );
  });

  it('never mutates its inputs', () => {
    fc.assert(
      fc.property(project, project, (a, b) => {
        const before = JSON.stringify([a, b]);
        enforceUnicity(mergeCompose(a, b));
        expect(JSON.stringify([a, b])).toBe(before);
      }),
      params,
    );
  });

  it('every service of either file is in the result', () => {
    fc.assert(
      fc.property(project, project, (a, b) => {
        const merged = mergeCompose(a, b) as { services?: Record<string, unknown> };
        const names = new Set([...Object.keys(a.services ?? {}), ...Object.keys(b.services ?? {})]);
        expect(new Set(Object.keys(merged.services ?? {}))).toEqual(names);
      }),
      params,
    );
  });
});
