import { canonicalJson, sha256Hex } from '../hash/canonical.js';
import type {
  ContainerCreateBody,
  DesiredContainer,
  DesiredEndpoint,
  DesiredExecHook,
  DesiredHooks,
  DesiredInitStep,
} from '../model/desired.js';
import { Labels } from '../model/labels.js';
import type { LifecycleHook, PreStartHook, Service } from '../model/project.js';

/**
 * The service's lifecycle hooks as the executor runs them. `pre_start` steps become init containers
 * shaped after the first replica (its mounts and networks, so they see what the service will see), but
 * without what two containers cannot share: published ports, fixed addresses, the MAC address, the
 * service's DNS aliases (a client must never reach an init container by the service's name).
 */
export function desiredHooks(
  service: Service,
  first: DesiredContainer | undefined,
  bodyFor: (variant: Service) => ContainerCreateBody,
): DesiredHooks | undefined {
  const preStart = service.pre_start ?? [];
  const postStart = service.post_start ?? [];
  const preStop = service.pre_stop ?? [];
  if (preStart.length + postStart.length + preStop.length === 0) return undefined;
  const hash = preStart.length > 0 ? preStartHash(preStart) : undefined;
  const hooks: DesiredHooks = {
    pre_start:
      first && hash ? preStart.map((step, i) => initStep(service, step, i + 1, first, hash, bodyFor)) : [],
    post_start: postStart.map((h, i) => execHook(h, i + 1)),
    pre_stop: preStop.map((h, i) => execHook(h, i + 1)),
  };
  if (hash) hooks.pre_start_hash = hash;
  return hooks;
}

/** What identifies a set of `pre_start` steps: once they succeeded, the same steps are not run again. */
export function preStartHash(steps: PreStartHook[]): string {
  return sha256Hex(canonicalJson(steps));
}

function execHook(hook: LifecycleHook, index: number): DesiredExecHook {
  const out: DesiredExecHook = { index, Cmd: [...(hook.command ?? [])] };
  if (hook.user) out.User = hook.user;
  if (hook.privileged) out.Privileged = true;
  if (hook.working_dir) out.WorkingDir = hook.working_dir;
  const env = envList(hook.environment);
  if (env.length > 0) out.Env = env;
  return out;
}

/**
 * The step as the service it runs as: the service with the step's keys on top (volumes by target,
 * extra_hosts and environment by key, the rest replaced), minus what belongs to the service's own
 * containers (ports, healthcheck, restart policy, hooks).
 */
function stepService(service: Service, step: PreStartHook): Service {
  const {
    command: _command,
    entrypoint: _entrypoint,
    healthcheck: _healthcheck,
    restart: _restart,
    pre_start: _pre,
    post_start: _post,
    pre_stop: _stop,
    hostname: _hostname,
    mac_address: _mac,
    privileged: _privileged,
    ...rest
  } = service;
  const redeclared = new Set((step.volumes ?? []).map((v) => v.target));
  const variant: Service = {
    ...rest,
    ports: [],
    expose: [],
    environment: { ...service.environment, ...(step.environment ?? {}) },
    volumes: [...service.volumes.filter((v) => !redeclared.has(v.target)), ...(step.volumes ?? [])],
  };
  if (service.extra_hosts || step.extra_hosts)
    variant.extra_hosts = { ...(service.extra_hosts ?? {}), ...(step.extra_hosts ?? {}) };
  if (step.command) variant.command = step.command;
  if (step.entrypoint) variant.entrypoint = step.entrypoint;
  if (step.user) variant.user = step.user;
  if (step.working_dir) variant.working_dir = step.working_dir;
  if (step.privileged) variant.privileged = true;
  return variant;
}

function initStep(
  service: Service,
  step: PreStartHook,
  index: number,
  first: DesiredContainer,
  hash: string,
  bodyFor: (variant: Service) => ContainerCreateBody,
): DesiredInitStep {
  const built = bodyFor(stepService(service, step));
  const {
    PortBindings: _ports,
    PublishAllPorts: _all,
    RestartPolicy: _restart,
    ...hostConfig
  } = built.HostConfig;
  const labels: Record<string, string> = {};
  for (const key of [Labels.project, Labels.service, Labels.workingDir, Labels.configFiles, Labels.version]) {
    const value = first.create.Labels[key];
    if (value !== undefined) labels[key] = value;
  }
  Object.assign(labels, {
    [Labels.oneoff]: 'True',
    [Labels.orcManaged]: 'true',
    [Labels.orcHook]: 'pre_start',
    [Labels.orcHookIndex]: String(index),
    // A failed step's container is kept (its logs say why): the hash tells which definition failed.
    [Labels.orcPreStart]: hash,
  });
  const create: ContainerCreateBody = {
    Image: step.image ?? built.Image,
    Labels: labels,
    HostConfig: hostConfig,
  };
  if (built.Cmd) create.Cmd = built.Cmd;
  if (built.Entrypoint) create.Entrypoint = built.Entrypoint;
  if (built.Env) create.Env = built.Env;
  if (built.User) create.User = built.User;
  if (built.WorkingDir) create.WorkingDir = built.WorkingDir;
  const endpoints = first.endpoints.map(bare);
  const net = endpoints[0];
  if (net) create.NetworkingConfig = { EndpointsConfig: { [net.name]: net.settings ?? {} } };
  return { index, name: `${first.name}-pre_start-${index}`, create, endpoints };
}

/** The endpoint without the service's aliases, fixed addresses or MAC (links stay: they name other services). */
function bare(endpoint: DesiredEndpoint): DesiredEndpoint {
  const { ipv4_address: _v4, ipv6_address: _v6, settings, ...rest } = endpoint;
  return { ...rest, aliases: [], settings: settings?.Links ? { Links: [...settings.Links] } : {} };
}

function envList(env: Record<string, string | null> | undefined): string[] {
  return Object.keys(env ?? {})
    .sort()
    .flatMap((k) => {
      const v = env?.[k];
      return v === null || v === undefined ? [] : [`${k}=${v}`];
    });
}
