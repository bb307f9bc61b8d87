import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { desiredState } from '../desired/desired-state.js';
import { proj, svc } from '../desired/test-builders.js';
import { serviceHash } from '../hash/service-hash.js';
import { loadProject } from '../load/load-project.js';
import type { Service } from '../model/project.js';
import { serviceDocument } from './document.js';
import { RenderError } from './errors.js';
import {
  listImages,
  listNetworks,
  listProfiles,
  listServices,
  listVolumes,
  renderConfig,
  renderHashes,
} from './render-config.js';
import { formatBytes, formatDuration, formatFileMode } from './units.js';

const S = 1_000_000_000;

describe('formatDuration (Go time.Duration.String)', () => {
  it.each([
    [0, '0s'],
    [S, '1s'],
    [90 * S, '1m30s'],
    [60 * S, '1m0s'],
    [3600 * S, '1h0m0s'],
    [3723 * S, '1h2m3s'],
    [1.5 * S, '1.5s'],
    [500_000_000, '500ms'],
    [1_500_000, '1.5ms'],
    [2_000, '2µs'],
    [999, '999ns'],
    [100_000_000_123, '1m40.000000123s'],
    [-5 * S, '-5s'],
  ])('%d ns → %s', (ns, text) => {
    expect(formatDuration(ns)).toBe(text);
  });

  it('bytes and file modes print as compose prints them', () => {
    expect(formatBytes(52_428_800)).toBe('52428800');
    expect(formatFileMode(0o440)).toBe('0440');
    expect(formatFileMode(0o755)).toBe('0755');
  });
});

/** One service rendered as compose's JSON shapes. */
function rendered(fields: Partial<Service>): Record<string, unknown> {
  return serviceDocument(svc('web', fields));
}

describe('service rendering, one field per row', () => {
  it.each<[string, Partial<Service>, string, unknown]>([
    [
      'ports as long syntax',
      { ports: [{ mode: 'ingress', target: 80, published: '8080', protocol: 'tcp', host_ip: '127.0.0.1' }] },
      'ports',
      [{ mode: 'ingress', host_ip: '127.0.0.1', target: 80, published: '8080', protocol: 'tcp' }],
    ],
    [
      'volumes as long syntax',
      {
        volumes: [
          { type: 'bind', source: '/srv/x', target: '/x', read_only: true, bind: { create_host_path: true } },
          { type: 'volume', source: 'data', target: '/data', volume: {} },
          { type: 'tmpfs', target: '/t', tmpfs: { size: 10_000 } },
        ],
      },
      'volumes',
      [
        { type: 'bind', source: '/srv/x', target: '/x', read_only: true, bind: { create_host_path: true } },
        { type: 'volume', source: 'data', target: '/data', volume: {} },
        { type: 'tmpfs', target: '/t', tmpfs: { size: '10000' } },
      ],
    ],
    [
      'depends_on with condition, required and restart only when true',
      {
        depends_on: {
          db: { condition: 'service_healthy', required: true, restart: true },
          cache: { condition: 'service_started', required: false, restart: false },
        },
      },
      'depends_on',
      {
        cache: { condition: 'service_started', required: false },
        db: { condition: 'service_healthy', required: true, restart: true },
      },
    ],
    [
      'environment as a sorted map, null kept',
      { environment: { Z: '1', A: null } },
      'environment',
      { A: null, Z: '1' },
    ],
    [
      'healthcheck durations in Go form',
      {
        healthcheck: {
          test: ['CMD', 'true'],
          interval: 90 * S,
          timeout: S,
          start_period: 15 * S,
          retries: 3,
        },
      },
      'healthcheck',
      { test: ['CMD', 'true'], timeout: '1s', interval: '1m30s', retries: 3, start_period: '15s' },
    ],
    ['stop_grace_period', { stop_grace_period: 20 * S }, 'stop_grace_period', '20s'],
    ['mem_limit in bytes', { mem_limit: 536_870_912 }, 'mem_limit', '536870912'],
    ['shm_size in bytes', { shm_size: 67_108_864 }, 'shm_size', '67108864'],
    [
      'extra_hosts as host=ip',
      { extra_hosts: { somehost: ['162.242.195.82'], otherhost: ['50.31.209.229'] } },
      'extra_hosts',
      ['otherhost=50.31.209.229', 'somehost=162.242.195.82'],
    ],
    [
      'ulimits: single number when soft = hard',
      { ulimits: { nproc: { soft: 65535, hard: 65535 }, nofile: { soft: 20000, hard: 40000 } } },
      'ulimits',
      { nofile: { soft: 20000, hard: 40000 }, nproc: 65535 },
    ],
    [
      'deploy durations and sizes',
      {
        deploy: {
          replicas: 2,
          resources: { limits: { cpus: 0.5, memory: 52_428_800 } },
          restart_policy: { condition: 'on-failure', delay: 5 * S, max_attempts: 3, window: 120 * S },
          update_config: { parallelism: 2, delay: 10 * S, monitor: 60 * S, order: 'start-first' },
        },
      },
      'deploy',
      {
        replicas: 2,
        update_config: { parallelism: 2, delay: '10s', monitor: '1m0s', order: 'start-first' },
        resources: { limits: { cpus: 0.5, memory: '52428800' } },
        restart_policy: { condition: 'on-failure', delay: '5s', max_attempts: 3, window: '2m0s' },
      },
    ],
    [
      'secrets with octal mode',
      { secrets: [{ source: 's', target: 'my_secret', uid: '103', gid: '103', mode: 0o440 }] },
      'secrets',
      [{ source: 's', target: 'my_secret', uid: '103', gid: '103', mode: '0440' }],
    ],
    [
      'networks map with null and attachments',
      { networks: { front: { aliases: ['a'] }, back: null } },
      'networks',
      { back: null, front: { aliases: ['a'] } },
    ],
    [
      'logging',
      { logging: { driver: 'syslog', options: { 'syslog-address': 'tcp://1.2.3.4:123' } } },
      'logging',
      { driver: 'syslog', options: { 'syslog-address': 'tcp://1.2.3.4:123' } },
    ],
    ['extensions printed as x- keys', { extensions: { 'x-foo': 'bar' } }, 'x-foo', 'bar'],
    ['name is not printed', {}, 'name', undefined],
    ['scale equal to default is not printed', { scale: 1 }, 'scale', undefined],
    ['scale printed when not 1', { scale: 3 }, 'scale', 3],
  ])('%s', (_what, fields, key, expected) => {
    expect(rendered(fields)[key]).toEqual(expected);
  });

  it('keys follow compose order, extensions last', () => {
    const keys = Object.keys(
      rendered({
        command: ['x'],
        cap_add: ['ALL'],
        environment: { A: '1' },
        image: 'redis',
        volumes: [{ type: 'volume', target: '/v' }],
        extensions: { 'x-a': 1 },
      }),
    );
    expect(keys).toEqual(['cap_add', 'command', 'environment', 'image', 'networks', 'volumes', 'x-a']);
  });
});

describe('renderConfig', () => {
  const project = proj(
    [
      svc('web', { environment: { GREETING: 'yes' }, profiles: ['front'] }),
      svc('db', { volumes: [{ type: 'volume', source: 'data', target: '/var/lib/db' }] }),
      svc('app', { image: undefined, build: { context: '/srv/demo/app' } }),
    ],
    {
      volumes: { data: { name: 'demo_data', labels: {}, extensions: {} } },
      secrets: {
        token: { name: 'demo_token', content: 's3cr3t-value', extensions: {} },
        file: { name: 'demo_file', file: '/srv/demo/secret.txt', extensions: {} },
      },
      disabled_services: { debug: svc('debug', { profiles: ['debug', 'tools'] }) },
      extensions: { 'x-top': { a: 1 } },
    },
  );

  it('YAML: top-level order name, services, networks, volumes, secrets, extensions', () => {
    const doc = parse(renderConfig(project)) as Record<string, unknown>;
    expect(Object.keys(doc)).toEqual(['name', 'services', 'networks', 'volumes', 'secrets', 'x-top']);
    expect(Object.keys(doc.services as object)).toEqual(['app', 'db', 'web']);
  });

  it('YAML quotes strings YAML 1.1 readers would take for booleans', () => {
    expect(renderConfig(project)).toContain('GREETING: "yes"');
  });

  it('JSON and YAML carry the same document, with compose-go’s JSON differences', () => {
    const json = JSON.parse(renderConfig(project, { format: 'json' }));
    const yaml = parse(renderConfig(project));
    // JSON: every network has an ipam, every service a command and an entrypoint (null when unset), and
    // nested x-* keys are left out (compose-go's JSON tags); the rest is the same document.
    for (const n of Object.values(yaml.networks as Record<string, Record<string, unknown>>)) n.ipam ??= {};
    for (const s of Object.values(yaml.services as Record<string, Record<string, unknown>>)) {
      s.command ??= null;
      s.entrypoint ??= null;
      for (const k of Object.keys(s)) if (k.startsWith('x-')) delete s[k];
    }
    expect(json).toEqual(yaml);
  });

  it('prints config contents (they are not secret)', () => {
    const withConfig = proj([svc('web')], {
      configs: { motd: { name: 'demo_motd', content: 'hello there', extensions: {} } },
    });
    expect(renderConfig(withConfig)).toContain('content: hello there');
  });

  it('never prints secret contents unless asked', () => {
    expect(renderConfig(project)).not.toContain('s3cr3t-value');
    expect(renderConfig(project, { format: 'json' })).not.toContain('s3cr3t-value');
    expect(renderConfig(project, { showSecretContent: true })).toContain('s3cr3t-value');
  });

  it('escapes literal $ as $$ so the output loads back to the same values', async () => {
    const literal = ['echo $HOME $', '{PATH}'].join('');
    const withDollar = proj([svc('web', { command: ['sh', '-c', literal], environment: { P: 'a$b' } })]);
    const yaml = renderConfig(withDollar);
    expect(yaml).toContain(literal.replaceAll('$', '$$$$'));
    expect(yaml).toContain('echo $$HOME');
    expect(renderConfig(withDollar, { escapeDollars: false })).toContain(literal);
    const again = await loadProject({
      workingDir: '/srv/demo',
      inline: [{ content: yaml }],
      env: { HOME: '/x' },
    });
    if (!again.ok) throw new Error(JSON.stringify(again.errors));
    expect(again.project.services.web?.command).toEqual(['sh', '-c', literal]);
    expect(again.project.services.web?.environment).toEqual({ P: 'a$b' });
    expect(serviceHash(again.project.services.web as Service)).toBe(
      serviceHash(withDollar.services.web as Service),
    );
  });

  it('prints shared objects in full, never as YAML anchors', () => {
    const command = ['sh', '-c', 'true'];
    const shared = proj([svc('a', { command }), svc('b', { command })]);
    const yaml = renderConfig(shared);
    expect(yaml).not.toMatch(/[&*]a\d/);
    expect((parse(yaml) as { services: Record<string, { command: string[] }> }).services.b?.command).toEqual(
      command,
    );
  });

  it('is deterministic', () => {
    expect(renderConfig(project)).toBe(renderConfig(structuredClone(project)));
  });

  it('--hash prints <service> <hash> lines matching the config-hash label', () => {
    const withSecret = structuredClone(project);
    if (withSecret.services.web) withSecret.services.web.secrets = [{ source: 'file' }];
    const labels = Object.fromEntries(desiredState(withSecret).services.map((s) => [s.name, s.hash]));
    expect(renderConfig(withSecret, { hash: ['*'] })).toBe(
      ['app', 'db', 'web'].map((n) => `${n} ${labels[n]}\n`).join(''),
    );
    expect(renderHashes(withSecret, ['web'])).toBe(`web ${labels.web}\n`);
    expect(labels.web).toBe(serviceHash(withSecret.services.web as Service, withSecret));
  });

  it('selecting services keeps them, their dependencies and only the resources they use', () => {
    const p = proj(
      [
        svc('web', {
          depends_on: { api: { condition: 'service_started', required: true, restart: false } },
          networks: { front: null },
        }),
        svc('api', { volumes_from: ['store'], networks: { back: null } }),
        svc('store', {
          volumes: [{ type: 'volume', source: 'data', target: '/d' }],
          networks: { back: null },
        }),
        svc('other', { volumes: [{ type: 'volume', source: 'logs', target: '/l' }] }),
      ],
      {
        networks: {
          default: { name: 'demo_default', labels: {}, extensions: {} },
          front: { name: 'demo_front', labels: {}, extensions: {} },
          back: { name: 'demo_back', labels: {}, extensions: {} },
        },
        volumes: {
          data: { name: 'demo_data', labels: {}, extensions: {} },
          logs: { name: 'demo_logs', labels: {}, extensions: {} },
        },
      },
    );
    const doc = parse(renderConfig(p, { services: ['web'] })) as Record<string, Record<string, unknown>>;
    expect(Object.keys(doc.services ?? {})).toEqual(['api', 'store', 'web']);
    expect(Object.keys(doc.networks ?? {})).toEqual(['back', 'front']);
    expect(Object.keys(doc.volumes ?? {})).toEqual(['data']);
    expect(renderConfig(p, { services: ['store'], hash: ['*'] }).split('\n')[0]).toMatch(
      /^store [0-9a-f]{64}$/,
    );
    expect(() => renderConfig(p, { services: ['nope'] })).toThrow(RenderError);
  });

  it('--hash with an unknown service is a typed error', () => {
    expect(() => renderHashes(project, ['nope'])).toThrow(RenderError);
  });

  it.each([
    ['services', listServices, ['app', 'db', 'web']],
    ['volumes', listVolumes, ['data']],
    ['networks', listNetworks, ['default']],
    ['profiles (including disabled services)', listProfiles, ['debug', 'front', 'tools']],
    [
      'images (build-only → <project>-<service>)',
      listImages,
      ['demo-app', 'orc-fixture/busybox:1', 'orc-fixture/busybox:1'],
    ],
  ])('listing %s', (_what, list, expected) => {
    expect(list(project)).toEqual(expected);
  });
});
