import { describe, expect, it } from 'vitest';
import type { Project, Service } from '../model/project.js';
import { desiredState } from './desired-state.js';
import { proj, svc } from './test-builders.js';

const S = 1_000_000_000;

/** The first container's create body of `web` in a project built from these fields. */
function body(fields: Partial<Service>, others: Service[] = [], projectFields: Partial<Project> = {}) {
  const state = desiredState(proj([svc('web', fields), ...others], projectFields));
  const web = state.services.find((s) => s.name === 'web');
  const container = web?.containers[0];
  if (!container) throw new Error('no container for web');
  return container.create;
}

function at(value: unknown, path: string): unknown {
  let cur: unknown = value;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

const volumesProject: Partial<Project> = {
  volumes: {
    data: { name: 'demo_data', labels: {}, extensions: {} },
    shared: { name: 'shared-by-name', labels: {}, extensions: {} },
  },
};

// [what, service fields, path in the create body, expected]
const cases: Array<[string, Partial<Service>, string, unknown]> = [
  ['image as given', { image: 'redis:7' }, 'Image', 'redis:7'],
  ['command → Cmd', { command: ['sh', '-c', 'echo hi'] }, 'Cmd', ['sh', '-c', 'echo hi']],
  ['no command → no Cmd', {}, 'Cmd', undefined],
  ['null command → no Cmd', { command: null }, 'Cmd', undefined],
  ['entrypoint → Entrypoint', { entrypoint: ['/init', '--'] }, 'Entrypoint', ['/init', '--']],
  ['env sorted K=V', { environment: { Z: '1', A: 'x=y', M: '' } }, 'Env', ['A=x=y', 'M=', 'Z=1']],
  ['null env value omitted', { environment: { A: '1', UNSET: null } }, 'Env', ['A=1']],
  ['no env → no Env', {}, 'Env', undefined],
  [
    'ports and expose → ExposedPorts',
    {
      ports: [{ mode: 'ingress', target: 80, published: '8080', protocol: 'tcp' }],
      expose: ['3000', '53/udp', '9000-9001'],
    },
    'ExposedPorts',
    { '53/udp': {}, '80/tcp': {}, '3000/tcp': {}, '9000/tcp': {}, '9001/tcp': {} },
  ],
  [
    'published port → PortBindings',
    { ports: [{ mode: 'ingress', target: 80, published: '8080', protocol: 'tcp' }] },
    'HostConfig.PortBindings',
    { '80/tcp': [{ HostPort: '8080' }] },
  ],
  [
    'host_ip and udp',
    { ports: [{ mode: 'ingress', target: 53, published: '5353', protocol: 'udp', host_ip: '127.0.0.1' }] },
    'HostConfig.PortBindings',
    { '53/udp': [{ HostIp: '127.0.0.1', HostPort: '5353' }] },
  ],
  [
    'unpublished port → ephemeral host port',
    { ports: [{ mode: 'ingress', target: 80, protocol: 'tcp' }] },
    'HostConfig.PortBindings',
    { '80/tcp': [{ HostPort: '' }] },
  ],
  [
    'same target published twice',
    {
      ports: [
        { mode: 'ingress', target: 80, published: '8080', protocol: 'tcp' },
        { mode: 'ingress', target: 80, published: '8081', protocol: 'tcp', host_ip: '::1' },
      ],
    },
    'HostConfig.PortBindings',
    { '80/tcp': [{ HostPort: '8080' }, { HostIp: '::1', HostPort: '8081' }] },
  ],
  [
    'published range',
    { ports: [{ mode: 'ingress', target: 80, published: '8000-8010', protocol: 'tcp' }] },
    'HostConfig.PortBindings',
    { '80/tcp': [{ HostPort: '8000-8010' }] },
  ],
  [
    'named volume → Mount with engine name',
    { volumes: [{ type: 'volume', source: 'data', target: '/data' }] },
    'HostConfig.Mounts',
    [{ Type: 'volume', Source: 'demo_data', Target: '/data' }],
  ],
  [
    'volume with name: → that name',
    {
      volumes: [
        { type: 'volume', source: 'shared', target: '/s', read_only: true, volume: { nocopy: true } },
      ],
    },
    'HostConfig.Mounts',
    [
      {
        Type: 'volume',
        Source: 'shared-by-name',
        Target: '/s',
        ReadOnly: true,
        VolumeOptions: { NoCopy: true },
      },
    ],
  ],
  [
    'anonymous volume → Mount without source',
    { volumes: [{ type: 'volume', target: '/cache' }] },
    'HostConfig.Mounts',
    [{ Type: 'volume', Target: '/cache' }],
  ],
  [
    'tmpfs volume → Tmpfs map with size and mode (Engine 20.10 breaks volumes_from on tmpfs Mounts)',
    { volumes: [{ type: 'tmpfs', target: '/scratch', tmpfs: { size: 10_000, mode: 0o1777 } }] },
    'HostConfig.Tmpfs',
    { '/scratch': 'size=10000,mode=1777' },
  ],
  [
    'tmpfs volume and tmpfs list share the Tmpfs map',
    { tmpfs: ['/run'], volumes: [{ type: 'tmpfs', target: '/cache', read_only: true }] },
    'HostConfig.Tmpfs',
    { '/cache': 'ro', '/run': '' },
  ],
  [
    'tmpfs volume is not in Mounts',
    { volumes: [{ type: 'tmpfs', target: '/t' }] },
    'HostConfig.Mounts',
    undefined,
  ],
  [
    'short-syntax bind (create_host_path) → Binds',
    {
      volumes: [
        { type: 'bind', source: '/srv/demo/conf', target: '/conf', bind: { create_host_path: true } },
      ],
    },
    'HostConfig.Binds',
    ['/srv/demo/conf:/conf:rw'],
  ],
  [
    'read-only bind with selinux → Binds',
    {
      volumes: [
        {
          type: 'bind',
          source: '/srv/demo/conf',
          target: '/conf',
          read_only: true,
          bind: { create_host_path: true, selinux: 'z' },
        },
      ],
    },
    'HostConfig.Binds',
    ['/srv/demo/conf:/conf:ro,z'],
  ],
  [
    'named volume relabelled with :z → Binds with its engine name (Mounts cannot relabel)',
    {
      volumes: [
        { type: 'volume', source: 'data', target: '/data', bind: { selinux: 'z' }, volume: { nocopy: true } },
      ],
    },
    'HostConfig.Binds',
    ['demo_data:/data:rw,z,nocopy'],
  ],
  [
    'long-syntax bind that must not create its source → Mounts',
    { volumes: [{ type: 'bind', source: '/opt/data', target: '/data', bind: { propagation: 'rshared' } }] },
    'HostConfig.Mounts',
    [{ Type: 'bind', Source: '/opt/data', Target: '/data', BindOptions: { Propagation: 'rshared' } }],
  ],
  ['no restart → no', {}, 'HostConfig.RestartPolicy', { Name: 'no' }],
  ['restart always', { restart: 'always' }, 'HostConfig.RestartPolicy', { Name: 'always' }],
  [
    'restart unless-stopped',
    { restart: 'unless-stopped' },
    'HostConfig.RestartPolicy',
    { Name: 'unless-stopped' },
  ],
  [
    'restart on-failure:5',
    { restart: 'on-failure:5' },
    'HostConfig.RestartPolicy',
    { Name: 'on-failure', MaximumRetryCount: 5 },
  ],
  ['restart on-failure', { restart: 'on-failure' }, 'HostConfig.RestartPolicy', { Name: 'on-failure' }],
  [
    'default logging is bounded json-file',
    {},
    'HostConfig.LogConfig',
    { Type: 'json-file', Config: { 'max-file': '3', 'max-size': '10m' } },
  ],
  [
    'service logging wins',
    { logging: { driver: 'syslog', options: { 'syslog-address': 'udp://1.2.3.4:514' } } },
    'HostConfig.LogConfig',
    { Type: 'syslog', Config: { 'syslog-address': 'udp://1.2.3.4:514' } },
  ],
  [
    'logging options without driver keep the default driver',
    { logging: { options: { 'max-size': '1m' } } },
    'HostConfig.LogConfig',
    { Type: 'json-file', Config: { 'max-size': '1m' } },
  ],
  ['init', { init: true }, 'HostConfig.Init', true],
  ['privileged', { privileged: true }, 'HostConfig.Privileged', true],
  ['read_only → ReadonlyRootfs', { read_only: true }, 'HostConfig.ReadonlyRootfs', true],
  ['cap_add', { cap_add: ['NET_ADMIN'] }, 'HostConfig.CapAdd', ['NET_ADMIN']],
  ['cap_drop', { cap_drop: ['ALL'] }, 'HostConfig.CapDrop', ['ALL']],
  ['dns', { dns: ['8.8.8.8'] }, 'HostConfig.Dns', ['8.8.8.8']],
  ['dns_search', { dns_search: ['example.com'] }, 'HostConfig.DnsSearch', ['example.com']],
  ['dns_opt → DnsOptions', { dns_opt: ['ndots:2'] }, 'HostConfig.DnsOptions', ['ndots:2']],
  [
    'extra_hosts → host:ip sorted by host',
    { extra_hosts: { zeta: ['10.0.0.2'], alpha: ['10.0.0.1', '::1'] } },
    'HostConfig.ExtraHosts',
    ['alpha:10.0.0.1', 'alpha:::1', 'zeta:10.0.0.2'],
  ],
  ['shm_size bytes', { shm_size: 67_108_864 }, 'HostConfig.ShmSize', 67_108_864],
  [
    'sysctls sorted',
    { sysctls: { 'net.ipv4.b': '1', 'net.core.a': '0' } },
    'HostConfig.Sysctls',
    { 'net.core.a': '0', 'net.ipv4.b': '1' },
  ],
  [
    'ulimits sorted by name',
    { ulimits: { nproc: { soft: 65535, hard: 65535 }, nofile: { soft: 20000, hard: 40000 } } },
    'HostConfig.Ulimits',
    [
      { Name: 'nofile', Soft: 20000, Hard: 40000 },
      { Name: 'nproc', Soft: 65535, Hard: 65535 },
    ],
  ],
  [
    'devices default to rwm',
    { devices: [{ source: '/dev/fuse', target: '/dev/fuse' }] },
    'HostConfig.Devices',
    [{ PathOnHost: '/dev/fuse', PathInContainer: '/dev/fuse', CgroupPermissions: 'rwm' }],
  ],
  [
    'security_opt',
    { security_opt: ['no-new-privileges:true'] },
    'HostConfig.SecurityOpt',
    ['no-new-privileges:true'],
  ],
  [
    'tmpfs list → Tmpfs map',
    { tmpfs: ['/run', '/tmp:size=64m'] },
    'HostConfig.Tmpfs',
    { '/run': '', '/tmp': 'size=64m' },
  ],
  [
    'deploy limits → Memory/NanoCpus/PidsLimit',
    { deploy: { resources: { limits: { memory: 52_428_800, cpus: 0.5, pids: 100 } } } },
    'HostConfig',
    expect.objectContaining({ Memory: 52_428_800, NanoCpus: 500_000_000, PidsLimit: 100 }),
  ],
  [
    'short keys mem_limit/cpus/pids_limit',
    { mem_limit: 1024, cpus: 1.5, pids_limit: 7, mem_reservation: 512, cpu_shares: 512, cpuset: '0-1' },
    'HostConfig',
    expect.objectContaining({
      Memory: 1024,
      NanoCpus: 1_500_000_000,
      PidsLimit: 7,
      MemoryReservation: 512,
      CpuShares: 512,
      CpusetCpus: '0-1',
    }),
  ],
  [
    'reserved GPUs → DeviceRequests',
    {
      deploy: {
        resources: {
          reservations: {
            devices: [
              { capabilities: ['gpu'], count: 'all', driver: 'nvidia' },
              {
                capabilities: ['gpu', 'utility'],
                device_ids: ['0', '3'],
                options: { virtualization: false },
              },
            ],
          },
        },
      },
    },
    'HostConfig.DeviceRequests',
    [
      { Driver: 'nvidia', Count: -1, Capabilities: [['gpu']] },
      { DeviceIDs: ['0', '3'], Capabilities: [['gpu', 'utility']], Options: { virtualization: 'false' } },
    ],
  ],
  [
    'deploy limits win over short keys',
    { mem_limit: 1024, deploy: { resources: { limits: { memory: 2048 } } } },
    'HostConfig.Memory',
    2048,
  ],
  [
    'healthcheck durations in ns',
    {
      healthcheck: {
        test: ['CMD-SHELL', 'wget -qO- http://localhost/'],
        interval: 10 * S,
        timeout: 1 * S,
        retries: 5,
        start_period: 15 * S,
        start_interval: 5 * S,
      },
    },
    'Healthcheck',
    {
      Test: ['CMD-SHELL', 'wget -qO- http://localhost/'],
      Interval: 10 * S,
      Timeout: S,
      Retries: 5,
      StartPeriod: 15 * S,
      StartInterval: 5 * S,
    },
  ],
  ['healthcheck disable → NONE', { healthcheck: { disable: true } }, 'Healthcheck', { Test: ['NONE'] }],
  ['stop_signal', { stop_signal: 'SIGINT' }, 'StopSignal', 'SIGINT'],
  ['stop_grace_period → StopTimeout seconds', { stop_grace_period: 20 * S }, 'StopTimeout', 20],
  ['no stop_grace_period → engine default', {}, 'StopTimeout', undefined],
  ['hostname', { hostname: 'box' }, 'Hostname', 'box'],
  ['domainname', { domainname: 'example.com' }, 'Domainname', 'example.com'],
  ['user', { user: '1000:1000' }, 'User', '1000:1000'],
  ['working_dir → WorkingDir', { working_dir: '/app' }, 'WorkingDir', '/app'],
  ['tty', { tty: true }, 'Tty', true],
  ['stdin_open → OpenStdin', { stdin_open: true }, 'OpenStdin', true],
  ['mac_address', { mac_address: '02:42:ac:11:65:43' }, 'MacAddress', '02:42:ac:11:65:43'],
  ['default network → NetworkMode', {}, 'HostConfig.NetworkMode', 'demo_default'],
  ['network_mode host', { network_mode: 'host' }, 'HostConfig.NetworkMode', 'host'],
  ['network_mode none → no NetworkingConfig', { network_mode: 'none' }, 'NetworkingConfig', undefined],
  ['ipc shareable', { ipc: 'shareable' }, 'HostConfig.IpcMode', 'shareable'],
  ['pid host', { pid: 'host' }, 'HostConfig.PidMode', 'host'],
  ['group_add', { group_add: ['audio'] }, 'HostConfig.GroupAdd', ['audio']],
  ['oom_score_adj', { oom_score_adj: -500 }, 'HostConfig.OomScoreAdj', -500],
  ['uts', { uts: 'host' }, 'HostConfig.UTSMode', 'host'],
  ['cgroup → CgroupnsMode', { cgroup: 'private' }, 'HostConfig.CgroupnsMode', 'private'],
  ['storage_opt', { storage_opt: { size: '20G' } }, 'HostConfig.StorageOpt', { size: '20G' }],
  [
    'external_links go on the endpoint (user-defined networks)',
    { external_links: ['redis_1:redis', 'cache'] },
    'NetworkingConfig.EndpointsConfig.demo_default.Links',
    ['redis_1:redis', 'cache:cache'],
  ],
  [
    'no HostConfig.Links on a user-defined network',
    { external_links: ['redis_1'] },
    'HostConfig.Links',
    undefined,
  ],
  [
    'HostConfig.Links on the default bridge',
    { network_mode: 'bridge', networks: {}, external_links: ['redis_1:redis'] },
    'HostConfig.Links',
    ['redis_1:redis'],
  ],
];

describe('containerBody: one mapping per row', () => {
  it.each(cases)('%s', (_what, fields, path, expected) => {
    expect(at(body(fields, [], volumesProject), path)).toEqual(expected);
  });
});

describe('containerBody: mappings across services', () => {
  const db = svc('db', { scale: 2 });

  it('network_mode service:x → container:<x first container>', () => {
    const b = body({ network_mode: 'service:db', networks: {} }, [db]);
    expect(b.HostConfig.NetworkMode).toBe('container:demo-db-1');
    expect(b.NetworkingConfig).toBeUndefined();
  });

  it('network_mode service:x follows x container_name', () => {
    const b = body({ network_mode: 'service:db', networks: {} }, [svc('db', { container_name: 'the-db' })]);
    expect(b.HostConfig.NetworkMode).toBe('container:the-db');
  });

  it('volumes_from service and container', () => {
    const b = body({ volumes_from: ['db', 'db:ro', 'container:legacy', 'container:old:ro'] }, [db]);
    expect(b.HostConfig.VolumesFrom).toEqual(['demo-db-1', 'demo-db-1:ro', 'legacy', 'old:ro']);
  });

  it('links to a service use its first container, on every endpoint', () => {
    const state = desiredState(
      proj([svc('web', { links: ['db', 'db:database'], networks: { default: null, back: null } }), db], {
        networks: {
          default: { name: 'demo_default', labels: {}, extensions: {} },
          back: { name: 'demo_back', labels: {}, extensions: {} },
        },
      }),
    );
    const web = state.services.find((s) => s.name === 'web')?.containers[0];
    expect(web?.endpoints.map((e) => e.settings?.Links)).toEqual([
      ['demo-db-1:db', 'demo-db-1:database'],
      ['demo-db-1:db', 'demo-db-1:database'],
    ]);
    expect(web?.create.NetworkingConfig?.EndpointsConfig.demo_back?.Links).toEqual([
      'demo-db-1:db',
      'demo-db-1:database',
    ]);
  });

  it('ipc service:x → container:<x first container>', () => {
    expect(body({ ipc: 'service:db' }, [db]).HostConfig.IpcMode).toBe('container:demo-db-1');
  });

  it('file secrets and configs are bind-mounted read-only', () => {
    const b = body(
      { secrets: [{ source: 'token' }, { source: 'key', target: 'api.key' }], configs: [{ source: 'conf' }] },
      [],
      {
        secrets: {
          token: { name: 'demo_token', file: '/srv/demo/token.txt', extensions: {} },
          key: { name: 'demo_key', file: '/srv/demo/key.txt', extensions: {} },
        },
        configs: { conf: { name: 'demo_conf', file: '/srv/demo/app.conf', extensions: {} } },
      },
    );
    expect(b.HostConfig.Mounts).toEqual([
      { Type: 'bind', Source: '/srv/demo/token.txt', Target: '/run/secrets/token', ReadOnly: true },
      { Type: 'bind', Source: '/srv/demo/key.txt', Target: '/run/secrets/api.key', ReadOnly: true },
      { Type: 'bind', Source: '/srv/demo/app.conf', Target: '/conf', ReadOnly: true },
    ]);
  });

  it('a custom default log driver applies to services without logging', () => {
    const state = desiredState(proj([svc('web')]), {
      defaultLogging: { driver: 'local', options: { 'max-size': '5m' } },
    });
    expect(state.services[0]?.containers[0]?.create.HostConfig.LogConfig).toEqual({
      Type: 'local',
      Config: { 'max-size': '5m' },
    });
  });
});
