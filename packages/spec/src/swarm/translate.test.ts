import { describe, expect, it } from 'vitest';
import { DesiredStateError } from '../desired/errors.js';
import { SwarmLabels } from '../model/labels.js';
import type { DesiredSwarm, SwarmServiceSpec } from '../model/swarm.js';
import { projectOf } from './test-load.js';
import { swarmDesiredState, swarmSpecHash, withSwarmImage } from './translate.js';

async function swarmOf(yaml: string, env: Record<string, string> = {}): Promise<DesiredSwarm> {
  return swarmDesiredState(await projectOf(yaml, env), {
    readFile: () => new TextEncoder().encode('from-file'),
  });
}

async function specOf(service: string, name = 'web'): Promise<SwarmServiceSpec> {
  const indented = service
    .trim()
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');
  const desired = await swarmOf(`services:\n  ${name}:\n    image: reg.example:5000/web:1\n${indented}\n`);
  const found = desired.services.find((s) => s.name === name);
  if (!found) throw new Error(`no ${name}`);
  return found.spec;
}

/** Reads a dotted path (`TaskTemplate.ContainerSpec.Env`) of a spec. */
function at(spec: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], spec);
}

// compose key(s) → where the ServiceSpec holds it. Durations are nanoseconds, sizes bytes.
const TABLE: Array<{ key: string; yaml: string; path: string; want: unknown }> = [
  {
    key: 'command',
    yaml: 'command: ["sh", "-c", "echo hi"]',
    path: 'TaskTemplate.ContainerSpec.Args',
    want: ['sh', '-c', 'echo hi'],
  },
  {
    key: 'entrypoint',
    yaml: 'entrypoint: /init',
    path: 'TaskTemplate.ContainerSpec.Command',
    want: ['/init'],
  },
  {
    key: 'environment',
    yaml: 'environment: {B: "2", A: "1"}',
    path: 'TaskTemplate.ContainerSpec.Env',
    want: ['A=1', 'B=2'],
  },
  {
    key: 'labels',
    yaml: 'labels: {tier: front}',
    path: 'TaskTemplate.ContainerSpec.Labels',
    want: { [SwarmLabels.namespace]: 'demo', tier: 'front' },
  },
  { key: 'user', yaml: 'user: "1000:1000"', path: 'TaskTemplate.ContainerSpec.User', want: '1000:1000' },
  { key: 'working_dir', yaml: 'working_dir: /app', path: 'TaskTemplate.ContainerSpec.Dir', want: '/app' },
  { key: 'hostname', yaml: 'hostname: h1', path: 'TaskTemplate.ContainerSpec.Hostname', want: 'h1' },
  {
    key: 'stop_signal',
    yaml: 'stop_signal: SIGINT',
    path: 'TaskTemplate.ContainerSpec.StopSignal',
    want: 'SIGINT',
  },
  {
    key: 'stop_grace_period',
    yaml: 'stop_grace_period: 1m30s',
    path: 'TaskTemplate.ContainerSpec.StopGracePeriod',
    want: 90e9,
  },
  {
    key: 'healthcheck',
    yaml: 'healthcheck: {test: "wget -qO- localhost", interval: 2s, timeout: 1s, retries: 3, start_period: 5s}',
    path: 'TaskTemplate.ContainerSpec.HealthCheck',
    want: {
      Test: ['CMD-SHELL', 'wget -qO- localhost'],
      Interval: 2e9,
      Timeout: 1e9,
      Retries: 3,
      StartPeriod: 5e9,
    },
  },
  {
    key: 'healthcheck.disable',
    yaml: 'healthcheck: {disable: true}',
    path: 'TaskTemplate.ContainerSpec.HealthCheck',
    want: { Test: ['NONE'] },
  },
  { key: 'tty', yaml: 'tty: true', path: 'TaskTemplate.ContainerSpec.TTY', want: true },
  { key: 'stdin_open', yaml: 'stdin_open: true', path: 'TaskTemplate.ContainerSpec.OpenStdin', want: true },
  { key: 'read_only', yaml: 'read_only: true', path: 'TaskTemplate.ContainerSpec.ReadOnly', want: true },
  { key: 'init', yaml: 'init: true', path: 'TaskTemplate.ContainerSpec.Init', want: true },
  {
    key: 'group_add',
    yaml: 'group_add: [audio]',
    path: 'TaskTemplate.ContainerSpec.Groups',
    want: ['audio'],
  },
  {
    key: 'cap_add',
    yaml: 'cap_add: [NET_ADMIN]',
    path: 'TaskTemplate.ContainerSpec.CapabilityAdd',
    want: ['NET_ADMIN'],
  },
  {
    key: 'cap_drop',
    yaml: 'cap_drop: [ALL]',
    path: 'TaskTemplate.ContainerSpec.CapabilityDrop',
    want: ['ALL'],
  },
  {
    key: 'sysctls',
    yaml: 'sysctls: {net.core.somaxconn: "1024"}',
    path: 'TaskTemplate.ContainerSpec.Sysctls',
    want: { 'net.core.somaxconn': '1024' },
  },
  {
    key: 'ulimits',
    yaml: 'ulimits: {nofile: {soft: 1024, hard: 2048}, nproc: 64}',
    path: 'TaskTemplate.ContainerSpec.Ulimits',
    want: [
      { Name: 'nofile', Soft: 1024, Hard: 2048 },
      { Name: 'nproc', Soft: 64, Hard: 64 },
    ],
  },
  {
    key: 'extra_hosts',
    yaml: 'extra_hosts: ["db.local:10.0.0.5"]',
    path: 'TaskTemplate.ContainerSpec.Hosts',
    want: ['10.0.0.5 db.local'],
  },
  {
    key: 'dns, dns_search, dns_opt',
    yaml: 'dns: 1.1.1.1\ndns_search: example.org\ndns_opt: [ndots:2]',
    path: 'TaskTemplate.ContainerSpec.DNSConfig',
    want: { Nameservers: ['1.1.1.1'], Search: ['example.org'], Options: ['ndots:2'] },
  },
  {
    key: 'isolation',
    yaml: 'isolation: default',
    path: 'TaskTemplate.ContainerSpec.Isolation',
    want: 'default',
  },
  {
    key: 'deploy.resources',
    yaml: 'deploy: {resources: {limits: {cpus: "0.5", memory: 64M, pids: 100}, reservations: {cpus: "0.25", memory: 32M}}}',
    path: 'TaskTemplate.Resources',
    want: {
      Limits: { NanoCPUs: 5e8, MemoryBytes: 64 * 1024 * 1024, Pids: 100 },
      Reservations: { NanoCPUs: 2.5e8, MemoryBytes: 32 * 1024 * 1024 },
    },
  },
  {
    key: 'cpus, mem_limit, mem_reservation, pids_limit',
    yaml: 'cpus: 2\nmem_limit: 1g\nmem_reservation: 512m\npids_limit: 50',
    path: 'TaskTemplate.Resources',
    want: {
      Limits: { NanoCPUs: 2e9, MemoryBytes: 1024 ** 3, Pids: 50 },
      Reservations: { MemoryBytes: 512 * 1024 ** 2 },
    },
  },
  {
    key: 'deploy.resources.reservations.generic_resources',
    yaml: 'deploy: {resources: {reservations: {generic_resources: [{discrete_resource_spec: {kind: gpu, value: 2}}]}}}',
    path: 'TaskTemplate.Resources.Reservations.GenericResources',
    want: [{ DiscreteResourceSpec: { Kind: 'gpu', Value: 2 } }],
  },
  {
    key: 'deploy.placement',
    yaml: 'deploy: {placement: {constraints: [node.role==worker], preferences: [{spread: node.labels.zone}], max_replicas_per_node: 2}}',
    path: 'TaskTemplate.Placement',
    want: {
      Constraints: ['node.role==worker'],
      Preferences: [{ Spread: { SpreadDescriptor: 'node.labels.zone' } }],
      MaxReplicas: 2,
    },
  },
  {
    key: 'platform',
    yaml: 'platform: linux/arm64',
    path: 'TaskTemplate.Placement.Platforms',
    want: [{ OS: 'linux', Architecture: 'arm64' }],
  },
  {
    key: 'deploy.restart_policy',
    yaml: 'deploy: {restart_policy: {condition: on-failure, delay: 2s, max_attempts: 3, window: 1m}}',
    path: 'TaskTemplate.RestartPolicy',
    want: { Condition: 'on-failure', Delay: 2e9, MaxAttempts: 3, Window: 60e9 },
  },
  {
    key: 'restart: no',
    yaml: 'restart: "no"',
    path: 'TaskTemplate.RestartPolicy',
    want: { Condition: 'none' },
  },
  {
    key: 'restart: unless-stopped',
    yaml: 'restart: unless-stopped',
    path: 'TaskTemplate.RestartPolicy',
    want: { Condition: 'any' },
  },
  {
    key: 'restart: on-failure:5',
    yaml: 'restart: on-failure:5',
    path: 'TaskTemplate.RestartPolicy',
    want: { Condition: 'on-failure', MaxAttempts: 5 },
  },
  {
    key: 'deploy.update_config',
    yaml: 'deploy: {update_config: {parallelism: 2, delay: 10s, order: start-first, failure_action: rollback, monitor: 5s, max_failure_ratio: 0.2}}',
    path: 'UpdateConfig',
    want: {
      Parallelism: 2,
      Delay: 10e9,
      Order: 'start-first',
      FailureAction: 'rollback',
      Monitor: 5e9,
      MaxFailureRatio: 0.2,
    },
  },
  {
    key: 'deploy.rollback_config',
    yaml: 'deploy: {rollback_config: {parallelism: 0, order: stop-first}}',
    path: 'RollbackConfig',
    want: { Parallelism: 0, Order: 'stop-first' },
  },
  {
    key: 'deploy.replicas',
    yaml: 'deploy: {replicas: 6}',
    path: 'Mode',
    want: { Replicated: { Replicas: 6 } },
  },
  { key: 'scale', yaml: 'scale: 3', path: 'Mode', want: { Replicated: { Replicas: 3 } } },
  { key: 'deploy.mode: global', yaml: 'deploy: {mode: global}', path: 'Mode', want: { Global: {} } },
  {
    key: 'deploy.mode: replicated-job',
    yaml: 'deploy: {mode: replicated-job, replicas: 2}',
    path: 'Mode',
    want: { ReplicatedJob: { MaxConcurrent: 2, TotalCompletions: 2 } },
  },
  {
    key: 'ports (ingress and host)',
    yaml: 'ports: ["8080:80", {target: 53, published: "5353", protocol: udp, mode: host, name: dns}, "9000"]',
    path: 'EndpointSpec.Ports',
    want: [
      { Protocol: 'tcp', TargetPort: 80, PublishedPort: 8080, PublishMode: 'ingress' },
      { Name: 'dns', Protocol: 'udp', TargetPort: 53, PublishedPort: 5353, PublishMode: 'host' },
      { Protocol: 'tcp', TargetPort: 9000, PublishMode: 'ingress' },
    ],
  },
  {
    key: 'deploy.endpoint_mode',
    yaml: 'deploy: {endpoint_mode: dnsrr}',
    path: 'EndpointSpec.Mode',
    want: 'dnsrr',
  },
  {
    key: 'deploy.labels',
    yaml: 'deploy: {labels: {team: a}}',
    path: 'Labels.team',
    want: 'a',
  },
  {
    key: 'logging',
    yaml: 'logging: {driver: json-file, options: {max-size: 1m}}',
    path: 'TaskTemplate.LogDriver',
    want: { Name: 'json-file', Options: { 'max-size': '1m' } },
  },
  {
    key: 'network_mode: host',
    yaml: 'network_mode: host',
    path: 'TaskTemplate.Networks',
    want: [{ Target: 'host' }],
  },
  {
    key: 'tmpfs',
    yaml: 'tmpfs: [/run]',
    path: 'TaskTemplate.ContainerSpec.Mounts',
    want: [{ Type: 'tmpfs', Target: '/run' }],
  },
];

describe('swarmDesiredState: compose keys → ServiceSpec fields', () => {
  for (const row of TABLE) {
    it(`${row.key} → ${row.path}`, async () => {
      expect(at(await specOf(row.yaml), row.path)).toEqual(row.want);
    });
  }
});

describe('swarmDesiredState: the stack as docker stack deploy names and labels it', () => {
  it('names services PROJECT_SERVICE and networks PROJECT_NET (default: PROJECT_default, overlay)', async () => {
    const d = await swarmOf(`
services:
  web:
    image: web:1
    networks: {front: {aliases: [www]}, back: {}}
  db:
    image: db:1
networks:
  front: {attachable: true, driver_opts: {encrypted: ""}, ipam: {config: [{subnet: 10.9.0.0/24}]}}
  back: {driver: bridge}
`);
    expect(d.services.map((s) => s.engineName)).toEqual(['demo_db', 'demo_web']);
    expect(d.networks.map((n) => [n.key, n.name, n.create.Driver, n.create.Scope])).toEqual([
      ['back', 'demo_back', 'overlay', 'swarm'],
      ['default', 'demo_default', 'overlay', 'swarm'],
      ['front', 'demo_front', 'overlay', 'swarm'],
    ]);
    const front = d.networks.find((n) => n.key === 'front');
    expect(front?.create).toMatchObject({
      Attachable: true,
      Options: { encrypted: '' },
      IPAM: { Config: [{ Subnet: '10.9.0.0/24' }] },
      Labels: { [SwarmLabels.namespace]: 'demo', [SwarmLabels.orcKey]: 'front' },
    });
    expect(front?.create.Labels[SwarmLabels.orcConfigHash]).toBe(front?.hash);
    const web = d.services.find((s) => s.name === 'web');
    expect(web?.spec.TaskTemplate.Networks).toEqual([
      { Target: 'demo_back', Aliases: ['web'] },
      { Target: 'demo_front', Aliases: ['web', 'www'] },
    ]);
    expect(web?.spec.Labels).toMatchObject({
      [SwarmLabels.namespace]: 'demo',
      [SwarmLabels.image]: 'web:1',
      [SwarmLabels.orcService]: 'web',
      [SwarmLabels.orcConfigHash]: web?.hash,
    });
    expect(web?.networks).toEqual(['demo_back', 'demo_front']);
  });

  it('mounts a named volume with the stack label and driver (created per node), binds and tmpfs as given', async () => {
    const d = await swarmOf(`
services:
  web:
    image: web:1
    volumes:
      - data:/data:ro
      - /srv/conf:/conf
      - {type: tmpfs, target: /cache, tmpfs: {size: 1m, mode: 0o1777}}
volumes:
  data: {driver: local, driver_opts: {type: tmpfs, device: tmpfs}}
`);
    expect(d.services[0]?.spec.TaskTemplate.ContainerSpec.Mounts).toEqual([
      {
        Type: 'volume',
        Source: 'demo_data',
        Target: '/data',
        ReadOnly: true,
        VolumeOptions: {
          Labels: { [SwarmLabels.namespace]: 'demo' },
          DriverConfig: { Name: 'local', Options: { device: 'tmpfs', type: 'tmpfs' } },
        },
      },
      { Type: 'bind', Source: '/srv/conf', Target: '/conf' },
      { Type: 'tmpfs', Target: '/cache', TmpfsOptions: { SizeBytes: 1024 * 1024, Mode: 0o1777 } },
    ]);
    expect(d.volumes).toEqual([
      {
        key: 'data',
        name: 'demo_data',
        external: false,
        driver: 'local',
        driver_opts: { device: 'tmpfs', type: 'tmpfs' },
        labels: { [SwarmLabels.namespace]: 'demo' },
      },
    ]);
  });

  it('names secrets and configs after their value, and keeps the value out of the spec', async () => {
    const yaml = (value: string) => `
services:
  web:
    image: web:1
    secrets: [{source: token, target: api-token, uid: "100", mode: 0o400}]
    configs: [site, {source: tpl, target: /etc/tpl}]
secrets:
  token: {content: "${value}"}
configs:
  site: {file: ./site.conf}
  tpl: {environment: TPL}
`;
    const a = await swarmOf(yaml('one'), { TPL: 'x' });
    const b = await swarmOf(yaml('two'), { TPL: 'x' });
    const tokenA = a.secrets[0];
    const tokenB = b.secrets[0];
    expect(tokenA?.name).toMatch(/^demo_token_[0-9a-f]{12}$/);
    expect(tokenB?.name).toMatch(/^demo_token_[0-9a-f]{12}$/);
    expect(tokenA?.name).not.toBe(tokenB?.name);
    expect(a.configs.map((c) => c.name)).toEqual(b.configs.map((c) => c.name));
    expect(Buffer.from(tokenA?.data?.base64 ?? '', 'base64').toString()).toBe('one');
    expect(tokenA?.spec).toEqual({
      Name: tokenA?.name,
      Labels: expect.objectContaining({
        [SwarmLabels.namespace]: 'demo',
        [SwarmLabels.orcKey]: 'token',
        [SwarmLabels.orcConfigHash]: tokenA?.hash,
      }),
    });
    const web = a.services[0];
    expect(web?.spec.TaskTemplate.ContainerSpec.Secrets).toEqual([
      {
        File: { Name: 'api-token', UID: '100', GID: '0', Mode: 0o400 },
        SecretID: '',
        SecretName: tokenA?.name,
      },
    ]);
    expect(web?.spec.TaskTemplate.ContainerSpec.Configs).toEqual([
      {
        File: { Name: '/site', UID: '0', GID: '0', Mode: 0o444 },
        ConfigID: '',
        ConfigName: a.configs[0]?.name,
      },
      {
        File: { Name: '/etc/tpl', UID: '0', GID: '0', Mode: 0o444 },
        ConfigID: '',
        ConfigName: a.configs[1]?.name,
      },
    ]);
    expect(JSON.stringify(web?.spec)).not.toContain('one');
    // The value changed: the service's spec changed with it (it rolls to the new version).
    expect(b.services[0]?.hash).not.toBe(web?.hash);
  });

  it('refuses a secret whose variable is not set, and one whose file cannot be read', async () => {
    const project = await projectOf(`
services: {web: {image: web:1, secrets: [s]}}
secrets: {s: {environment: NOPE}}
`);
    expect(() => swarmDesiredState(project)).toThrow(/NOPE is not set/);
    const fromFile = await projectOf(`
services: {web: {image: web:1, secrets: [s]}}
secrets: {s: {file: ./missing.txt}}
`);
    expect(() => swarmDesiredState(fromFile, { readFile: () => undefined })).toThrow(DesiredStateError);
  });

  it('keeps external secrets and networks by their name, with nothing to create', async () => {
    const d = await swarmOf(`
services: {web: {image: web:1, secrets: [s], networks: [shared]}}
secrets: {s: {external: true, name: prod_key}}
networks: {shared: {external: true, name: edge}}
`);
    expect(d.secrets).toEqual([
      { kind: 'secret', key: 's', name: 'prod_key', external: true, spec: { Name: 'prod_key', Labels: {} } },
    ]);
    expect(d.networks.map((n) => [n.name, n.external])).toEqual([['edge', true]]);
    expect(d.services[0]?.spec.TaskTemplate.Networks).toEqual([{ Target: 'edge', Aliases: ['web'] }]);
  });

  it('runs a service waited on to complete as a replicated job (no update config, restart on failure)', async () => {
    const d = await swarmOf(`
services:
  migrate: {image: m:1, deploy: {update_config: {order: start-first}}}
  web: {image: web:1, depends_on: {migrate: {condition: service_completed_successfully}}}
`);
    const migrate = d.services.find((s) => s.name === 'migrate');
    expect(migrate?.mode).toBe('replicated-job');
    expect(migrate?.spec.Mode).toEqual({ ReplicatedJob: { MaxConcurrent: 1, TotalCompletions: 1 } });
    expect(migrate?.spec.UpdateConfig).toBeUndefined();
    expect(migrate?.spec.TaskTemplate.RestartPolicy).toEqual({ Condition: 'on-failure' });
    expect(d.services.map((s) => s.name)).toEqual(['migrate', 'web']);
    expect(d.services[1]?.depends_on).toEqual({
      migrate: { condition: 'service_completed_successfully', required: true, restart: false },
    });
  });

  it('is deterministic, and the hash covers the spec but not the orc version label', async () => {
    const yaml = 'services: {web: {image: web:1, environment: {A: "1"}}}';
    const a = await swarmOf(yaml);
    const b = await swarmOf(yaml);
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    const web = a.services[0];
    if (!web) throw new Error('no web');
    expect(swarmSpecHash(web.spec)).toBe(web.hash);
    const relabelled = { ...web.spec, Labels: { ...web.spec.Labels, [SwarmLabels.orcVersion]: '9.9.9' } };
    expect(swarmSpecHash(relabelled)).toBe(web.hash);
    const changed = await swarmOf('services: {web: {image: web:1, environment: {A: "2"}}}');
    expect(changed.services[0]?.hash).not.toBe(web.hash);
  });

  it('pins an image digest: a new spec, the same hash (a digest of the same tag); another tag: another hash', async () => {
    const d = await swarmOf('services: {web: {image: reg:5000/web:1, build: .}}');
    const web = d.services[0];
    if (!web) throw new Error('no web');
    expect(web.build?.tags).toEqual(['reg:5000/web:1']);
    const pinned = withSwarmImage(web, 'reg:5000/web:1@sha256:abc');
    expect(pinned.spec.TaskTemplate.ContainerSpec.Image).toBe('reg:5000/web:1@sha256:abc');
    expect(pinned.hash).toBe(web.hash);
    expect(pinned.spec.Labels[SwarmLabels.orcConfigHash]).toBe(pinned.hash);
    expect(withSwarmImage(pinned, 'reg:5000/web:1@sha256:abc')).toBe(pinned);
    expect(withSwarmImage(web, 'reg:5000/web:2@sha256:abc').hash).not.toBe(web.hash);
  });

  it('refuses what Swarm cannot do in a selected service, and not in another', async () => {
    const project = await projectOf(`
services:
  web: {image: web:1}
  tool: {image: t:1, privileged: true}
`);
    expect(() => swarmDesiredState(project)).toThrow(/privileged/);
    expect(swarmDesiredState(project, { services: ['web'] }).services.map((s) => s.name)).toEqual([
      'tool',
      'web',
    ]);
  });
});
