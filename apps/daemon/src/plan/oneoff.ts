/**
 * `orc run`'s engine changes as a plan (pure): the image, the service's networks and volumes that are
 * missing (a one-off may come before any `up`), the one-off container itself, and its start when it runs
 * detached (an attached one is started by a second plan, once its output is attached).
 */
import type {
  ContainerCreateBody,
  DesiredEndpoint,
  DesiredService,
  DesiredState,
  HostConfigBody,
  MountBody,
  Project,
} from '@orc/spec';
import { desiredVolume, Labels, parseShortPort, parseShortVolume } from '@orc/spec';
import { OrcError } from '../contract/errors.js';
import type { RunOptions } from '../contract/types.js';
import type { Operation, Plan } from './types.js';

export interface OneOffInput {
  desired: DesiredState;
  service: DesiredService;
  /** `<project>-<service>-run-<random>`, or `--name`. */
  name: string;
  options: RunOptions;
  /** Engine names of the service's networks and volumes that exist now. */
  existingNetworks: ReadonlySet<string>;
  existingVolumes: ReadonlySet<string>;
  start: boolean;
}

/** compose splits `--entrypoint` like a shell would; whitespace words are enough for commands we pass. */
function splitWords(text: string): string[] {
  return text.split(/\s+/).filter((w) => w !== '');
}

/**
 * A one-off must not take the service's traffic: no alias unless `useAliases`, and even then never the
 * name of one of the service's own containers.
 */
function oneOffEndpoint(ep: DesiredEndpoint, svc: DesiredService, useAliases: boolean): DesiredEndpoint {
  const { Aliases: _a, ...settings } = ep.settings ?? {};
  if (!useAliases) return { ...ep, aliases: [], settings };
  const own = new Set(svc.containers.map((c) => c.name));
  const aliases = ep.aliases.filter((a) => !own.has(a));
  return { ...ep, aliases, settings: { ...settings, Aliases: aliases } };
}

type PortBindings = NonNullable<HostConfigBody['PortBindings']>;

/** `-p` in the short syntax of `ports:`, as the engine's bindings (one key per container port). */
function publishedPorts(specs: readonly string[]): PortBindings {
  const out: PortBindings = {};
  for (const spec of specs) {
    const parsed = parseShortPort(spec);
    if (!parsed.ok) {
      throw new OrcError('INVALID_REQUEST', `--publish ${spec}: ${parsed.message}`, undefined, {
        ...(parsed.hint ? { hint: parsed.hint } : {}),
      });
    }
    for (const port of parsed.ports) {
      const key = `${port.target}/${port.protocol}`;
      out[key] = [
        ...(out[key] ?? []),
        { ...(port.host_ip ? { HostIp: port.host_ip } : {}), HostPort: port.published ?? '' },
      ];
    }
  }
  return out;
}

/** `./src` from `/srv/demo`: the planner stays pure (no node:path); the engine's paths are POSIX. */
function projectPath(dir: string, relative: string): string {
  const parts: string[] = [];
  for (const part of `${dir}/${relative}`.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return `/${parts.join('/')}`;
}

interface RunMounts {
  binds: string[];
  mounts: MountBody[];
  targets: Set<string>;
}

/**
 * `-v` as a service's short-syntax volume would be: a relative source is a bind from the project
 * directory, a name among the project's volumes is that volume's engine name, any other name an engine
 * volume of that name (made by the engine if missing), no source an anonymous volume.
 */
function runMounts(specs: readonly string[], desired: DesiredState): RunMounts {
  const out: RunMounts = { binds: [], mounts: [], targets: new Set() };
  for (const spec of specs) {
    const parsed = parseShortVolume(spec);
    if (!parsed.ok) {
      throw new OrcError('INVALID_REQUEST', `--volume ${spec}: ${parsed.message}`, undefined, {
        ...(parsed.hint ? { hint: parsed.hint } : {}),
      });
    }
    const v = parsed.volume;
    out.targets.add(v.target);
    if (v.source === undefined) {
      out.mounts.push({ Type: 'volume', Target: v.target, ...(v.read_only ? { ReadOnly: true } : {}) });
      continue;
    }
    let source = v.source;
    if (v.type === 'bind') {
      if (source.startsWith('~')) {
        // The daemon's home is not the user's: the CLI expands `~` before sending.
        throw new OrcError(
          'INVALID_REQUEST',
          `--volume ${spec}: "~" is not expanded by the daemon`,
          undefined,
          {
            hint: 'give an absolute path or one relative to the project directory',
          },
        );
      }
      if (!source.startsWith('/')) source = projectPath(desired.working_dir, source);
    } else {
      source = desired.volumes.find((x) => x.key === source)?.name ?? source;
    }
    const options = [v.read_only ? 'ro' : 'rw'];
    if (v.bind?.selinux) options.push(v.bind.selinux);
    if (v.bind?.propagation) options.push(v.bind.propagation);
    if (v.volume?.nocopy) options.push('nocopy');
    out.binds.push(`${source}:${v.target}:${options.join(',')}`);
  }
  return out;
}

function ownLabels(labels: Record<string, string> | undefined): Record<string, string> {
  return Object.fromEntries(
    Object.entries(labels ?? {}).filter(
      ([k]) => k.startsWith('com.docker.compose.') || k.startsWith('dev.orc.'),
    ),
  );
}

/** The container path of a `Binds` entry (`src:dst[:opts]`). */
function bindTarget(bind: string): string | undefined {
  return bind.split(':')[1];
}

/**
 * The service's create body turned into a one-off's, as compose v2's `run` does: no restart policy, no
 * published ports unless `servicePorts` (or those of `publish`), no network alias unless `useAliases`;
 * `volumes`, `labels`, `capAdd` and `capDrop` added to the service's own.
 */
export function oneOffBody(
  svc: DesiredService,
  desired: DesiredState,
  o: RunOptions,
): ContainerCreateBody & { HostConfig: { AutoRemove?: boolean } } {
  const base = svc.containers[0]?.create;
  if (!base) throw new OrcError('INTERNAL', `service ${svc.name} has no container definition`);
  if (o.servicePorts && o.publish?.length) {
    throw new OrcError('INVALID_REQUEST', '--service-ports and --publish are incompatible');
  }
  const { PortBindings: servicePorts, RestartPolicy: _restart, ...host } = base.HostConfig;
  const tty = o.tty ?? false;
  const stdin = o.interactive ?? false;
  const ports = o.servicePorts ? servicePorts : o.publish?.length ? publishedPorts(o.publish) : undefined;
  const exposed = ports
    ? { ...base.ExposedPorts, ...Object.fromEntries(Object.keys(ports).map((k) => [k, {}])) }
    : base.ExposedPorts;
  const mounts = runMounts(o.volumes ?? [], desired);
  // A `-v` on a path the service mounts too replaces the service's mount (the engine refuses two).
  const binds = [
    ...(host.Binds ?? []).filter((b) => !mounts.targets.has(bindTarget(b) ?? '')),
    ...mounts.binds,
  ];
  const mountBodies = [...(host.Mounts ?? []).filter((m) => !mounts.targets.has(m.Target)), ...mounts.mounts];
  const tmpfs = host.Tmpfs
    ? Object.fromEntries(Object.entries(host.Tmpfs).filter(([path]) => !mounts.targets.has(path)))
    : undefined;
  const unique = (a: readonly string[] | undefined, b: readonly string[] | undefined) => [
    ...new Set([...(a ?? []), ...(b ?? [])]),
  ];
  const endpoints = base.NetworkingConfig?.EndpointsConfig;
  const ownNames = new Set(svc.containers.map((c) => c.name));
  const { Binds: _b, Mounts: _m, Tmpfs: _t, CapAdd: _ca, CapDrop: _cd, ...rest } = host;
  return {
    ...base,
    Labels: {
      ...base.Labels,
      ...o.labels,
      // After the user's, as compose sets its own: these are how orc and compose tools tell what a
      // container is (its project, service, that it is a one-off).
      ...ownLabels(base.Labels),
      [Labels.oneoff]: 'True',
      // The image id label is added by the executor's create, as for every container.
      [Labels.project]: desired.project,
    },
    ...(o.cmd?.length ? { Cmd: o.cmd } : {}),
    ...(o.entrypoint !== undefined
      ? { Entrypoint: o.entrypoint === '' ? [''] : splitWords(o.entrypoint) }
      : {}),
    ...(o.env?.length ? { Env: [...(base.Env ?? []), ...o.env] } : {}),
    ...(o.user ? { User: o.user } : {}),
    ...(o.workdir ? { WorkingDir: o.workdir } : {}),
    ...(exposed ? { ExposedPorts: exposed } : {}),
    Tty: tty,
    OpenStdin: stdin,
    AttachStdin: stdin,
    AttachStdout: !o.detach,
    AttachStderr: !o.detach,
    ...(stdin ? { StdinOnce: true } : {}),
    HostConfig: {
      ...rest,
      ...(ports ? { PortBindings: ports } : {}),
      ...(binds.length ? { Binds: binds } : {}),
      ...(mountBodies.length ? { Mounts: mountBodies } : {}),
      ...(tmpfs && Object.keys(tmpfs).length ? { Tmpfs: tmpfs } : {}),
      ...(host.CapAdd || o.capAdd?.length ? { CapAdd: unique(host.CapAdd, o.capAdd) } : {}),
      ...(host.CapDrop || o.capDrop?.length ? { CapDrop: unique(host.CapDrop, o.capDrop) } : {}),
      ...(o.rm && o.detach ? { AutoRemove: true } : {}),
    },
    ...(endpoints
      ? {
          NetworkingConfig: {
            EndpointsConfig: Object.fromEntries(
              Object.entries(endpoints).map(([net, { Aliases: aliases, ...settings }]) => {
                const kept = o.useAliases ? (aliases ?? []).filter((a) => !ownNames.has(a)) : [];
                return [net, kept.length ? { ...settings, Aliases: kept } : settings];
              }),
            ),
          },
        }
      : {}),
  };
}

/** The volume names `-v` gives (bind sources and anonymous volumes left out). */
function namedVolumes(o: RunOptions): string[] {
  return (o.volumes ?? []).flatMap((spec) => {
    const parsed = parseShortVolume(spec);
    return parsed.ok && parsed.volume.type === 'volume' && parsed.volume.source ? [parsed.volume.source] : [];
  });
}

/**
 * The desired state a one-off is planned from: the project's volumes `-v` names by their key join it,
 * since the desired state holds only the volumes some service uses and the one-off's is made like theirs.
 */
export function oneOffDesired(desired: DesiredState, project: Project, o: RunOptions): DesiredState {
  const missing = namedVolumes(o).filter(
    (key) => project.volumes?.[key] !== undefined && !desired.volumes.some((v) => v.key === key),
  );
  if (missing.length === 0) return desired;
  const volumes = [...desired.volumes, ...[...new Set(missing)].map((key) => desiredVolume(project, key))];
  return { ...desired, volumes: volumes.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)) };
}

/** The project's volumes a one-off mounts: the service's and those `-v` names by their key. */
export function oneOffVolumeKeys(service: DesiredService, desired: DesiredState, o: RunOptions): string[] {
  const named = namedVolumes(o).filter((k) => desired.volumes.some((v) => v.key === k));
  return [...new Set([...service.volumes, ...named])];
}

export function planOneOff(i: OneOffInput): Plan {
  const { desired, service } = i;
  const ops: Operation[] = [];
  const image = `ensure-image:${service.image}`;
  ops.push({
    kind: 'ensure-image',
    id: image,
    after: [],
    cause: 'one-off',
    service: service.name,
    image: service.image,
    pullPolicy: service.pull_policy,
    build: false,
  });
  const infra: string[] = [];
  for (const key of service.networks) {
    const n = desired.networks.find((x) => x.key === key);
    if (!n || n.external || i.existingNetworks.has(n.name)) continue;
    const id = `create-network:${n.name}`;
    ops.push({ kind: 'create-network', id, after: [], cause: 'missing', name: n.name, key, body: n.create });
    infra.push(id);
  }
  for (const key of oneOffVolumeKeys(service, desired, i.options)) {
    const v = desired.volumes.find((x) => x.key === key);
    if (!v || v.external || i.existingVolumes.has(v.name)) continue;
    const id = `create-volume:${v.name}`;
    ops.push({ kind: 'create-volume', id, after: [], cause: 'missing', name: v.name, key, body: v.create });
    infra.push(id);
  }
  const create = `create-container:${i.name}`;
  const endpoints = (service.containers[0]?.endpoints ?? []).map((ep) =>
    oneOffEndpoint(ep, service, i.options.useAliases ?? false),
  );
  ops.push({
    kind: 'create-container',
    id: create,
    after: [image, ...infra],
    cause: 'one-off',
    service: service.name,
    name: i.name,
    createAs: i.name,
    number: 0,
    body: oneOffBody(service, desired, i.options),
    endpoints,
  });
  if (i.start) {
    ops.push({
      kind: 'start-container',
      id: `start-container:${i.name}`,
      after: [create],
      cause: 'one-off, detached',
      service: service.name,
      name: i.name,
    });
  }
  return { project: desired.project, operations: ops, warnings: [], errors: [] };
}

/** A single step on the one-off (start once attached, stop on Ctrl-C, remove for `--rm`). */
export function planOneOffStep(
  project: string,
  service: string,
  name: string,
  step: { kind: 'start' } | { kind: 'stop'; timeoutSeconds: number } | { kind: 'remove' },
): Plan {
  const base = { after: [], service, name };
  const operation: Operation =
    step.kind === 'start'
      ? { ...base, kind: 'start-container', id: `start-container:${name}`, cause: 'one-off, attached' }
      : step.kind === 'stop'
        ? {
            ...base,
            kind: 'stop-container',
            id: `stop-container:${name}`,
            cause: 'one-off abandoned by its client',
            containerId: name,
            timeoutSeconds: step.timeoutSeconds,
          }
        : {
            ...base,
            kind: 'remove-container',
            id: `remove-container:${name}`,
            cause: 'one-off ended (--rm)',
            containerId: name,
            volumes: true,
          };
  return { project, operations: [operation], warnings: [], errors: [] };
}
