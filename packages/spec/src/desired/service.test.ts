import { describe, expect, it } from 'vitest';
import { Labels } from '../model/labels.js';
import type { Project, Service } from '../model/project.js';
import { desiredState } from './desired-state.js';
import { proj, svc } from './test-builders.js';

const S = 1_000_000_000;

function service(fields: Partial<Service>, others: Service[] = [], projectFields: Partial<Project> = {}) {
  const state = desiredState(proj([svc('web', fields), ...others], projectFields));
  const web = state.services.find((s) => s.name === 'web');
  if (!web) throw new Error('no web');
  return web;
}

const networks: Partial<Project> = {
  networks: {
    default: { name: 'demo_default', labels: {}, extensions: {} },
    front: { name: 'demo_front', labels: {}, extensions: {} },
    back: { name: 'demo_back', labels: {}, extensions: {} },
    outside: { name: 'corp-net', external: true, labels: {}, extensions: {} },
  },
};

describe('desired service fields', () => {
  it.each<[string, Partial<Service>, (s: ReturnType<typeof service>) => unknown, unknown]>([
    [
      'image defaults to <project>-<service> with build only',
      { image: undefined, build: { context: '/srv/demo' } },
      (s) => s.image,
      'demo-web',
    ],
    [
      'pull_policy build when only build: is given',
      { image: undefined, build: { context: '/srv/demo' } },
      (s) => s.pull_policy,
      'build',
    ],
    ['pull_policy default missing', {}, (s) => s.pull_policy, 'missing'],
    ['pull_policy as given', { pull_policy: 'always' }, (s) => s.pull_policy, 'always'],
    [
      'pull_policy if_not_present → missing',
      { pull_policy: 'if_not_present' },
      (s) => s.pull_policy,
      'missing',
    ],
    ['stop_grace_period default 10 s', {}, (s) => s.stop_grace_period, 10],
    ['stop_grace_period in seconds', { stop_grace_period: 90 * S }, (s) => s.stop_grace_period, 90],
    [
      'stop_grace_period rounded up to whole seconds',
      { stop_grace_period: 1.5 * S },
      (s) => s.stop_grace_period,
      2,
    ],
    ['stop_signal', { stop_signal: 'SIGQUIT' }, (s) => s.stop_signal, 'SIGQUIT'],
    ['platform', { platform: 'linux/amd64' }, (s) => s.platform, 'linux/amd64'],
    ['has_healthcheck true', { healthcheck: { test: ['CMD', 'true'] } }, (s) => s.has_healthcheck, true],
    [
      'has_healthcheck false when disabled',
      { healthcheck: { disable: true } },
      (s) => s.has_healthcheck,
      false,
    ],
    ['has_healthcheck false for NONE', { healthcheck: { test: ['NONE'] } }, (s) => s.has_healthcheck, false],
    ['has_healthcheck false without one', {}, (s) => s.has_healthcheck, false],
    [
      'x-orc restart_on_unhealthy',
      { extensions: { 'x-orc': { restart_on_unhealthy: true } } },
      (s) => s.orc,
      { restart_on_unhealthy: true },
    ],
    ['no x-orc → empty extension', {}, (s) => s.orc, {}],
    ['replicas from deploy.replicas', { deploy: { replicas: 4 } }, (s) => s.replicas, 4],
    ['replicas 0 → no containers', { scale: 0 }, (s) => s.containers.length, 0],
    [
      'fixed_host_ports only for pinned ports',
      {
        ports: [
          { mode: 'ingress', target: 80, published: '8080', protocol: 'tcp' },
          { mode: 'ingress', target: 81, protocol: 'tcp' },
          { mode: 'ingress', target: 53, published: '53', protocol: 'udp', host_ip: '127.0.0.1' },
        ],
      },
      (s) => s.fixed_host_ports,
      ['127.0.0.1:53/udp', '8080/tcp'],
    ],
    [
      'restart_policy in ms with defaults',
      { deploy: { restart_policy: { condition: 'on-failure', max_attempts: 3, window: 120 * S } } },
      (s) => s.restart_policy,
      { condition: 'on-failure', delay_ms: 5000, max_attempts: 3, window_ms: 120_000 },
    ],
    [
      'update_config in ms with defaults',
      { deploy: { update_config: { order: 'start-first', delay: 10 * S } } },
      (s) => s.update_config,
      { order: 'start-first', parallelism: 1, delay_ms: 10_000, failure_action: 'pause' },
    ],
    [
      'depends_on filled in',
      { depends_on: { db: { condition: 'service_healthy', required: false, restart: true } } },
      (s) => s.depends_on,
      { db: { condition: 'service_healthy', required: false, restart: true } },
    ],
    [
      'volumes lists named volume keys only',
      {
        volumes: [
          { type: 'volume', source: 'data', target: '/a' },
          { type: 'volume', target: '/anon' },
          { type: 'bind', source: '/x', target: '/b' },
          { type: 'volume', source: 'data', target: '/c' },
        ],
      },
      (s) => s.volumes,
      ['data'],
    ],
  ])('%s', (_what, fields, pick, expected) => {
    expect(pick(service(fields, [svc('db')]))).toEqual(expected);
  });

  it('uses lists network_mode service and volumes_from services', () => {
    const s = service(
      { network_mode: 'service:db', networks: {}, volumes_from: ['cache:ro', 'container:x'] },
      [svc('db'), svc('cache')],
    );
    expect(s.uses).toEqual(['cache', 'db']);
  });

  it('--scale wins over scale', () => {
    const state = desiredState(proj([svc('web', { scale: 2 })]), { scale: { web: 5 } });
    expect(state.services[0]?.replicas).toBe(5);
  });

  it('build carries tags with the image first and names null args to read from the client env', () => {
    const s = service({
      image: 'me/web:1',
      build: {
        context: '/srv/demo',
        dockerfile: 'Dockerfile.dev',
        args: { A: '1', FROM_ENV: null },
        tags: ['me/web:latest'],
      },
    });
    expect(s.build).toEqual({
      context: '/srv/demo',
      dockerfile: 'Dockerfile.dev',
      args: { A: '1' },
      labels: {},
      extra_hosts: [],
      cache_from: [],
      no_cache: false,
      pull: false,
      tags: ['me/web:1', 'me/web:latest'],
      platforms: [],
      args_from_env: ['FROM_ENV'],
    });
  });
});

describe('network endpoints', () => {
  it('orders by priority, then by key; NetworkingConfig holds the first only', () => {
    const s = service(
      { networks: { front: null, back: { priority: 10, aliases: ['api'] }, default: null } },
      [],
      networks,
    );
    const c = s.containers[0];
    expect(c?.endpoints.map((e) => e.key)).toEqual(['back', 'default', 'front']);
    expect(c?.create.HostConfig.NetworkMode).toBe('demo_back');
    expect(Object.keys(c?.create.NetworkingConfig?.EndpointsConfig ?? {})).toEqual(['demo_back']);
    expect(s.networks).toEqual(['back', 'default', 'front']);
  });

  it('aliases: container name, service name, then declared aliases', () => {
    const s = service({ networks: { front: { aliases: ['www', 'web'] } } }, [], networks);
    expect(s.containers[0]?.endpoints[0]?.aliases).toEqual(['demo-web-1', 'web', 'www']);
    expect(s.containers[0]?.create.NetworkingConfig?.EndpointsConfig.demo_front?.Aliases).toEqual([
      'demo-web-1',
      'web',
      'www',
    ]);
  });

  it('static addresses go to IPAMConfig', () => {
    const s = service(
      { networks: { front: { ipv4_address: '172.20.0.5', mac_address: '02:42:ac:14:00:05' } } },
      [],
      networks,
    );
    expect(s.containers[0]?.create.NetworkingConfig?.EndpointsConfig.demo_front).toEqual({
      Aliases: ['demo-web-1', 'web'],
      IPAMConfig: { IPv4Address: '172.20.0.5' },
      MacAddress: '02:42:ac:14:00:05',
    });
    expect(s.containers[0]?.endpoints[0]?.ipv4_address).toBe('172.20.0.5');
  });

  it('every endpoint carries its exact EndpointConfig (for connect after create)', () => {
    const s = service(
      {
        networks: {
          front: { priority: 5 },
          back: {
            mac_address: '02:42:ac:14:00:09',
            link_local_ips: ['169.254.1.1'],
            driver_opts: { b: '2', a: '1' },
          },
        },
      },
      [],
      networks,
    );
    const [first, second] = s.containers[0]?.endpoints ?? [];
    expect(first?.settings).toEqual(s.containers[0]?.create.NetworkingConfig?.EndpointsConfig.demo_front);
    expect(second?.settings).toEqual({
      Aliases: ['demo-web-1', 'web'],
      IPAMConfig: { LinkLocalIPs: ['169.254.1.1'] },
      MacAddress: '02:42:ac:14:00:09',
      DriverOpts: { a: '1', b: '2' },
    });
  });

  it('external network keeps its own name', () => {
    const s = service({ networks: { outside: null } }, [], networks);
    expect(s.containers[0]?.create.HostConfig.NetworkMode).toBe('corp-net');
  });
});

describe('networks and volumes', () => {
  const project = proj(
    [
      svc('web', {
        networks: { front: null, outside: null },
        volumes: [
          { type: 'volume', source: 'data', target: '/data' },
          { type: 'volume', source: 'ext', target: '/ext' },
        ],
      }),
    ],
    {
      ...networks,
      networks: {
        ...networks.networks,
        front: {
          name: 'demo_front',
          driver: 'bridge',
          internal: true,
          driver_opts: { 'com.docker.network.bridge.name': 'br-front' },
          ipam: { config: [{ subnet: '172.30.0.0/16', gateway: '172.30.0.1' }] },
          labels: { team: 'a' },
          extensions: {},
        },
      },
      volumes: {
        data: {
          name: 'demo_data',
          driver: 'local',
          driver_opts: { type: 'tmpfs' },
          labels: { keep: 'yes' },
          extensions: {},
        },
        ext: { name: 'precious', external: true, labels: {}, extensions: {} },
        unused: { name: 'demo_unused', labels: {}, extensions: {} },
      },
    },
  );
  const state = desiredState(project);

  it('only the networks and volumes services use, sorted by key', () => {
    expect(state.networks.map((n) => n.key)).toEqual(['front', 'outside']);
    expect(state.volumes.map((v) => v.key)).toEqual(['data', 'ext']);
  });

  it('marks externals and keeps their names', () => {
    expect(state.networks.find((n) => n.key === 'outside')).toMatchObject({
      name: 'corp-net',
      external: true,
    });
    expect(state.volumes.find((v) => v.key === 'ext')).toMatchObject({ name: 'precious', external: true });
  });

  it('network create body', () => {
    const front = state.networks.find((n) => n.key === 'front');
    expect(front?.create).toEqual({
      Name: 'demo_front',
      CheckDuplicate: true,
      Driver: 'bridge',
      Internal: true,
      Options: { 'com.docker.network.bridge.name': 'br-front' },
      IPAM: { Config: [{ Subnet: '172.30.0.0/16', Gateway: '172.30.0.1' }] },
      Labels: {
        [Labels.project]: 'demo',
        [Labels.network]: 'front',
        [Labels.version]: '2.30.0',
        [Labels.orcConfigHash]: front?.hash,
        [Labels.orcManaged]: 'true',
        [Labels.orcVersion]: '0.1.0',
        team: 'a',
      },
    });
    expect(front?.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('volume create body', () => {
    const data = state.volumes.find((v) => v.key === 'data');
    expect(data?.create).toEqual({
      Name: 'demo_data',
      Driver: 'local',
      DriverOpts: { type: 'tmpfs' },
      Labels: {
        [Labels.project]: 'demo',
        [Labels.volume]: 'data',
        [Labels.version]: '2.30.0',
        [Labels.orcConfigHash]: data?.hash,
        [Labels.orcManaged]: 'true',
        [Labels.orcVersion]: '0.1.0',
        keep: 'yes',
      },
    });
  });

  it('network hash changes with its config, not with unrelated services', () => {
    const before = state.networks.find((n) => n.key === 'front')?.hash;
    const more = desiredState({ ...project, services: { ...project.services, extra: svc('extra') } });
    expect(more.networks.find((n) => n.key === 'front')?.hash).toBe(before);
    const changed = structuredClone(project);
    if (changed.networks.front) changed.networks.front.internal = false;
    expect(desiredState(changed).networks.find((n) => n.key === 'front')?.hash).not.toBe(before);
  });

  it('volume hash changes with driver options', () => {
    const before = state.volumes.find((v) => v.key === 'data')?.hash;
    const changed = structuredClone(project);
    if (changed.volumes.data) changed.volumes.data.driver_opts = { type: 'nfs' };
    expect(desiredState(changed).volumes.find((v) => v.key === 'data')?.hash).not.toBe(before);
  });
});
