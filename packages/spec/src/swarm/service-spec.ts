import { environment } from '../desired/container.js';
import { volumeEngineName } from '../desired/resources.js';
import { sortedRecord } from '../hash/canonical.js';
import { SwarmLabels } from '../model/labels.js';
import type { Project, Resources, Service, ServiceFileReference } from '../model/project.js';
import type {
  SwarmContainerSpec,
  SwarmEndpointSpec,
  SwarmMount,
  SwarmPortConfig,
  SwarmTaskTemplate,
  SwarmUpdateConfig,
} from '../model/swarm.js';
import { swarmNetworkName } from './names.js';

/**
 * One compose service → the parts of its Swarm `ServiceSpec`, field by field as `docker stack deploy`
 * converts them (cli/compose/convert/service.go is the reference read), plus what stack deploy drops
 * and Swarm can do. What Swarm cannot do is reported by `swarmProblems`, never here: this module only
 * translates what has a place in the spec.
 */

export interface FileNames {
  /** Compose key → versioned engine name. */
  secrets: Record<string, string>;
  configs: Record<string, string>;
}

export function containerSpec(
  project: Project,
  service: Service,
  image: string,
  files: FileNames,
): SwarmContainerSpec {
  const spec: SwarmContainerSpec = {
    Image: image,
    Labels: sortedRecord({ ...service.labels, [SwarmLabels.namespace]: project.name }),
  };
  if (service.entrypoint?.length) spec.Command = [...service.entrypoint];
  if (service.command?.length) spec.Args = [...service.command];
  if (service.hostname) spec.Hostname = service.hostname;
  const env = environment(service);
  if (env.length) spec.Env = env;
  if (service.working_dir) spec.Dir = service.working_dir;
  if (service.user) spec.User = service.user;
  if (service.group_add?.length) spec.Groups = service.group_add.map(String);
  if (service.tty !== undefined) spec.TTY = service.tty;
  if (service.stdin_open !== undefined) spec.OpenStdin = service.stdin_open;
  if (service.read_only !== undefined) spec.ReadOnly = service.read_only;
  const mounts = serviceMounts(project, service);
  if (mounts.length) spec.Mounts = mounts;
  if (service.stop_signal) spec.StopSignal = service.stop_signal;
  if (service.stop_grace_period !== undefined) spec.StopGracePeriod = service.stop_grace_period;
  const health = healthCheck(service);
  if (health) spec.HealthCheck = health;
  const hosts = Object.keys(service.extra_hosts ?? {})
    .sort()
    .flatMap((host) => (service.extra_hosts?.[host] ?? []).map((ip) => `${ip} ${host}`));
  if (hosts.length) spec.Hosts = hosts;
  const dns: NonNullable<SwarmContainerSpec['DNSConfig']> = {};
  if (service.dns?.length) dns.Nameservers = [...service.dns];
  if (service.dns_search?.length) dns.Search = [...service.dns_search];
  if (service.dns_opt?.length) dns.Options = [...service.dns_opt];
  if (Object.keys(dns).length) spec.DNSConfig = dns;
  const secrets = (service.secrets ?? []).map((ref) => {
    const file = fileTarget(ref, `${ref.source}`);
    return { File: file, SecretID: '', SecretName: files.secrets[ref.source] ?? ref.source };
  });
  if (secrets.length) spec.Secrets = secrets;
  const configs = (service.configs ?? []).map((ref) => {
    const file = fileTarget(ref, `/${ref.source}`);
    return { File: file, ConfigID: '', ConfigName: files.configs[ref.source] ?? ref.source };
  });
  if (configs.length) spec.Configs = configs;
  if (service.isolation) spec.Isolation = service.isolation;
  if (service.init !== undefined) spec.Init = service.init;
  if (service.sysctls && Object.keys(service.sysctls).length) spec.Sysctls = sortedRecord(service.sysctls);
  if (service.cap_add?.length) spec.CapabilityAdd = [...service.cap_add].sort();
  if (service.cap_drop?.length) spec.CapabilityDrop = [...service.cap_drop].sort();
  const ulimits = Object.keys(service.ulimits ?? {})
    .sort()
    .map((name) => {
      const u = service.ulimits?.[name] as { soft: number; hard: number };
      return { Name: name, Soft: u.soft, Hard: u.hard };
    });
  if (ulimits.length) spec.Ulimits = ulimits;
  return spec;
}

/** Swarm's defaults as `docker stack deploy` sets them: uid/gid 0, mode 0444. */
function fileTarget(ref: ServiceFileReference, defaultName: string) {
  return {
    Name: ref.target ?? defaultName,
    UID: ref.uid ?? '0',
    GID: ref.gid ?? '0',
    Mode: ref.mode ?? 0o444,
  };
}

function healthCheck(service: Service): SwarmContainerSpec['HealthCheck'] | undefined {
  const hc = service.healthcheck;
  if (!hc) return undefined;
  if (hc.disable) return { Test: ['NONE'] };
  const out: NonNullable<SwarmContainerSpec['HealthCheck']> = {};
  if (hc.test?.length) out.Test = [...hc.test];
  if (hc.interval !== undefined) out.Interval = hc.interval;
  if (hc.timeout !== undefined) out.Timeout = hc.timeout;
  if (hc.retries !== undefined) out.Retries = hc.retries;
  if (hc.start_period !== undefined) out.StartPeriod = hc.start_period;
  return Object.keys(out).length ? out : undefined;
}

/** Named volumes carry the stack's label and driver (Swarm creates them on each node a task lands on). */
export function serviceMounts(project: Project, service: Service): SwarmMount[] {
  const out: SwarmMount[] = [];
  for (const v of service.volumes ?? []) {
    if (v.type !== 'bind' && v.type !== 'volume' && v.type !== 'tmpfs') continue; // reported
    const m: SwarmMount = { Type: v.type, Target: v.target };
    if (v.read_only) m.ReadOnly = true;
    if (v.consistency) m.Consistency = v.consistency;
    if (v.type === 'bind') {
      if (v.source) m.Source = v.source;
      if (v.bind?.propagation) m.BindOptions = { Propagation: v.bind.propagation };
    } else if (v.type === 'volume') {
      const opts: NonNullable<SwarmMount['VolumeOptions']> = {};
      if (v.volume?.nocopy) opts.NoCopy = true;
      if (v.source) {
        m.Source = volumeEngineName(project, v.source);
        const declared = project.volumes?.[v.source];
        if (!declared?.external) {
          opts.Labels = sortedRecord({ ...declared?.labels, [SwarmLabels.namespace]: project.name });
          if (declared?.driver || declared?.driver_opts) {
            opts.DriverConfig = {};
            if (declared.driver) opts.DriverConfig.Name = declared.driver;
            if (declared.driver_opts && Object.keys(declared.driver_opts).length)
              opts.DriverConfig.Options = sortedRecord(declared.driver_opts);
          }
        }
      }
      if (Object.keys(opts).length) m.VolumeOptions = opts;
    } else {
      const tmpfs: NonNullable<SwarmMount['TmpfsOptions']> = {};
      if (v.tmpfs?.size !== undefined) tmpfs.SizeBytes = v.tmpfs.size;
      if (v.tmpfs?.mode !== undefined) tmpfs.Mode = v.tmpfs.mode;
      if (Object.keys(tmpfs).length) m.TmpfsOptions = tmpfs;
    }
    out.push(m);
  }
  // `tmpfs: [/run]`: a tmpfs mount each (options after `:` are reported, not translated).
  for (const entry of service.tmpfs ?? []) {
    const target = entry.split(':')[0] ?? entry;
    out.push({ Type: 'tmpfs', Target: target });
  }
  return out;
}

export function taskResources(service: Service): SwarmTaskTemplate['Resources'] | undefined {
  const limits = service.deploy?.resources?.limits;
  const reservations = service.deploy?.resources?.reservations;
  const out: NonNullable<SwarmTaskTemplate['Resources']> = {};
  const l: NonNullable<NonNullable<SwarmTaskTemplate['Resources']>['Limits']> = {};
  const cpus = limits?.cpus ?? service.cpus;
  if (cpus !== undefined) l.NanoCPUs = Math.round(cpus * 1e9);
  const memory = limits?.memory ?? service.mem_limit;
  if (memory !== undefined) l.MemoryBytes = memory;
  const pids = limits?.pids ?? service.pids_limit;
  if (pids !== undefined) l.Pids = pids;
  if (Object.keys(l).length) out.Limits = l;
  const r = reservationsOf(reservations, service.mem_reservation);
  if (r) out.Reservations = r;
  return Object.keys(out).length ? out : undefined;
}

function reservationsOf(
  res: Resources | undefined,
  memReservation: number | undefined,
): NonNullable<SwarmTaskTemplate['Resources']>['Reservations'] {
  const r: NonNullable<NonNullable<SwarmTaskTemplate['Resources']>['Reservations']> = {};
  if (res?.cpus !== undefined) r.NanoCPUs = Math.round(res.cpus * 1e9);
  const memory = res?.memory ?? memReservation;
  if (memory !== undefined) r.MemoryBytes = memory;
  if (res?.generic_resources?.length) {
    r.GenericResources = res.generic_resources.map((g) => ({
      DiscreteResourceSpec: { Kind: g.discrete_resource_spec.kind, Value: g.discrete_resource_spec.value },
    }));
  }
  return Object.keys(r).length ? r : undefined;
}

/** `deploy.restart_policy`, else `restart:` as stack deploy maps it (no → none, always/unless-stopped → any). */
export function restartPolicy(
  service: Service,
  job: boolean,
): SwarmTaskTemplate['RestartPolicy'] | undefined {
  const rp = service.deploy?.restart_policy;
  if (rp) {
    const out: NonNullable<SwarmTaskTemplate['RestartPolicy']> = {};
    if (rp.condition) out.Condition = rp.condition;
    if (rp.delay !== undefined) out.Delay = rp.delay;
    if (rp.max_attempts !== undefined) out.MaxAttempts = rp.max_attempts;
    if (rp.window !== undefined) out.Window = rp.window;
    return out;
  }
  const restart = service.restart;
  if (restart === 'no') return { Condition: 'none' };
  if (restart === 'always' || restart === 'unless-stopped') return { Condition: 'any' };
  if (restart?.startsWith('on-failure')) {
    const n = restart.split(':')[1];
    return n ? { Condition: 'on-failure', MaxAttempts: Number(n) } : { Condition: 'on-failure' };
  }
  // A job that fails is retried; one that succeeded is done (Swarm refuses `any` for jobs).
  return job ? { Condition: 'on-failure' } : undefined;
}

export function placement(service: Service, global: boolean): SwarmTaskTemplate['Placement'] | undefined {
  const p = service.deploy?.placement ?? {};
  const out: NonNullable<SwarmTaskTemplate['Placement']> = {};
  const constraints = stringList(p.constraints);
  if (constraints.length) out.Constraints = constraints;
  const prefs = Array.isArray(p.preferences) ? p.preferences : [];
  const spreads = prefs.flatMap((pref) => {
    const spread = (pref as { spread?: unknown } | null)?.spread;
    return typeof spread === 'string' ? [{ Spread: { SpreadDescriptor: spread } }] : [];
  });
  if (spreads.length) out.Preferences = spreads;
  const max = global ? undefined : p.max_replicas_per_node;
  if (typeof max === 'number' || (typeof max === 'string' && /^\d+$/.test(max)))
    out.MaxReplicas = Number(max);
  if (service.platform) {
    const [os, arch] = service.platform.split('/');
    if (os) out.Platforms = [{ OS: os, ...(arch ? { Architecture: arch } : {}) }];
  }
  return Object.keys(out).length ? out : undefined;
}

function stringList(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** Highest priority first, then by key; the service's name is an alias on each (stack deploy does it too). */
export function taskNetworks(project: Project, service: Service): SwarmTaskTemplate['Networks'] | undefined {
  if (service.network_mode === 'host') return [{ Target: 'host' }];
  if (service.network_mode !== undefined) return undefined; // reported
  const entries = Object.entries(service.networks ?? { default: null });
  entries.sort(([a, x], [b, y]) => (y?.priority ?? 0) - (x?.priority ?? 0) || a.localeCompare(b));
  return entries.map(([key, attachment]) => {
    const aliases = [...new Set([service.name, ...(attachment?.aliases ?? [])])];
    const net: NonNullable<SwarmTaskTemplate['Networks']>[number] = {
      Target: swarmNetworkName(project, key),
      Aliases: aliases,
    };
    if (attachment?.driver_opts && Object.keys(attachment.driver_opts).length)
      net.DriverOpts = sortedRecord(attachment.driver_opts);
    return net;
  });
}

export function updateConfig(
  cfg: NonNullable<Service['deploy']>['update_config'],
): SwarmUpdateConfig | undefined {
  if (!cfg) return undefined;
  const out: SwarmUpdateConfig = {};
  if (cfg.parallelism !== undefined) out.Parallelism = cfg.parallelism;
  if (cfg.delay !== undefined) out.Delay = cfg.delay;
  if (cfg.failure_action) out.FailureAction = cfg.failure_action;
  if (cfg.monitor !== undefined) out.Monitor = cfg.monitor;
  if (cfg.max_failure_ratio !== undefined) out.MaxFailureRatio = cfg.max_failure_ratio;
  if (cfg.order) out.Order = cfg.order;
  return out;
}

export function endpointSpec(service: Service): SwarmEndpointSpec | undefined {
  const out: SwarmEndpointSpec = {};
  const mode = service.deploy?.endpoint_mode;
  if (mode === 'vip' || mode === 'dnsrr') out.Mode = mode;
  const ports: SwarmPortConfig[] = [];
  for (const p of service.ports ?? []) {
    const port: SwarmPortConfig = { Protocol: p.protocol, TargetPort: p.target, PublishMode: p.mode };
    if (p.name) port.Name = p.name;
    // A range is reported (Swarm publishes one port per target); its first port is what is translated.
    const published = p.published?.split('-')[0];
    if (published) port.PublishedPort = Number(published);
    ports.push(port);
  }
  if (ports.length) out.Ports = ports;
  return Object.keys(out).length ? out : undefined;
}
