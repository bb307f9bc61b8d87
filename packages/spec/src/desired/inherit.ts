import type { ContainerCreateBody, MountBody } from '../model/desired.js';

/** A mount of the container being replaced, as the engine reports it (`.Mounts[]` of inspect/list). */
export interface PreviousMount {
  type: string;
  /** Volume name (for `volume` mounts). */
  name?: string;
  destination: string;
}

/**
 * The create body of a replacement container that keeps the anonymous volumes of the container it
 * replaces, as compose v2 does on recreate (unless `--renew-anon-volumes`): an anonymous volume
 * declared by the service, or a `VOLUME` of the image (`imageVolumes`), is mounted again from the
 * old container's volume instead of a fresh empty one. Without this a recreate silently loses data.
 * Pure: returns a new body; named volumes, binds and tmpfs are left as they are.
 */
export function inheritAnonymousVolumes(
  body: ContainerCreateBody,
  previous: PreviousMount[],
  imageVolumes: string[] = [],
): ContainerCreateBody {
  const old = new Map<string, string>();
  for (const mount of previous) {
    if (mount.type === 'volume' && mount.name) old.set(cleanPath(mount.destination), mount.name);
  }
  if (old.size === 0) return body;
  const mounts: MountBody[] = [];
  const taken = new Set<string>();
  for (const mount of body.HostConfig.Mounts ?? []) {
    const target = cleanPath(mount.Target);
    taken.add(target);
    const inherited = mount.Type === 'volume' && !mount.Source ? old.get(target) : undefined;
    mounts.push(inherited ? { ...mount, Source: inherited } : mount);
  }
  for (const bind of body.HostConfig.Binds ?? []) taken.add(cleanPath(bind.split(':')[1] ?? ''));
  for (const path of Object.keys(body.HostConfig.Tmpfs ?? {})) taken.add(cleanPath(path));
  for (const path of [...new Set(imageVolumes.map(cleanPath))].sort()) {
    const name = old.get(path);
    if (name && !taken.has(path)) mounts.push({ Type: 'volume', Source: name, Target: path });
  }
  return { ...body, HostConfig: { ...body.HostConfig, Mounts: mounts } };
}

function cleanPath(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  return trimmed === '' ? '/' : trimmed.replace(/\/{2,}/g, '/');
}
