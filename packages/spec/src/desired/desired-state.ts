import { sortedRecord } from '../hash/canonical.js';
import { definitionHash, serviceDefinition } from '../hash/service-hash.js';
import type { DesiredBuild, DesiredService, DesiredState, OrcServiceExtension } from '../model/desired.js';
import { Labels } from '../model/labels.js';
import type { BuildConfig, Project, Service } from '../model/project.js';
import { containerBody, DEFAULT_LOGGING, type LogDefaults, serviceEndpoints } from './container.js';
import { DesiredStateError } from './errors.js';
import { desiredHooks, preStartHash } from './hooks.js';
import { valueFiles } from './mounts.js';
import { containerName, imageName } from './names.js';
import { dependencyOrder, usedServices } from './order.js';
import { fixedHostPorts } from './ports.js';
import { desiredNetwork, desiredVolume } from './resources.js';

export interface DesiredStateOptions {
  /** `--scale svc=n`: wins over `scale` / `deploy.replicas`. */
  scale?: Record<string, number>;
  /** The daemon-wide log driver for services that set none (default json-file, 10m × 3). */
  defaultLogging?: LogDefaults;
}

/** Seconds compose waits between SIGTERM and SIGKILL when `stop_grace_period` is not set. */
const DEFAULT_STOP_GRACE_SECONDS = 10;

/**
 * The Project as plain data the daemon converges the engine to: networks and volumes the services
 * use, services in dependency order, one container per replica with its exact create body.
 * Pure and deterministic: the same Project and options give the same bytes.
 */
export function desiredState(project: Project, opts: DesiredStateOptions = {}): DesiredState {
  const logging = opts.defaultLogging ?? DEFAULT_LOGGING;
  const order = dependencyOrder(project);
  const services = order.map((name) =>
    desiredService(project, project.services[name] as Service, opts, logging),
  );
  const networkKeys = new Set<string>();
  const volumeKeys = new Set<string>();
  for (const service of services) {
    for (const key of service.networks) networkKeys.add(key);
    for (const key of service.volumes) volumeKeys.add(key);
  }
  return {
    project: project.name,
    working_dir: project.working_dir,
    config_files: [...project.config_files],
    networks: [...networkKeys].sort().map((key) => desiredNetwork(project, key)),
    volumes: [...volumeKeys].sort().map((key) => desiredVolume(project, key)),
    services,
  };
}

export function replicaCount(service: Service, opts: DesiredStateOptions = {}): number {
  const wanted = opts.scale?.[service.name] ?? service.scale ?? service.deploy?.replicas ?? 1;
  if (!Number.isInteger(wanted) || wanted < 0) {
    throw new DesiredStateError(
      'INVALID_VALUE',
      `service "${service.name}": scale must be a whole number ≥ 0`,
      {
        path: `services.${service.name}.scale`,
      },
    );
  }
  return wanted;
}

function desiredService(
  project: Project,
  service: Service,
  opts: DesiredStateOptions,
  logging: LogDefaults,
): DesiredService {
  // A provider service has no container of its own: its provider makes whatever it stands for.
  const replicas = service.provider ? 0 : replicaCount(service, opts);
  if (service.container_name && replicas > 1) {
    throw new DesiredStateError(
      'SCALE_CONFLICT',
      `service "${service.name}" sets container_name "${service.container_name}" and cannot have ${replicas} replicas`,
      { path: `services.${service.name}.container_name`, hint: 'remove container_name, or scale to 1' },
    );
  }
  // compose refuses it when it creates the container (not at load: `config` shows the file as it is).
  if (service.healthcheck?.start_interval !== undefined && service.healthcheck.start_period === undefined) {
    throw new DesiredStateError(
      'INVALID_VALUE',
      `service "${service.name}": healthcheck.start_interval requires healthcheck.start_period to be set`,
      { path: `services.${service.name}.healthcheck.start_interval`, hint: 'add start_period (e.g. 30s)' },
    );
  }
  const definition = serviceDefinition(service, project);
  const hash = definitionHash(definition);
  const image = imageName(project.name, service);
  const ctx = { project, service, image, hash, definition, logging };
  const preStart = service.pre_start?.length ? preStartHash(service.pre_start) : undefined;
  const files = valueFiles(service, project);
  const containers = [];
  for (let number = 1; number <= replicas; number++) {
    const name = containerName(project.name, service, number);
    const endpoints = serviceEndpoints(project, service, name);
    const create = containerBody(ctx, number, endpoints);
    if (preStart) create.Labels = sortedRecord({ ...create.Labels, [Labels.orcPreStart]: preStart });
    containers.push({
      service: service.name,
      number,
      name,
      create,
      endpoints,
      ...(files.length ? { files } : {}),
    });
  }
  // The endpoints' order does not depend on the container's name: the first container's serve (a
  // second set of endpoint settings per service was measurable on 1,000 services).
  const networks =
    service.network_mode === undefined && !service.provider
      ? (containers[0]?.endpoints ?? serviceEndpoints(project, service, '')).map((e) => e.key)
      : [];
  const volumes = [
    ...new Set(
      (service.volumes ?? []).filter((v) => v.type === 'volume' && v.source).map((v) => v.source as string),
    ),
  ].sort();
  const out: DesiredService = {
    name: service.name,
    hash,
    image,
    pull_policy: pullPolicy(service),
    replicas,
    depends_on: dependsOn(service),
    networks,
    volumes,
    uses: usedServices(service).filter((name) => name in project.services),
    // Whole seconds (the stop API's `t`), rounded up so a service never gets less time than it asked for.
    stop_grace_period:
      service.stop_grace_period === undefined
        ? DEFAULT_STOP_GRACE_SECONDS
        : Math.ceil(service.stop_grace_period / 1e9),
    has_healthcheck: hasHealthcheck(service),
    fixed_host_ports: fixedHostPorts(service),
    orc: orcExtension(service),
    definition,
    containers,
  };
  if (service.provider) out.provider = { type: service.provider.type, options: service.provider.options };
  const first = containers[0];
  const hooks = desiredHooks(service, first, (variant) =>
    containerBody({ ...ctx, service: variant }, 1, first?.endpoints ?? []),
  );
  if (hooks) out.hooks = hooks;
  if (service.build) out.build = desiredBuild(service.build, image);
  if (service.platform) out.platform = service.platform;
  if (service.stop_signal) out.stop_signal = service.stop_signal;
  const restart = service.deploy?.restart_policy;
  if (restart) {
    out.restart_policy = { condition: restart.condition ?? 'any', delay_ms: nsToMs(restart.delay ?? 5e9) };
    if (restart.max_attempts !== undefined) out.restart_policy.max_attempts = restart.max_attempts;
    if (restart.window !== undefined) out.restart_policy.window_ms = nsToMs(restart.window);
  }
  const update = service.deploy?.update_config;
  if (update) {
    out.update_config = {
      order: update.order ?? 'stop-first',
      parallelism: update.parallelism ?? 1,
      delay_ms: nsToMs(update.delay ?? 0),
      failure_action: update.failure_action ?? 'pause',
    };
  }
  return out;
}

function nsToMs(ns: number): number {
  return Math.round(ns / 1e6);
}

/** compose's `if_not_present` is an old spelling of `missing`; a build-only service is built, not pulled. */
function pullPolicy(service: Service): string {
  const policy = service.pull_policy;
  if (policy === 'if_not_present') return 'missing';
  if (policy) return policy;
  return service.build && !service.image ? 'build' : 'missing';
}

export function dependsOn(service: Service): DesiredService['depends_on'] {
  const out: DesiredService['depends_on'] = {};
  for (const name of Object.keys(service.depends_on ?? {}).sort()) {
    const dep = service.depends_on[name];
    out[name] = {
      condition: dep?.condition ?? 'service_started',
      required: dep?.required ?? true,
      restart: dep?.restart ?? false,
    };
  }
  return out;
}

export function hasHealthcheck(service: Service): boolean {
  const hc = service.healthcheck;
  if (!hc || hc.disable) return false;
  return !(hc.test?.[0] === 'NONE');
}

function orcExtension(service: Service): OrcServiceExtension {
  const raw = service.extensions?.['x-orc'];
  const out: OrcServiceExtension = {};
  if (raw && typeof raw === 'object' && !Array.isArray(raw)) {
    const value = (raw as Record<string, unknown>).restart_on_unhealthy;
    if (typeof value === 'boolean') out.restart_on_unhealthy = value;
  }
  return out;
}

export function desiredBuild(build: BuildConfig, image: string): DesiredBuild {
  const args: Record<string, string> = {};
  // A `null` arg is read from the CLIENT's environment at build time (the image service does it);
  // the daemon's own environment never leaks in.
  const fromEnv: string[] = [];
  for (const [key, value] of Object.entries(build.args ?? {})) {
    if (value === null) fromEnv.push(key);
    else args[key] = value;
  }
  const out: DesiredBuild = {
    context: build.context,
    args: sortedRecord(args),
    labels: sortedRecord(build.labels),
    extra_hosts: Object.keys(build.extra_hosts ?? {})
      .sort()
      .flatMap((host) => (build.extra_hosts?.[host] ?? []).map((ip) => `${host}:${ip}`)),
    cache_from: [...(build.cache_from ?? [])],
    no_cache: build.no_cache === true,
    pull: build.pull === true,
    tags: [...new Set([image, ...(build.tags ?? [])])],
    platforms: [...(build.platforms ?? [])],
  };
  if (build.dockerfile) out.dockerfile = build.dockerfile;
  if (build.dockerfile_inline) out.dockerfile_inline = build.dockerfile_inline;
  if (build.target) out.target = build.target;
  if (build.network) out.network = build.network;
  if (build.shm_size !== undefined) out.shm_size = build.shm_size;
  if (fromEnv.length) out.args_from_env = fromEnv.sort();
  return out;
}
