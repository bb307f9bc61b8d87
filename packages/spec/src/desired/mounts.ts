import type { MountBody } from '../model/desired.js';
import type { Project, Service, ServiceFileReference, ServiceVolume } from '../model/project.js';
import { volumeEngineName } from './resources.js';

export interface ContainerMounts {
  Mounts?: MountBody[];
  Binds?: string[];
}

/**
 * Volumes, binds and tmpfs mounts of a service, plus file-based secrets and configs (bind-mounted
 * read-only, as compose v2 does outside swarm).
 *
 * A bind that may create its host path goes into `Binds`: the Mounts API refuses a missing source and
 * only API 1.42+ has `CreateMountpoint` (moby#43483; compose v2 does the same). Binds that must not
 * create their source, or that set propagation, go through `Mounts`.
 */
export function containerMounts(service: Service, project: Project): ContainerMounts {
  const mounts: MountBody[] = [];
  const binds: string[] = [];
  for (const volume of service.volumes ?? []) {
    if (volume.type === 'bind' && bindGoesToBinds(volume)) {
      binds.push(bindString(volume));
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
  return out;
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
    case 'tmpfs': {
      const body: MountBody = { Type: 'tmpfs', Target: volume.target };
      if (volume.read_only) body.ReadOnly = true;
      const options: NonNullable<MountBody['TmpfsOptions']> = {};
      if (volume.tmpfs?.size !== undefined) options.SizeBytes = volume.tmpfs.size;
      if (volume.tmpfs?.mode !== undefined) options.Mode = volume.tmpfs.mode;
      if (Object.keys(options).length > 0) body.TmpfsOptions = options;
      return body;
    }
    case 'npipe':
      return { Type: 'npipe', Source: volume.source ?? '', Target: volume.target };
    default:
      // `cluster` and `image` mounts need engines newer than API 1.41.
      return undefined;
  }
}

/** `/run`, `/run:size=64m,mode=1777` → the engine's `Tmpfs` map. */
export function tmpfsMap(entries: string[] | undefined): Record<string, string> | undefined {
  if (!entries || entries.length === 0) return undefined;
  const out: Record<string, string> = {};
  for (const entry of [...entries].sort()) {
    const colon = entry.indexOf(':');
    if (colon < 0) out[entry] = '';
    else out[entry.slice(0, colon)] = entry.slice(colon + 1);
  }
  return out;
}
