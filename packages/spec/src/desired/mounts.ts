import { inlineValue } from '../hash/service-hash.js';
import type { DesiredFile, MountBody } from '../model/desired.js';
import type { Project, Service, ServiceFileReference, ServiceVolume } from '../model/project.js';
import { volumeEngineName } from './resources.js';

export interface ContainerMounts {
  Mounts?: MountBody[];
  Binds?: string[];
  Tmpfs?: Record<string, string>;
}

/**
 * Volumes, binds and tmpfs mounts of a service, plus file-based secrets and configs (bind-mounted
 * read-only, as compose v2 does outside swarm).
 *
 * A bind that may create its host path goes into `Binds`: the Mounts API refuses a missing source and
 * only API 1.42+ has `CreateMountpoint` (moby#43483; compose v2 does the same). Binds that must not
 * create their source, or that set propagation, go through `Mounts`.
 *
 * tmpfs mounts go into the `Tmpfs` map, not `Mounts`: Engine 20.10 refuses `volumes_from` a container
 * that has a tmpfs in `Mounts` ("get: no such volume"; measured), and the map mounts the same thing.
 */
export function containerMounts(service: Service, project: Project): ContainerMounts {
  const mounts: MountBody[] = [];
  const binds: string[] = [];
  const tmpfs: Record<string, string> = {};
  for (const volume of service.volumes ?? []) {
    if (volume.type === 'bind' && bindGoesToBinds(volume)) {
      binds.push(bindString(volume));
      continue;
    }
    if (volume.type === 'tmpfs') {
      tmpfs[volume.target] = tmpfsOptions(volume);
      continue;
    }
    // A named volume relabelled with `:z`/`:Z`: only the Binds form carries the relabel.
    if (volume.type === 'volume' && volume.source && volume.bind?.selinux) {
      binds.push(volumeBindString(volume, volumeEngineName(project, volume.source)));
      continue;
    }
    const mount = mountBody(volume, project);
    if (mount) mounts.push(mount);
  }
  for (const ref of service.secrets ?? []) {
    const secret = project.secrets?.[ref.source];
    if (secret?.file && !secret.external) mounts.push(fileMount(secret.file, secretTarget(ref)));
  }
  for (const ref of service.configs ?? []) {
    const config = project.configs?.[ref.source];
    if (config?.file && !config.external) mounts.push(fileMount(config.file, configTarget(ref)));
  }
  const out: ContainerMounts = {};
  if (mounts.length > 0) out.Mounts = mounts;
  if (binds.length > 0) out.Binds = binds;
  if (Object.keys(tmpfs).length > 0) out.Tmpfs = tmpfs;
  return out;
}

/** `size=<bytes>,mode=<octal>,ro`: the option string of a `Tmpfs` map entry. */
function tmpfsOptions(volume: ServiceVolume): string {
  const options: string[] = [];
  if (volume.tmpfs?.size !== undefined) options.push(`size=${volume.tmpfs.size}`);
  if (volume.tmpfs?.mode !== undefined) options.push(`mode=${volume.tmpfs.mode.toString(8)}`);
  if (volume.read_only) options.push('ro');
  return options.join(',');
}

export function secretTarget(ref: ServiceFileReference): string {
  const target = ref.target ?? ref.source;
  return target.startsWith('/') ? target : `/run/secrets/${target}`;
}

export function configTarget(ref: ServiceFileReference): string {
  const target = ref.target ?? ref.source;
  return target.startsWith('/') ? target : `/${target}`;
}

function fileMount(source: string, target: string): MountBody {
  return { Type: 'bind', Source: source, Target: target, ReadOnly: true };
}

function bindGoesToBinds(volume: ServiceVolume): boolean {
  const bind = volume.bind;
  if (!bind) return true;
  // The Mounts API has no SELinux relabel option, so `:z`/`:Z` needs the Binds form.
  if (bind.selinux) return true;
  return bind.create_host_path === true && !bind.propagation;
}

function bindString(volume: ServiceVolume): string {
  const options = [volume.read_only ? 'ro' : 'rw'];
  if (volume.bind?.selinux) options.push(volume.bind.selinux);
  if (volume.bind?.propagation) options.push(volume.bind.propagation);
  return `${volume.source ?? ''}:${volume.target}:${options.join(',')}`;
}

function volumeBindString(volume: ServiceVolume, name: string): string {
  const options = [volume.read_only ? 'ro' : 'rw', volume.bind?.selinux ?? ''];
  if (volume.volume?.nocopy) options.push('nocopy');
  return `${name}:${volume.target}:${options.filter(Boolean).join(',')}`;
}

function mountBody(volume: ServiceVolume, project: Project): MountBody | undefined {
  switch (volume.type) {
    case 'volume': {
      const body: MountBody = { Type: 'volume', Target: volume.target };
      if (volume.source) body.Source = volumeEngineName(project, volume.source);
      if (volume.read_only) body.ReadOnly = true;
      const options: NonNullable<MountBody['VolumeOptions']> = {};
      if (volume.volume?.nocopy) options.NoCopy = true;
      if (volume.volume?.subpath) options.Subpath = volume.volume.subpath;
      if (Object.keys(options).length > 0) body.VolumeOptions = options;
      return body;
    }
    case 'bind': {
      const body: MountBody = { Type: 'bind', Source: volume.source ?? '', Target: volume.target };
      if (volume.read_only) body.ReadOnly = true;
      if (volume.consistency) body.Consistency = volume.consistency;
      if (volume.bind?.propagation) body.BindOptions = { Propagation: volume.bind.propagation };
      return body;
    }
    case 'npipe':
      return { Type: 'npipe', Source: volume.source ?? '', Target: volume.target };
    default:
      // tmpfs is handled above; `cluster` and `image` mounts need engines newer than API 1.41.
      return undefined;
  }
}

/** `/run`, `/run:size=64m,mode=1777` (plus tmpfs volumes) → the engine's `Tmpfs` map, sorted by path. */
export function tmpfsMap(
  entries: string[] | undefined,
  fromVolumes: Record<string, string> = {},
): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const entry of entries ?? []) {
    const colon = entry.indexOf(':');
    if (colon < 0) out[entry] = '';
    else out[entry.slice(0, colon)] = entry.slice(colon + 1);
  }
  Object.assign(out, fromVolumes);
  const paths = Object.keys(out).sort();
  if (paths.length === 0) return undefined;
  const sorted: Record<string, string> = {};
  for (const path of paths) sorted[path] = out[path] ?? '';
  return sorted;
}

/**
 * Secrets and configs given by value (`content:` or `environment:`): the files to write into each
 * container before it starts. uid, gid and mode are honoured (compose ignores uid/gid; we do not);
 * default: root-owned, 0444, as for file-based ones.
 */
export function valueFiles(service: Service, project: Project): DesiredFile[] {
  const out: DesiredFile[] = [];
  const add = (
    refs: ServiceFileReference[] | undefined,
    all: Project['secrets'] | undefined,
    target: (ref: ServiceFileReference) => string,
  ) => {
    for (const ref of refs ?? []) {
      const source = all?.[ref.source];
      const content = source ? inlineValue(source) : undefined;
      if (content === undefined) continue;
      out.push({
        target: target(ref),
        content,
        mode: ref.mode ?? 0o444,
        uid: Number.parseInt(ref.uid ?? '0', 10) || 0,
        gid: Number.parseInt(ref.gid ?? '0', 10) || 0,
      });
    }
  };
  add(service.secrets, project.secrets, secretTarget);
  add(service.configs, project.configs, configTarget);
  return out;
}
