/**
 * Which fields of a desired service spec the cluster's spec does not match. The comparison goes from
 * the desired side: every field orc sets must hold the same value on the engine, while fields the engine
 * adds (defaults, ids, `ForceUpdate`, a pinned digest) are not differences. So a service scaled or
 * edited by hand shows up (level-triggered repair), and a spec read back from the engine never does.
 */
import { SwarmLabels, type SwarmServiceSpec } from '@orc/spec';
import type { ObservedSwarmNetwork } from './types.js';

/** Labels that never make a service differ on their own (an orc upgrade, the hash that says what changed). */
const IGNORED_LABELS = new Set<string>([SwarmLabels.orcConfigHash, SwarmLabels.orcVersion]);

/** The segments of a path shown to people, after dropping `TaskTemplate`. */
const MAX_DEPTH = 3;

/**
 * Spec paths (`ContainerSpec.Env.GREETING`, `Mode.Replicated.Replicas`, `EndpointSpec.Ports`) where the
 * observed spec differs from the desired one, sorted.
 */
export function specDiff(
  desired: SwarmServiceSpec,
  observed: SwarmServiceSpec,
  networks: readonly ObservedSwarmNetwork[] = [],
): string[] {
  const out = new Set<string>();
  const seen = comparable(observed, networks, desired.TaskTemplate.ContainerSpec.Image);
  walk(withoutIgnoredLabels(desired), withoutIgnoredLabels(seen), [], out);
  return [...out].sort();
}

/** The observed spec in the desired spec's terms: network names, no bound ids, the digest the file did not ask for. */
function comparable(
  observed: SwarmServiceSpec,
  networks: readonly ObservedSwarmNetwork[],
  desiredImage: string,
): SwarmServiceSpec {
  const byId = new Map(networks.map((n) => [n.id, n.name]));
  const task = observed.TaskTemplate ?? ({} as SwarmServiceSpec['TaskTemplate']);
  const container = task.ContainerSpec ?? ({} as SwarmServiceSpec['TaskTemplate']['ContainerSpec']);
  const image = container.Image ?? '';
  const sameImage = !desiredImage.includes('@') && image.startsWith(`${desiredImage}@`);
  const out: SwarmServiceSpec = {
    ...observed,
    TaskTemplate: {
      ...task,
      ContainerSpec: {
        ...container,
        Image: sameImage ? desiredImage : image,
        ...(container.Secrets ? { Secrets: container.Secrets.map((s) => ({ ...s, SecretID: '' })) } : {}),
        ...(container.Configs ? { Configs: container.Configs.map((c) => ({ ...c, ConfigID: '' })) } : {}),
      },
    },
  };
  if (task.Networks) {
    out.TaskTemplate.Networks = task.Networks.map((n) => ({ ...n, Target: byId.get(n.Target) ?? n.Target }));
  }
  return out;
}

function withoutIgnoredLabels(spec: SwarmServiceSpec): SwarmServiceSpec {
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(spec.Labels ?? {})) if (!IGNORED_LABELS.has(k)) labels[k] = v;
  return { ...spec, Labels: labels };
}

function walk(want: unknown, have: unknown, path: string[], out: Set<string>): void {
  if (isRecord(want)) {
    if (!isRecord(have)) {
      if (!isEmpty(want)) out.add(show(path));
      return;
    }
    for (const key of Object.keys(want)) walk(want[key], have[key], [...path, key], out);
    return;
  }
  if (Array.isArray(want)) {
    if (path[path.length - 1] === 'Env' && Array.isArray(have)) {
      for (const name of envDiff(want, have)) out.add(show([...path, name]));
      return;
    }
    if (!Array.isArray(have)) {
      if (want.length > 0) out.add(show(path));
      return;
    }
    if (want.length !== have.length) {
      out.add(show(path));
      return;
    }
    // Items are compared from the desired side too (the engine may add defaults inside them).
    const inner = new Set<string>();
    for (let i = 0; i < want.length; i++) walk(want[i], have[i], path, inner);
    if (inner.size > 0) out.add(show(path));
    return;
  }
  if (want === have) return;
  if (have === undefined && isZero(want)) return;
  out.add(show(path));
}

/** Variables whose value differs (added, removed or changed), by name. */
function envDiff(want: unknown[], have: unknown[]): string[] {
  const toMap = (list: unknown[]) =>
    new Map(
      list.map((e) => {
        const s = String(e);
        const i = s.indexOf('=');
        return i < 0 ? [s, ''] : [s.slice(0, i), s.slice(i + 1)];
      }),
    );
  const a = toMap(want);
  const b = toMap(have);
  const names = new Set([...a.keys(), ...b.keys()]);
  return [...names].filter((n) => a.get(n) !== b.get(n)).sort();
}

function show(path: string[]): string {
  const shown = path[0] === 'TaskTemplate' ? path.slice(1) : path;
  return shown.slice(0, MAX_DEPTH).join('.') || '(spec)';
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isEmpty(v: Record<string, unknown>): boolean {
  return Object.values(v).every((x) => x === undefined || (isRecord(x) && isEmpty(x)));
}

/** Values the engine leaves out when they are zero (Go's omitempty). */
function isZero(v: unknown): boolean {
  return v === 0 || v === false || v === '';
}

/** Spec path prefixes → the compose key people wrote (most specific first). */
const COMPOSE_FIELDS: ReadonlyArray<[string, string]> = [
  ['ContainerSpec.Env', 'environment'],
  ['ContainerSpec.Labels', 'labels'],
  ['ContainerSpec.Args', 'command'],
  ['ContainerSpec.Command', 'entrypoint'],
  ['ContainerSpec.Image', 'image'],
  ['ContainerSpec.Hostname', 'hostname'],
  ['ContainerSpec.Dir', 'working_dir'],
  ['ContainerSpec.User', 'user'],
  ['ContainerSpec.Groups', 'group_add'],
  ['ContainerSpec.TTY', 'tty'],
  ['ContainerSpec.OpenStdin', 'stdin_open'],
  ['ContainerSpec.ReadOnly', 'read_only'],
  ['ContainerSpec.Mounts', 'volumes'],
  ['ContainerSpec.StopSignal', 'stop_signal'],
  ['ContainerSpec.StopGracePeriod', 'stop_grace_period'],
  ['ContainerSpec.HealthCheck', 'healthcheck'],
  ['ContainerSpec.Hosts', 'extra_hosts'],
  ['ContainerSpec.DNSConfig', 'dns'],
  ['ContainerSpec.Secrets', 'secrets'],
  ['ContainerSpec.Configs', 'configs'],
  ['ContainerSpec.Init', 'init'],
  ['ContainerSpec.Sysctls', 'sysctls'],
  ['ContainerSpec.CapabilityAdd', 'cap_add'],
  ['ContainerSpec.CapabilityDrop', 'cap_drop'],
  ['ContainerSpec.Ulimits', 'ulimits'],
  ['ContainerSpec.Isolation', 'isolation'],
  ['Resources', 'deploy.resources'],
  ['RestartPolicy', 'deploy.restart_policy'],
  ['Placement.Platforms', 'platform'],
  ['Placement', 'deploy.placement'],
  ['Networks', 'networks'],
  ['LogDriver', 'logging'],
  ['Mode.Replicated.Replicas', 'deploy.replicas'],
  ['Mode', 'deploy.mode'],
  ['UpdateConfig', 'deploy.update_config'],
  ['RollbackConfig', 'deploy.rollback_config'],
  ['EndpointSpec.Mode', 'deploy.endpoint_mode'],
  ['EndpointSpec.Ports', 'ports'],
  [`Labels.${SwarmLabels.image}`, 'image'],
  ['Labels', 'deploy.labels'],
];

/**
 * A spec path as the compose key it comes from (`ContainerSpec.Env.GREETING` → `environment.GREETING`,
 * `Mode.Replicated.Replicas` → `deploy.replicas`), so a cause reads as it does on one host.
 */
export function composeField(specPath: string): string {
  for (const [prefix, key] of COMPOSE_FIELDS) {
    if (specPath === prefix) return key;
    if (specPath.startsWith(`${prefix}.`)) {
      const rest = specPath.slice(prefix.length + 1);
      // A variable or label name stays; a sub-field of the spec does not mean anything in compose.
      return key === 'environment' || key === 'labels' || key === 'deploy.labels' ? `${key}.${rest}` : key;
    }
  }
  return specPath;
}

/** The compose keys behind spec paths, without repeats, in order. */
export function composeFields(specPaths: readonly string[]): string[] {
  return [...new Set(specPaths.map(composeField))];
}
