import { sortedRecord } from '../hash/canonical.js';
import { sortBy, sortStrings } from '../hash/sort.js';
import type {
  ContainerCreateBody,
  DesiredEndpoint,
  EndpointSettingsBody,
  HostConfigBody,
} from '../model/desired.js';
import { COMPOSE_COMPAT_VERSION, Labels, ORC_VERSION } from '../model/labels.js';
import type { Project, Service } from '../model/project.js';
import { containerMounts, tmpfsMap } from './mounts.js';
import { containerName } from './names.js';
import { exposedPorts, portBindings } from './ports.js';
import { networkEngineName } from './resources.js';

export interface LogDefaults {
  driver: string;
  options: Record<string, string>;
}

/** Bounded by default: a chatty container must never fill the disk. */
export const DEFAULT_LOGGING: LogDefaults = {
  driver: 'json-file',
  options: { 'max-file': '3', 'max-size': '10m' },
};

export interface ServiceContext {
  project: Project;
  service: Service;
  image: string;
  hash: string;
  definition: string;
  logging: LogDefaults;
}

/** Compose v2's network order: highest priority first, then by key. */
export function serviceEndpoints(project: Project, service: Service, name: string): DesiredEndpoint[] {
  if (service.network_mode !== undefined) return [];
  const entries = Object.entries(service.networks ?? {});
  const endpoints = entries.map(([key, attachment]): DesiredEndpoint => {
    const endpoint: DesiredEndpoint = {
      key,
      name: networkEngineName(project, key),
      // compose v2: the container name, the service name, then the declared aliases.
      aliases: unique([name, service.name, ...(attachment?.aliases ?? [])]),
      priority: attachment?.priority ?? 0,
    };
    if (attachment?.ipv4_address) endpoint.ipv4_address = attachment.ipv4_address;
    if (attachment?.ipv6_address) endpoint.ipv6_address = attachment.ipv6_address;
    endpoint.settings = endpointSettings(service, endpoint, project);
    return endpoint;
  });
  return sortBy(endpoints, (a, b) => b.priority - a.priority || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

export function containerBody(
  ctx: ServiceContext,
  number: number,
  endpoints: DesiredEndpoint[],
): ContainerCreateBody {
  const { service } = ctx;
  const body: ContainerCreateBody = {
    Image: ctx.image,
    Labels: containerLabels(ctx, number),
    HostConfig: hostConfig(ctx, endpoints),
  };
  if (service.command) body.Cmd = [...service.command];
  if (service.entrypoint) body.Entrypoint = [...service.entrypoint];
  const env = environment(service);
  if (env.length > 0) body.Env = env;
  const exposed = exposedPorts(service);
  if (exposed) body.ExposedPorts = exposed;
  if (service.hostname) body.Hostname = service.hostname;
  if (service.domainname) body.Domainname = service.domainname;
  if (service.user) body.User = service.user;
  if (service.working_dir) body.WorkingDir = service.working_dir;
  if (service.tty !== undefined) body.Tty = service.tty;
  if (service.stdin_open !== undefined) body.OpenStdin = service.stdin_open;
  if (service.stop_signal) body.StopSignal = service.stop_signal;
  if (service.stop_grace_period !== undefined) body.StopTimeout = Math.ceil(service.stop_grace_period / 1e9);
  if (service.mac_address) body.MacAddress = service.mac_address;
  const health = healthcheck(service);
  if (health) body.Healthcheck = health;
  const first = endpoints[0];
  if (first) {
    body.NetworkingConfig = {
      EndpointsConfig: { [first.name]: first.settings ?? endpointSettings(service, first, ctx.project) },
    };
  }
  return body;
}

export function endpointSettings(
  service: Service,
  endpoint: DesiredEndpoint,
  project?: Project,
): EndpointSettingsBody {
  const settings: EndpointSettingsBody = { Aliases: [...endpoint.aliases] };
  // A link to a container that is not on this network is accepted and merely unresolvable (measured
  // on Engine 20.10), so every endpoint carries every link.
  const linkList = project ? links(project, service) : undefined;
  if (linkList) settings.Links = linkList;
  const attachment = service.networks?.[endpoint.key];
  const ipam: NonNullable<EndpointSettingsBody['IPAMConfig']> = {};
  if (endpoint.ipv4_address) ipam.IPv4Address = endpoint.ipv4_address;
  if (endpoint.ipv6_address) ipam.IPv6Address = endpoint.ipv6_address;
  if (attachment?.link_local_ips && attachment.link_local_ips.length > 0) {
    ipam.LinkLocalIPs = [...attachment.link_local_ips];
  }
  if (Object.keys(ipam).length > 0) settings.IPAMConfig = ipam;
  if (attachment?.mac_address) settings.MacAddress = attachment.mac_address;
  if (attachment?.driver_opts && Object.keys(attachment.driver_opts).length > 0) {
    settings.DriverOpts = sortedRecord(attachment.driver_opts);
  }
  return settings;
}

/** `K=V`, sorted; a `null` value would come from the runtime's environment, which orc never passes on. */
export function environment(service: Service): string[] {
  const env = service.environment ?? {};
  const keys = sortStrings(Object.keys(env));
  const out: string[] = [];
  for (let i = 0; i < keys.length; i++) {
    const value = env[keys[i]!];
    if (value !== null && value !== undefined) out.push(`${keys[i]}=${value}`);
  }
  return out;
}

/** compose v2's format: `svc:condition:restart`, comma-joined (sorted here for stable bytes). */
export function dependsOnLabel(service: Service): string {
  return sortStrings(Object.keys(service.depends_on ?? {}))
    .map((name) => {
      const dep = service.depends_on[name];
      return `${name}:${dep?.condition ?? 'service_started'}:${dep?.restart === true}`;
    })
    .join(',');
}

function containerLabels(ctx: ServiceContext, number: number): Record<string, string> {
  const { project, service } = ctx;
  // Ours win over the service's own labels of the same name; one sorted object is built (a spread
  // with computed keys, then a sorted copy, was ~10 µs a container on 1,000 services, profiled).
  const ours: Record<string, string> = {
    [Labels.project]: project.name,
    [Labels.service]: service.name,
    [Labels.containerNumber]: String(number),
    [Labels.oneoff]: 'False',
    [Labels.configHash]: ctx.hash,
    [Labels.dependsOn]: dependsOnLabel(service),
    [Labels.workingDir]: project.working_dir,
    [Labels.configFiles]: project.config_files.join(','),
    [Labels.version]: COMPOSE_COMPAT_VERSION,
    [Labels.orcManaged]: 'true',
    [Labels.orcVersion]: ORC_VERSION,
    [Labels.orcDefinition]: ctx.definition,
  };
  const own = service.labels ?? {};
  const keys = Object.keys(own);
  for (const key of Object.keys(ours)) if (!Object.hasOwn(own, key)) keys.push(key);
  sortStrings(keys);
  const out: Record<string, string> = {};
  for (const key of keys) out[key] = (Object.hasOwn(ours, key) ? ours[key] : own[key]) as string;
  return out;
}

function healthcheck(service: Service): ContainerCreateBody['Healthcheck'] | undefined {
  const hc = service.healthcheck;
  if (!hc) return undefined;
  if (hc.disable) return { Test: ['NONE'] };
  const out: NonNullable<ContainerCreateBody['Healthcheck']> = {};
  if (hc.test) out.Test = [...hc.test];
  if (hc.interval !== undefined) out.Interval = hc.interval;
  if (hc.timeout !== undefined) out.Timeout = hc.timeout;
  if (hc.retries !== undefined) out.Retries = hc.retries;
  if (hc.start_period !== undefined) out.StartPeriod = hc.start_period;
  if (hc.start_interval !== undefined) out.StartInterval = hc.start_interval;
  return Object.keys(out).length > 0 ? out : undefined;
}

/** `service:x` → `container:<x's first container>`; anything else as written. */
function namespaceMode(project: Project, mode: string | undefined): string | undefined {
  if (mode === undefined) return undefined;
  if (!mode.startsWith('service:')) return mode;
  const targetName = mode.slice('service:'.length);
  const target = project.services[targetName];
  return `container:${target ? containerName(project.name, target, 1) : `${project.name}-${targetName}-1`}`;
}

/**
 * The engine's policy comes from `restart:` only. `deploy.restart_policy` (delay, window) is beyond
 * what the engine can do, so the daemon supervises it (DesiredService.restart_policy); mapping it here
 * too would make the engine and the daemon both restart the container.
 */
function restartPolicy(restart: string | undefined): NonNullable<HostConfigBody['RestartPolicy']> {
  if (!restart || restart === 'no') return { Name: 'no' };
  if (restart === 'always' || restart === 'unless-stopped') return { Name: restart };
  if (restart.startsWith('on-failure')) {
    const count = Number(restart.split(':')[1]);
    return Number.isInteger(count) && count > 0
      ? { Name: 'on-failure', MaximumRetryCount: count }
      : { Name: 'on-failure' };
  }
  return { Name: 'no' };
}

function logConfig(service: Service, defaults: LogDefaults): NonNullable<HostConfigBody['LogConfig']> {
  const logging = service.logging;
  const options = logging?.options ?? {};
  if (!logging?.driver && Object.keys(options).length === 0) {
    return { Type: defaults.driver, Config: sortedRecord(defaults.options) };
  }
  return { Type: logging?.driver ?? defaults.driver, Config: sortedRecord(options) };
}

function volumesFrom(project: Project, entries: string[] | undefined): string[] | undefined {
  if (!entries || entries.length === 0) return undefined;
  return entries.map((entry) => {
    if (entry.startsWith('container:')) return entry.slice('container:'.length);
    const [name = '', mode] = entry.split(':');
    const target = project.services[name];
    const resolved = target ? containerName(project.name, target, 1) : name;
    return mode ? `${resolved}:${mode}` : resolved;
  });
}

function links(project: Project, service: Service): string[] | undefined {
  const out: string[] = [];
  for (const link of service.links ?? []) {
    const [name = '', alias] = link.split(':');
    const target = project.services[name];
    if (!target) continue;
    out.push(`${containerName(project.name, target, 1)}:${alias ?? name}`);
  }
  for (const link of service.external_links ?? []) {
    const [name = '', alias] = link.split(':');
    out.push(`${name}:${alias ?? name}`);
  }
  return out.length > 0 ? out : undefined;
}

function hostConfig(ctx: ServiceContext, endpoints: DesiredEndpoint[]): HostConfigBody {
  const { project, service } = ctx;
  const host: HostConfigBody = {};
  const mounts = containerMounts(service, project);
  if (mounts.Binds) host.Binds = mounts.Binds;
  if (mounts.Mounts) host.Mounts = mounts.Mounts;
  const bindings = portBindings(service);
  if (bindings) host.PortBindings = bindings;
  host.NetworkMode = namespaceMode(project, service.network_mode) ?? endpoints[0]?.name ?? 'none';
  host.RestartPolicy = restartPolicy(service.restart);
  host.LogConfig = logConfig(service, ctx.logging);
  if (service.init !== undefined) host.Init = service.init;
  if (service.privileged !== undefined) host.Privileged = service.privileged;
  if (service.read_only !== undefined) host.ReadonlyRootfs = service.read_only;
  if (nonEmpty(service.cap_add)) host.CapAdd = [...service.cap_add];
  if (nonEmpty(service.cap_drop)) host.CapDrop = [...service.cap_drop];
  if (nonEmpty(service.dns)) host.Dns = [...service.dns];
  if (nonEmpty(service.dns_search)) host.DnsSearch = [...service.dns_search];
  if (nonEmpty(service.dns_opt)) host.DnsOptions = [...service.dns_opt];
  const extraHosts = Object.keys(service.extra_hosts ?? {})
    .sort()
    .flatMap((hostName) => (service.extra_hosts?.[hostName] ?? []).map((ip) => `${hostName}:${ip}`));
  if (extraHosts.length > 0) host.ExtraHosts = extraHosts;
  const ipc = namespaceMode(project, service.ipc);
  if (ipc) host.IpcMode = ipc;
  const pid = namespaceMode(project, service.pid);
  if (pid) host.PidMode = pid;
  if (service.shm_size !== undefined) host.ShmSize = service.shm_size;
  if (service.sysctls && Object.keys(service.sysctls).length > 0)
    host.Sysctls = sortedRecord(service.sysctls);
  const ulimits = Object.keys(service.ulimits ?? {}).sort();
  if (ulimits.length > 0) {
    host.Ulimits = ulimits.map((name) => {
      const limit = service.ulimits?.[name];
      return { Name: name, Soft: limit?.soft ?? 0, Hard: limit?.hard ?? 0 };
    });
  }
  if (nonEmpty(service.devices)) {
    host.Devices = service.devices.map((d) => ({
      PathOnHost: d.source,
      PathInContainer: d.target,
      CgroupPermissions: d.permissions ?? 'rwm',
    }));
  }
  if (nonEmpty(service.device_cgroup_rules)) host.DeviceCgroupRules = [...service.device_cgroup_rules];
  if (nonEmpty(service.security_opt)) host.SecurityOpt = [...service.security_opt];
  const tmpfs = tmpfsMap(service.tmpfs, mounts.Tmpfs);
  if (tmpfs) host.Tmpfs = tmpfs;
  const from = volumesFrom(project, service.volumes_from);
  if (from) host.VolumesFrom = from;
  // Legacy links live in HostConfig only on the default bridge; elsewhere they go on the endpoints
  // (the engine ignores them here), and host/none/container modes refuse them.
  const linkList = links(project, service);
  if (linkList && service.network_mode === 'bridge') host.Links = linkList;
  resources(service, host);
  if (nonEmpty(service.group_add)) host.GroupAdd = [...service.group_add];
  if (service.runtime) host.Runtime = service.runtime;
  if (service.cgroup) host.CgroupnsMode = service.cgroup;
  if (service.cgroup_parent) host.CgroupParent = service.cgroup_parent;
  if (service.userns_mode) host.UsernsMode = service.userns_mode;
  if (service.uts) host.UTSMode = service.uts;
  if (service.isolation) host.Isolation = service.isolation;
  if (service.storage_opt && Object.keys(service.storage_opt).length > 0) {
    host.StorageOpt = sortedRecord(service.storage_opt);
  }
  return host;
}

/** `deploy.resources` wins over the short keys (`mem_limit`, `cpus`, ...), as in compose v2. */
function resources(service: Service, host: HostConfigBody): void {
  const limits = service.deploy?.resources?.limits;
  const reservations = service.deploy?.resources?.reservations;
  const memory = limits?.memory ?? service.mem_limit;
  if (memory !== undefined) host.Memory = memory;
  const reservation = reservations?.memory ?? service.mem_reservation;
  if (reservation !== undefined) host.MemoryReservation = reservation;
  if (service.memswap_limit !== undefined) host.MemorySwap = service.memswap_limit;
  const cpus = limits?.cpus ?? service.cpus;
  if (cpus !== undefined) host.NanoCpus = Math.round(cpus * 1e9);
  const pids = limits?.pids ?? service.pids_limit;
  if (pids !== undefined) host.PidsLimit = pids;
  if (service.cpu_shares !== undefined) host.CpuShares = service.cpu_shares;
  if (service.cpuset) host.CpusetCpus = service.cpuset;
  if (service.oom_score_adj !== undefined) host.OomScoreAdj = service.oom_score_adj;
  const requests = (reservations?.devices ?? []).map(deviceRequest);
  if (requests.length > 0) host.DeviceRequests = requests;
}

type DeviceRequest = NonNullable<HostConfigBody['DeviceRequests']>[number];

/** A reserved device (`capabilities: [gpu]`, `count: all`, ...) as the engine's DeviceRequest. */
function deviceRequest(device: Record<string, unknown>): DeviceRequest {
  const out: DeviceRequest = {};
  const strings = (v: unknown) => (Array.isArray(v) ? v.map(String) : []);
  if (typeof device.driver === 'string') out.Driver = device.driver;
  if (device.count === 'all') out.Count = -1;
  else if (typeof device.count === 'number') out.Count = device.count;
  const ids = strings(device.device_ids);
  if (ids.length > 0) out.DeviceIDs = ids;
  // Not given a count or ids, compose asks for every matching device.
  if (out.Count === undefined && ids.length === 0) out.Count = -1;
  const capabilities = strings(device.capabilities);
  if (capabilities.length > 0) out.Capabilities = [capabilities];
  const options = device.options;
  if (options && typeof options === 'object' && !Array.isArray(options)) {
    out.Options = sortedRecord(
      Object.fromEntries(Object.entries(options as Record<string, unknown>).map(([k, v]) => [k, String(v)])),
    );
  }
  return out;
}

function nonEmpty<T>(list: T[] | undefined): list is T[] {
  return list !== undefined && list.length > 0;
}

function unique(list: string[]): string[] {
  return [...new Set(list)];
}
