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
): DesiredHooks | undefined {
  const preStart = service.pre_start ?? [];
  const postStart = service.post_start ?? [];
  const preStop = service.pre_stop ?? [];
  if (preStart.length + postStart.length + preStop.length === 0) return undefined;
  const hash = preStart.length > 0 ? preStartHash(preStart) : undefined;
  const hooks: DesiredHooks = {
    pre_start: first && hash ? preStart.map((step, i) => initStep(step, i + 1, first, hash)) : [],
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

function initStep(step: PreStartHook, index: number, first: DesiredContainer, hash: string): DesiredInitStep {
  const base = first.create;
  const {
    PortBindings: _ports,
    PublishAllPorts: _all,
    RestartPolicy: _restart,
    Privileged: _privileged,
    ...hostConfig
  } = base.HostConfig;
  const labels: Record<string, string> = {};
  for (const key of [Labels.project, Labels.service, Labels.workingDir, Labels.configFiles, Labels.version]) {
    const value = base.Labels[key];
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
    Image: step.image ?? base.Image,
    Labels: labels,
    HostConfig: { ...hostConfig, ...(step.privileged ? { Privileged: true } : {}) },
  };
  if (step.command) create.Cmd = [...step.command];
  if (step.entrypoint) create.Entrypoint = [...step.entrypoint];
  // The service's environment, with the step's on top (as post_start's exec inherits the container's).
  const env = mergeEnv(base.Env ?? [], envList(step.environment));
  if (env.length > 0) create.Env = env;
  const user = step.user ?? base.User;
  if (user) create.User = user;
  const workingDir = step.working_dir ?? base.WorkingDir;
  if (workingDir) create.WorkingDir = workingDir;
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

function mergeEnv(base: string[], over: string[]): string[] {
  const byKey = new Map<string, string>();
  for (const kv of [...base, ...over]) byKey.set(kv.split('=', 1)[0] ?? kv, kv);
  return [...byKey.keys()].sort().map((k) => byKey.get(k) as string);
}
