/**
 * The observed state kept in memory, and how engine events fold into it: pure, no I/O (observe/cache.ts
 * does the reading). The rules come from the trap in the design note: events are lossy and the stream can
 * drop, so
 *
 * - nothing is served while the stream is down, and every (re)connection starts from nothing: the next
 *   read lists again (a gap is never folded over);
 * - an event does not carry what a container looks like (its state, times, health, endpoints): it only
 *   marks the container stale, and the next read inspects the stale ones before it answers;
 * - a read's result is kept only if no gap began while it ran (the epoch), and a network or volume list
 *   only if no network or volume event came while it ran;
 * - an image's id by reference, and one volume's inspect (the lease), are kept until any image event
 *   (any volume create or destroy) and read again after it: a no-op `up` then calls the engine not at all.
 */
import { Labels } from '@orc/spec';
import type { EngineEvent, EngineVolume } from '../engine/types.js';
import type { ObservedContainer, ObservedNetwork, ObservedVolume } from './types.js';

export interface CachedProject {
  /** By container id: complete (inspected) containers only. */
  containers: Map<string, ObservedContainer>;
  /** Containers to inspect before the next answer: changed since read, or never read. */
  stale: Set<string>;
  /** Absent: list again before answering. */
  networks?: ObservedNetwork[];
  volumes?: ObservedVolume[];
  /** Bumped by each network (volume) event that may change the project's list. */
  networksVersion: number;
  volumesVersion: number;
  /** False until the first list's ids are known. */
  filled: boolean;
  /**
   * Destroyed while inspects may be in flight: an inspect answered before the destroy must not bring
   * the container back. Emptied when no inspect of the project is in flight (`drained`).
   */
  gone: Set<string>;
}

export interface CacheState {
  /** The event stream is connected: events since the connection are all seen. */
  live: boolean;
  /** Bumped on every connection and every gap: results of reads begun before are dropped. */
  epoch: number;
  projects: Map<string, CachedProject>;
  /** Container id → project, for events that do not carry labels (network connect/disconnect). */
  owners: Map<string, string>;
  /** Image reference → the id it named when inspected; emptied by every image event. */
  images: Map<string, string>;
  /** Volume name → its inspect (null: none), for reads of one volume; emptied by a create or destroy. */
  volumes: Map<string, EngineVolume | null>;
  /** Bumped with each emptying: a read begun before is not kept. */
  imagesVersion: number;
  volumesVersion: number;
}

export function emptyCache(): CacheState {
  return {
    live: false,
    epoch: 0,
    projects: new Map(),
    owners: new Map(),
    images: new Map(),
    volumes: new Map(),
    imagesVersion: 0,
    volumesVersion: 0,
  };
}

/** Container actions that change nothing a read reports (execs, attaches, copies). */
const harmless = new Set([
  'exec_create',
  'exec_start',
  'exec_die',
  'exec_detach',
  'attach',
  'detach',
  'resize',
  'top',
  'export',
  'archive-path',
  'extract-to-dir',
  'copy',
  'commit',
]);

/** The stream (re)opened: what was kept may have missed events; start again from nothing. */
export function connected(state: CacheState): void {
  state.live = true;
  forget(state);
}

/** The stream broke or stopped: nothing kept can be trusted until it is back. */
export function disconnected(state: CacheState): void {
  state.live = false;
  forget(state);
}

function forget(state: CacheState): void {
  state.epoch++;
  state.projects.clear();
  state.owners.clear();
  forgetImages(state);
  forgetVolumes(state);
}

function forgetImages(state: CacheState): void {
  state.images.clear();
  state.imagesVersion++;
}

function forgetVolumes(state: CacheState): void {
  state.volumes.clear();
  state.volumesVersion++;
}

export function applyEvent(state: CacheState, e: EngineEvent): void {
  if (!state.live) return;
  if (e.Type === 'container') containerEvent(state, e);
  else if (e.Type === 'network') networkEvent(state, e);
  // A pull, build, tag, untag or delete may move a reference to another id: read every one again.
  else if (e.Type === 'image') forgetImages(state);
  else if (e.Type === 'volume' && (e.Action === 'create' || e.Action === 'destroy')) {
    forgetVolumes(state);
    for (const p of state.projects.values()) {
      p.volumes = undefined;
      p.volumesVersion++;
    }
  }
}

/** What is kept for one image reference or one volume, and the versions a new read must be kept under. */
export interface KeptReads {
  images: Map<string, string>;
  volumes: Map<string, EngineVolume | null>;
  epoch: number;
  imagesVersion: number;
  volumesVersion: number;
}

/** The reads that may be served from memory now (none while the stream is down). */
export function keptReads(state: CacheState): KeptReads | undefined {
  if (!state.live) return undefined;
  const { images, volumes, epoch, imagesVersion, volumesVersion } = state;
  return { images, volumes, epoch, imagesVersion, volumesVersion };
}

/** An image inspect begun under `since`: kept unless an image event or a gap came while it ran. */
export function keepImage(state: CacheState, since: KeptReads, ref: string, id: string): void {
  if (state.live && state.epoch === since.epoch && state.imagesVersion === since.imagesVersion)
    state.images.set(ref, id);
}

/** A volume inspect begun under `since` (undefined: no such volume). */
export function keepVolume(
  state: CacheState,
  since: KeptReads,
  name: string,
  volume: EngineVolume | undefined,
): void {
  if (state.live && state.epoch === since.epoch && state.volumesVersion === since.volumesVersion)
    state.volumes.set(name, volume ?? null);
}

function containerEvent(state: CacheState, e: EngineEvent): void {
  // `exec_create: /bin/sh -c true`: a healthcheck's probe, every interval; the action is before the colon.
  if (harmless.has(e.Action.split(':')[0] ?? '')) return;
  const id = e.Actor.ID;
  // Every container event carries the container's labels; the owner map covers one that would not.
  const project = e.Actor.Attributes?.[Labels.project] ?? state.owners.get(id);
  if (!project) return;
  const p = state.projects.get(project);
  if (!p) return;
  if (e.Action === 'destroy' && p.filled) {
    // Ids are never reused: gone for good. (Before the first list, an id may still arrive from it:
    // it stays stale, and its inspect answers 404.)
    p.containers.delete(id);
    p.stale.delete(id);
    p.gone.add(id);
    state.owners.delete(id);
    return;
  }
  p.stale.add(id);
  state.owners.set(id, project);
}

function networkEvent(state: CacheState, e: EngineEvent): void {
  if (e.Action === 'connect' || e.Action === 'disconnect') {
    // A container's endpoints changed: its inspect says how.
    const id = e.Actor.Attributes?.container;
    const project = id ? state.owners.get(id) : undefined;
    const p = project ? state.projects.get(project) : undefined;
    if (id && p) p.stale.add(id);
    return;
  }
  // Network events carry no labels: any project's list may have changed.
  for (const p of state.projects.values()) {
    p.networks = undefined;
    p.networksVersion++;
  }
}

/** How a read must go. */
export type ReadStep =
  /** The stream is down: list, keep nothing. */
  | { kind: 'list' }
  /** Never read (or forgotten at a gap): list, and start keeping it. */
  | { kind: 'fill' }
  /** Kept: inspect the stale containers, list what is missing, then answer from memory. */
  | { kind: 'serve'; inspect: string[]; listNetworks: boolean; listVolumes: boolean };

export function nextRead(state: CacheState, project: string): ReadStep {
  if (!state.live) return { kind: 'list' };
  const p = state.projects.get(project);
  if (!p?.filled) return { kind: 'fill' };
  return { kind: 'serve', inspect: [...p.stale], listNetworks: !p.networks, listVolumes: !p.volumes };
}

/** A fill begins: events from now on are kept for the project (as stale ids). */
export function beginFill(state: CacheState, project: string): { epoch: number; project: CachedProject } {
  let p = state.projects.get(project);
  if (!p) {
    p = {
      containers: new Map(),
      stale: new Set(),
      networksVersion: 0,
      volumesVersion: 0,
      filled: false,
      gone: new Set(),
    };
    state.projects.set(project, p);
  }
  return { epoch: state.epoch, project: p };
}

/**
 * The fill's list arrived: every listed container is stale until inspected (a list has no start times,
 * restart counts or exact health); networks and volumes are kept if nothing changed them meanwhile.
 */
export function applyFill(
  state: CacheState,
  project: string,
  epoch: number,
  listed: { ids: string[]; networks: ObservedNetwork[]; volumes: ObservedVolume[] },
  versions: { networks: number; volumes: number },
): boolean {
  const p = state.projects.get(project);
  if (state.epoch !== epoch || !p) return false;
  for (const id of listed.ids) {
    p.stale.add(id);
    state.owners.set(id, project);
  }
  p.filled = true;
  keepLists(p, listed, versions);
  return true;
}

export function keepLists(
  p: CachedProject,
  lists: { networks?: ObservedNetwork[]; volumes?: ObservedVolume[] },
  versions: { networks: number; volumes: number },
): void {
  if (lists.networks && p.networksVersion === versions.networks) p.networks = lists.networks;
  if (lists.volumes && p.volumesVersion === versions.volumes) p.volumes = lists.volumes;
}

/** Inspects are starting for `ids`: an event from now on marks them stale again. */
export function takeStale(p: CachedProject, ids: string[]): void {
  for (const id of ids) p.stale.delete(id);
}

/** One inspect's answer (undefined: 404, the container is gone). */
export function applyInspect(
  state: CacheState,
  project: string,
  epoch: number,
  id: string,
  container: ObservedContainer | undefined,
): void {
  const p = state.projects.get(project);
  if (state.epoch !== epoch || !p) return;
  if (!container) {
    p.containers.delete(id);
    p.stale.delete(id);
    state.owners.delete(id);
    return;
  }
  if (p.gone.has(id)) return;
  p.containers.set(id, container);
  state.owners.set(id, project);
}

/** No inspect of the project is in flight any more: the destroyed ids need not be remembered. */
export function drained(p: CachedProject): void {
  p.gone.clear();
}

/** An inspect failed (not a 404): the container stays to be read. */
export function inspectFailed(state: CacheState, project: string, epoch: number, id: string): void {
  const p = state.projects.get(project);
  if (state.epoch === epoch && p) p.stale.add(id);
}

/** What a read serves once nothing is stale and the lists are kept. */
export function served(
  state: CacheState,
  project: string,
): { containers: ObservedContainer[]; networks: ObservedNetwork[]; volumes: ObservedVolume[] } | undefined {
  const p = state.projects.get(project);
  if (!state.live || !p?.filled || p.stale.size > 0 || !p.networks || !p.volumes) return undefined;
  return { containers: [...p.containers.values()], networks: p.networks, volumes: p.volumes };
}
