import type { Project, Service } from '../model/project.js';
import { formatBytes, formatDuration, formatFileMode } from './units.js';

/** A value transform for one key; returning `undefined` leaves the key out. */
type Transform = (value: unknown) => unknown;
/** `omitEmpty`: leave out empty maps and lists, as compose-go's `omitempty` does for these structs. */
type Shape = { order: readonly string[]; transforms?: Record<string, Transform>; omitEmpty?: boolean };

export interface DocumentOptions {
  /** Print inline secret/config `content`. Off by default: secrets never reach output unless asked for. */
  showSecretContent?: boolean;
  /**
   * The JSON form follows compose-go's JSON tags, which differ from its YAML ones: `x-*` extensions are
   * left out (`json:"-"`), and a few fields are printed even when empty (`command`, `entrypoint` as null,
   * a network's `ipam` as {}).
   */
  json?: boolean;
}

const duration: Transform = (v) => (typeof v === 'number' ? formatDuration(v) : v);
const bytes: Transform = (v) => (typeof v === 'number' ? formatBytes(v) : v);
const fileMode: Transform = (v) => (typeof v === 'number' ? formatFileMode(v) : v);
const sortedMap: Transform = (v) => (isRecord(v) ? sortRecord(v) : v);

/** Keys in the order compose-go declares them (its YAML output follows that order); others after, sorted. */
const FILE_REF: Shape = { order: ['source', 'target', 'uid', 'gid', 'mode'], transforms: { mode: fileMode } };

const UPDATE_CONFIG: Shape = {
  order: ['parallelism', 'delay', 'failure_action', 'monitor', 'max_failure_ratio', 'order'],
  transforms: { delay: duration, monitor: duration },
};

const RESOURCES: Shape = {
  order: ['cpus', 'memory', 'pids', 'devices', 'generic_resources'],
  transforms: { memory: bytes },
};

const DEPLOY: Shape = {
  omitEmpty: true,
  order: [
    'mode',
    'replicas',
    'labels',
    'update_config',
    'rollback_config',
    'resources',
    'restart_policy',
    'placement',
    'endpoint_mode',
  ],
  transforms: {
    labels: sortedMap,
    placement: (v) => shaped(v, { order: ['constraints', 'preferences', 'max_replicas_per_node'] }),
    update_config: (v) => shaped(v, UPDATE_CONFIG),
    rollback_config: (v) => shaped(v, UPDATE_CONFIG),
    resources: (v) =>
      shaped(v, {
        order: ['limits', 'reservations'],
        transforms: { limits: (r) => shaped(r, RESOURCES), reservations: (r) => shaped(r, RESOURCES) },
      }),
    restart_policy: (v) =>
      shaped(v, {
        order: ['condition', 'delay', 'max_attempts', 'window'],
        transforms: { delay: duration, window: duration },
      }),
  },
};

const BUILD: Shape = {
  omitEmpty: true,
  order: [
    'context',
    'dockerfile',
    'dockerfile_inline',
    'entitlements',
    'args',
    'ssh',
    'labels',
    'cache_from',
    'cache_to',
    'no_cache',
    'additional_contexts',
    'network',
    'pull',
    'target',
    'shm_size',
    'extra_hosts',
    'isolation',
    'privileged',
    'secrets',
    'tags',
    'ulimits',
    'platforms',
  ],
  transforms: {
    args: sortedMap,
    labels: sortedMap,
    additional_contexts: sortedMap,
    shm_size: bytes,
    extra_hosts: (v) => extraHosts(v),
    secrets: (v) => list(v, FILE_REF),
  },
};

const PORT: Shape = { order: ['name', 'mode', 'host_ip', 'target', 'published', 'protocol', 'app_protocol'] };

const VOLUME_MOUNT: Shape = {
  order: ['type', 'source', 'target', 'read_only', 'consistency', 'bind', 'volume', 'tmpfs', 'image'],
  transforms: {
    bind: (v) => shaped(v, { order: ['propagation', 'create_host_path', 'selinux'] }),
    volume: (v) => shaped(v, { order: ['nocopy', 'subpath'] }),
    tmpfs: (v) => shaped(v, { order: ['size', 'mode'], transforms: { size: bytes } }),
  },
};

const HEALTHCHECK: Shape = {
  order: ['test', 'timeout', 'interval', 'retries', 'start_period', 'start_interval', 'disable'],
  transforms: { timeout: duration, interval: duration, start_period: duration, start_interval: duration },
};

const SERVICE_NETWORK: Shape = {
  order: [
    'aliases',
    'ipv4_address',
    'ipv6_address',
    'link_local_ips',
    'mac_address',
    'driver_opts',
    'priority',
    'gw_priority',
  ],
  transforms: { driver_opts: sortedMap },
};

const SERVICE: Shape = {
  omitEmpty: true,
  order: [
    'profiles',
    'annotations',
    'attach',
    'build',
    'develop',
    'blkio_config',
    'cap_add',
    'cap_drop',
    'cgroup_parent',
    'cgroup',
    'cpu_count',
    'cpu_percent',
    'cpu_period',
    'cpu_quota',
    'cpu_rt_period',
    'cpu_rt_runtime',
    'cpus',
    'cpuset',
    'cpu_shares',
    'command',
    'configs',
    'container_name',
    'credential_spec',
    'depends_on',
    'deploy',
    'device_cgroup_rules',
    'devices',
    'dns',
    'dns_opt',
    'dns_search',
    'domainname',
    'entrypoint',
    'environment',
    'env_file',
    'expose',
    'external_links',
    'extra_hosts',
    'group_add',
    'hostname',
    'healthcheck',
    'image',
    'init',
    'ipc',
    'isolation',
    'labels',
    'label_file',
    'links',
    'logging',
    'mem_limit',
    'mem_reservation',
    'memswap_limit',
    'mac_address',
    'network_mode',
    'networks',
    'oom_score_adj',
    'pid',
    'pids_limit',
    'platform',
    'ports',
    'privileged',
    'pull_policy',
    'read_only',
    'restart',
    'runtime',
    'scale',
    'secrets',
    'security_opt',
    'shm_size',
    'stdin_open',
    'stop_grace_period',
    'stop_signal',
    'storage_opt',
    'sysctls',
    'tmpfs',
    'tty',
    'ulimits',
    'user',
    'userns_mode',
    'uts',
    'volumes',
    'volumes_from',
    'working_dir',
  ],
  transforms: {
    annotations: sortedMap,
    build: (v) => shaped(v, BUILD),
    configs: (v) => list(v, FILE_REF),
    secrets: (v) => list(v, FILE_REF),
    depends_on: (v) =>
      isRecord(v)
        ? mapValues(sortRecord(v), (dep) => {
            if (!isRecord(dep)) return dep;
            // compose-go prints `restart` only when true (omitempty).
            const out: Record<string, unknown> = { condition: dep.condition, required: dep.required ?? true };
            if (dep.restart === true) out.restart = true;
            return out;
          })
        : v,
    deploy: (v) => shaped(v, DEPLOY),
    devices: (v) => list(v, { order: ['source', 'target', 'permissions'] }),
    environment: sortedMap,
    env_file: (v) => list(v, { order: ['path', 'required', 'format'] }),
    expose: (v) => (Array.isArray(v) ? v.map(String) : v),
    extra_hosts: (v) => extraHosts(v),
    healthcheck: (v) => shaped(v, HEALTHCHECK),
    labels: sortedMap,
    logging: (v) => shaped(v, { order: ['driver', 'options'], transforms: { options: sortedMap } }),
    mem_limit: bytes,
    mem_reservation: bytes,
    memswap_limit: bytes,
    networks: (v) =>
      isRecord(v) ? mapValues(sortRecord(v), (n) => (n === null ? null : shaped(n, SERVICE_NETWORK))) : v,
    ports: (v) => list(v, PORT),
    shm_size: bytes,
    stop_grace_period: duration,
    storage_opt: sortedMap,
    sysctls: sortedMap,
    ulimits: (v) =>
      isRecord(v)
        ? mapValues(sortRecord(v), (u) =>
            isRecord(u) && u.soft === u.hard ? u.soft : shaped(u, { order: ['soft', 'hard'] }),
          )
        : v,
    volumes: (v) => list(v, VOLUME_MOUNT),
  },
};

const NETWORK: Shape = {
  omitEmpty: true,
  order: [
    'name',
    'driver',
    'driver_opts',
    'ipam',
    'external',
    'internal',
    'attachable',
    'labels',
    'enable_ipv6',
  ],
  transforms: {
    driver_opts: sortedMap,
    labels: sortedMap,
    ipam: (v) =>
      shaped(v, {
        order: ['driver', 'config', 'options'],
        transforms: {
          config: (c) =>
            list(c, {
              order: ['subnet', 'gateway', 'ip_range', 'aux_addresses'],
              transforms: { aux_addresses: sortedMap },
            }),
          options: sortedMap,
        },
      }),
  },
};

const VOLUME: Shape = {
  omitEmpty: true,
  order: ['name', 'driver', 'driver_opts', 'external', 'labels'],
  transforms: { driver_opts: sortedMap, labels: sortedMap },
};

const SECRET_ORDER = [
  'name',
  'file',
  'environment',
  'content',
  'external',
  'labels',
  'driver',
  'driver_opts',
];

/**
 * The project as `docker compose config` prints it: compose's key order, durations in Go form,
 * sizes in bytes, long syntax everywhere. Plain data, ready for YAML or JSON.
 */
export function projectDocument(project: Project, opts: DocumentOptions = {}): Record<string, unknown> {
  const secretShape: Shape = {
    omitEmpty: true,
    order: SECRET_ORDER,
    transforms: {
      labels: sortedMap,
      content: (v) => (opts.showSecretContent ? v : undefined),
      // The variable's value: never printed (the document shows the variable's name).
      environment_value: () => undefined,
    },
  };
  const json = opts.json ?? false;
  const doc: Record<string, unknown> = { name: project.name };
  doc.services = mapValues(sortRecord(project.services), (s) => serviceDocument(s as Service, json));
  const sections: Array<[string, Record<string, unknown> | undefined, Shape]> = [
    ['networks', project.networks, NETWORK],
    ['volumes', project.volumes, VOLUME],
    ['secrets', project.secrets, secretShape],
    // Config contents are not secret: printed, as compose does.
    [
      'configs',
      project.configs,
      { ...secretShape, transforms: { labels: sortedMap, environment_value: () => undefined } },
    ],
  ];
  for (const [key, section, shape] of sections) {
    if (section && Object.keys(section).length > 0) {
      doc[key] = mapValues(sortRecord(section), (item) => {
        const out = shaped(flattenExtensions(item, json), shape);
        return json && key === 'networks' && isRecord(out) && !('ipam' in out) ? { ...out, ipam: {} } : out;
      });
    }
  }
  // compose-go's Project keeps its own `x-*` keys in JSON (only nested ones are `json:"-"`).
  Object.assign(doc, sortRecord(project.extensions ?? {}));
  return doc;
}

export function serviceDocument(service: Service, json = false): Record<string, unknown> {
  const { name: _name, scale, ...rest } = flattenExtensions(service, json) as Record<string, unknown>;
  // `scale` and `deploy.replicas` are one number in the model: print it once, where it was meaningful.
  const replicas = service.deploy?.replicas;
  if (scale !== undefined && scale !== (replicas ?? 1)) rest.scale = scale;
  if (json) {
    rest.command ??= null;
    rest.entrypoint ??= null;
  }
  return shaped(rest, SERVICE) as Record<string, unknown>;
}

/** `x-*` keys inline, as compose's YAML prints them; JSON leaves them out, as compose-go's does. */
function flattenExtensions(item: unknown, json = false): unknown {
  if (!isRecord(item)) return item;
  const { extensions, ...rest } = item;
  return isRecord(extensions) && !json ? { ...rest, ...extensions } : rest;
}

/** Orders an object's keys by `shape` (then the rest, sorted, `x-*` last) and applies its transforms. */
function shaped(value: unknown, shape: Shape): unknown {
  if (!isRecord(value)) return value;
  const known = shape.order.filter((k) => k in value);
  const others = Object.keys(value)
    .filter((k) => !shape.order.includes(k))
    .sort((a, b) => Number(a.startsWith('x-')) - Number(b.startsWith('x-')) || (a < b ? -1 : a > b ? 1 : 0));
  const out: Record<string, unknown> = {};
  for (const key of [...known, ...others]) {
    const raw = value[key];
    if (raw === undefined) continue;
    const transform = shape.transforms?.[key];
    const result = transform ? transform(raw) : raw;
    if (result === undefined) continue;
    if (shape.omitEmpty && isEmpty(result)) continue;
    out[key] = result;
  }
  return out;
}

function list(value: unknown, shape: Shape): unknown {
  return Array.isArray(value) ? value.map((item) => shaped(item, shape)) : value;
}

/** compose-go prints extra_hosts as `host=ip`, sorted by host. */
function extraHosts(value: unknown): unknown {
  if (!isRecord(value)) return value;
  return Object.keys(value)
    .sort()
    .flatMap((host) => {
      const ips = value[host];
      return (Array.isArray(ips) ? ips : [ips]).map((ip) => `${host}=${String(ip)}`);
    });
}

function isEmpty(value: unknown): boolean {
  if (Array.isArray(value)) return value.length === 0;
  return isRecord(value) && Object.keys(value).length === 0;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function sortRecord<T>(record: Record<string, T>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const key of Object.keys(record).sort()) out[key] = record[key] as T;
  return out;
}

function mapValues<T>(record: Record<string, T>, fn: (value: T) => unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) out[key] = fn(value);
  return out;
}
