import { type DesiredState, Labels } from '@orc/spec';
import type { Engine } from '../engine/engine.js';
import type {
  EngineContainerDetails,
  EngineContainerListItem,
  EngineNetwork,
  EngineVolume,
} from '../engine/types.js';
import type {
  ContainerState,
  HealthState,
  ObservedContainer,
  ObservedNetwork,
  ObservedProject,
  ObservedVolume,
} from './types.js';

export interface ObserveOptions {
  /** When given, images and foreign holders of the names it wants are looked up too. */
  desired?: DesiredState;
  /**
   * Inspect every container (restart count, start/finish times, aliases, exact health). The planner does
   * not need it; status pages do.
   */
  detail?: boolean;
}

/** `localeCompare`'s order, from one collator made once (each `localeCompare` call sets up its own). */
const byLocale = new Intl.Collator().compare;

const projectFilter = (project: string) => ({ label: [`${Labels.project}=${project}`] });

/** Reads what the engine has for `project`, by label: the list is the truth, events only say when to look. */
export async function observeProject(
  engine: Engine,
  project: string,
  opts: ObserveOptions = {},
): Promise<ObservedProject> {
  const filter = projectFilter(project);
  // The images' ids need nothing listed first: asked in the same round trip as the lists.
  const [listed, nets, vols, images] = await Promise.all([
    engine.listContainers(filter),
    engine.listNetworks(filter),
    engine.listVolumes(filter),
    opts.desired ? imageIds(engine, opts.desired) : {},
  ]);
  let containers = listed.map(fromListItem);
  if (opts.detail) {
    const details = await Promise.all(containers.map((c) => engine.inspectContainer(c.id)));
    containers = containers.flatMap((c, i) => {
      const d = details[i];
      // Gone between list and inspect: it is not there any more.
      return d ? [withDetails(c, d)] : [];
    });
  }
  const observed = assemble(project, containers, nets.map(fromNetwork), vols.map(fromVolume), images);
  if (opts.desired) await lookUpWanted(engine, opts.desired, observed);
  return observed;
}

export function fromNetwork(n: EngineNetwork): ObservedNetwork {
  return {
    id: n.Id,
    name: n.Name,
    key: n.Labels?.[Labels.network] ?? '',
    labels: n.Labels ?? {},
    created: n.Created,
  };
}

export function fromVolume(v: EngineVolume): ObservedVolume {
  return { name: v.Name, key: v.Labels?.[Labels.volume] ?? '', labels: v.Labels ?? {} };
}

/** An observed project from its parts, in the planner's order; nothing foreign looked up yet. */
export function assemble(
  project: string,
  containers: ObservedContainer[],
  networks: ObservedNetwork[],
  volumes: ObservedVolume[],
  images: Record<string, string>,
): ObservedProject {
  return {
    project,
    containers: sortContainers(containers),
    networks: [...networks].sort((a, b) => byLocale(a.name, b.name) || byLocale(a.created, b.created)),
    volumes: [...volumes].sort((a, b) => byLocale(a.name, b.name)),
    images,
    foreign: { containersByName: {}, networksByName: {}, volumesByName: {} },
  };
}

export const listProjectNetworks = (engine: Engine, project: string) =>
  engine.listNetworks(projectFilter(project)).then((l) => l.map(fromNetwork));
export const listProjectVolumes = (engine: Engine, project: string) =>
  engine.listVolumes(projectFilter(project)).then((l) => l.map(fromVolume));

function sortContainers(list: ObservedContainer[]): ObservedContainer[] {
  return list.sort(
    (a, b) => byLocale(a.service, b.service) || a.number - b.number || byLocale(a.name, b.name),
  );
}

/** The ids of the images the services run (absent: not on the engine). */
export async function imageIds(
  engine: Engine,
  desired: DesiredState,
  idOf: (ref: string) => Promise<string | undefined> = async (ref) => (await engine.inspectImage(ref))?.Id,
): Promise<Record<string, string>> {
  const ids: Record<string, string> = {};
  await Promise.all(
    [...new Set(desired.services.map((s) => s.image))].map(async (ref) => {
      const id = await idOf(ref);
      if (id !== undefined) ids[ref] = id;
    }),
  );
  return ids;
}

/** Whoever holds a name we want without being ours. */
export async function lookUpWanted(
  engine: Engine,
  desired: DesiredState,
  observed: ObservedProject,
): Promise<void> {
  const ours = new Set(observed.containers.map((c) => c.name));
  const wantedNames = desired.services
    .flatMap((s) => s.containers.map((c) => c.name))
    .filter((n) => !ours.has(n));
  const ourNetworks = new Set(observed.networks.map((n) => n.name));
  const wantedNetworks = desired.networks.filter((n) => n.external || !ourNetworks.has(n.name));
  const ourVolumes = new Set(observed.volumes.map((v) => v.name));
  const wantedVolumes = desired.volumes.filter((v) => v.external || !ourVolumes.has(v.name));

  await Promise.all([
    (async () => {
      if (!wantedNames.length) return;
      const holders = await engine.listContainers({ name: wantedNames.map((n) => `^/${escapeRegExp(n)}$`) });
      for (const h of holders) {
        const name = containerName(h);
        if (!wantedNames.includes(name)) continue;
        const project = h.Labels?.[Labels.project];
        observed.foreign.containersByName[name] = project ? { id: h.Id, project } : { id: h.Id };
      }
    })(),
    ...wantedNetworks.map(async (n) => {
      const found = (await engine.listNetworks({ name: [n.name] })).filter((x) => x.Name === n.name);
      const first = found.sort((a, b) => a.Created.localeCompare(b.Created))[0];
      if (first) observed.foreign.networksByName[n.name] = { id: first.Id };
    }),
    ...wantedVolumes.map(async (v) => {
      const found = await engine.inspectVolume(v.name);
      if (found) observed.foreign.volumesByName[v.name] = { name: found.Name };
    }),
  ]);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The container's own name: `/x` (other entries like `/a/x` are legacy link aliases). */
export function containerName(item: EngineContainerListItem): string {
  const own = item.Names.find((n) => n.lastIndexOf('/') === 0) ?? item.Names[0] ?? '';
  return own.replace(/^\//, '');
}

const states = new Set<ContainerState>([
  'created',
  'running',
  'paused',
  'restarting',
  'removing',
  'exited',
  'dead',
]);

function toState(s: string): ContainerState {
  return states.has(s as ContainerState) ? (s as ContainerState) : 'dead';
}

/** `Up 3 minutes (healthy)`, `Up 2 seconds (health: starting)`, `Up 1 hour (unhealthy)`. */
export function healthFromStatus(status: string): HealthState | undefined {
  if (status.includes('(healthy)')) return 'healthy';
  if (status.includes('(unhealthy)')) return 'unhealthy';
  if (status.includes('(health: starting)')) return 'starting';
  return undefined;
}

/** `Exited (3) 2 minutes ago` → 3. */
export function exitCodeFromStatus(status: string): number {
  const m = /^Exited \((-?\d+)\)/.exec(status);
  return m ? Number(m[1]) : 0;
}

export function fromListItem(item: EngineContainerListItem): ObservedContainer {
  const labels = item.Labels ?? {};
  const number = Number.parseInt(labels[Labels.containerNumber] ?? '', 10);
  const networks: ObservedContainer['networks'] = {};
  for (const [name, ep] of Object.entries(item.NetworkSettings?.Networks ?? {})) {
    networks[name] = {
      networkId: ep.NetworkID,
      aliases: ep.Aliases ?? [],
      ...(ep.IPAddress ? { ipv4: ep.IPAddress } : {}),
    };
  }
  const health = healthFromStatus(item.Status);
  const replaces = labels[Labels.replace];
  const imageLabel = labels[Labels.image];
  return {
    id: item.Id,
    name: containerName(item),
    service: labels[Labels.service] ?? '',
    number: Number.isFinite(number) ? number : 0,
    oneoff: labels[Labels.oneoff] === 'True',
    configHash: labels[Labels.configHash] ?? '',
    ...(imageLabel ? { imageLabel } : {}),
    imageId: item.ImageID,
    image: item.Image,
    ...(replaces ? { replaces } : {}),
    state: toState(item.State),
    ...(health ? { health } : {}),
    exitCode: exitCodeFromStatus(item.Status),
    restartCount: 0,
    created: new Date(item.Created * 1000).toISOString(),
    startedAt: '',
    finishedAt: '',
    networks,
    mounts: (item.Mounts ?? []).map((m) => ({
      type: m.Type,
      ...(m.Name ? { name: m.Name } : {}),
      source: m.Source,
      destination: m.Destination,
    })),
    labels,
    status: item.Status,
    command: item.Command,
    ports: item.Ports.map((p) => ({
      ...(p.IP ? { ip: p.IP } : {}),
      privatePort: p.PrivatePort,
      ...(p.PublicPort ? { publicPort: p.PublicPort } : {}),
      type: p.Type,
    })),
  };
}

const neverTime = '0001-01-01T00:00:00Z';

export function withDetails(c: ObservedContainer, d: EngineContainerDetails): ObservedContainer {
  const networks: ObservedContainer['networks'] = {};
  for (const [name, ep] of Object.entries(d.NetworkSettings.Networks ?? {})) {
    networks[name] = {
      networkId: ep.NetworkID,
      aliases: ep.Aliases ?? [],
      ...(ep.IPAddress ? { ipv4: ep.IPAddress } : {}),
    };
  }
  const h = d.State.Health?.Status;
  const health: HealthState | undefined =
    h === 'healthy' || h === 'unhealthy' || h === 'starting' ? h : undefined;
  const { health: _old, ...rest } = c;
  return {
    ...rest,
    ...(health ? { health } : {}),
    state: toState(d.State.Status),
    exitCode: d.State.ExitCode,
    restartCount: d.RestartCount,
    startedAt: d.State.StartedAt === neverTime ? '' : d.State.StartedAt,
    finishedAt: d.State.FinishedAt === neverTime ? '' : d.State.FinishedAt,
    created: d.Created,
    networks,
  };
}

/**
 * A container from its inspect alone, as the list and `withDetails` together would give it (the list's
 * `Created` in whole seconds, its `Command` and `Ports`); `status` is left for the reader to make at the
 * time it answers (observe/status.ts).
 */
export function fromDetails(d: EngineContainerDetails): ObservedContainer {
  const labels = d.Config.Labels ?? {};
  const number = Number.parseInt(labels[Labels.containerNumber] ?? '', 10);
  const replaces = labels[Labels.replace];
  const imageLabel = labels[Labels.image];
  const ports: NonNullable<ObservedContainer['ports']> = [];
  for (const [key, bindings] of Object.entries(d.NetworkSettings.Ports ?? {})) {
    const [port = '', type = 'tcp'] = key.split('/');
    const privatePort = Number(port);
    if (!bindings?.length) ports.push({ privatePort, type });
    for (const b of bindings ?? []) {
      ports.push({
        ...(b.HostIp ? { ip: b.HostIp } : {}),
        privatePort,
        ...(b.HostPort ? { publicPort: Number(b.HostPort) } : {}),
        type,
      });
    }
  }
  const base: ObservedContainer = {
    id: d.Id,
    name: d.Name.replace(/^\//, ''),
    service: labels[Labels.service] ?? '',
    number: Number.isFinite(number) ? number : 0,
    oneoff: labels[Labels.oneoff] === 'True',
    configHash: labels[Labels.configHash] ?? '',
    ...(imageLabel ? { imageLabel } : {}),
    imageId: d.Image,
    image: d.Config.Image,
    ...(replaces ? { replaces } : {}),
    state: 'created',
    exitCode: 0,
    restartCount: 0,
    created: '',
    startedAt: '',
    finishedAt: '',
    networks: {},
    mounts: (d.Mounts ?? []).map((m) => ({
      type: m.Type,
      ...(m.Name ? { name: m.Name } : {}),
      source: m.Source,
      destination: m.Destination,
    })),
    labels,
    command: commandLine(d.Path ?? '', d.Args ?? []),
    ports,
  };
  const detailed = withDetails(base, d);
  return { ...detailed, created: new Date(Math.floor(Date.parse(d.Created) / 1000) * 1000).toISOString() };
}

/** The list's `Command`: the path, then each argument, quoted when it holds a space. */
function commandLine(path: string, args: string[]): string {
  if (!args.length) return path;
  return `${path} ${args.map((a) => (a.includes(' ') ? `'${a}'` : a)).join(' ')}`;
}
