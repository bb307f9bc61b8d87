/**
 * The observed state kept fresh from the engine's events (observe/fold.ts), so that `ps` and a no-op `up`
 * answer from memory: a project's containers are listed once, inspected once each, and after that only
 * the containers an event named are inspected again, when a read needs them. While the event stream is
 * down, and for the first read after every (re)connection, it lists as `observeProject` does.
 */
import type { DesiredState } from '@orc/spec';
import type { Engine } from '../engine/engine.js';
import type { EngineEvent, EngineVolume } from '../engine/types.js';
import * as fold from './fold.js';
import {
  assemble,
  fromDetails,
  imageIds,
  listProjectNetworks,
  listProjectVolumes,
  lookUpWanted,
  observeProject,
} from './observe.js';
import { statusText } from './status.js';
import type { ObservedContainer, ObservedNetwork, ObservedProject, ObservedVolume } from './types.js';

export interface ObservedCache {
  /** The event stream's side: fed by whoever follows the engine's events (the supervisor). */
  event(e: EngineEvent): void;
  connected(): void;
  disconnected(): void;
  /**
   * What the engine has for `project` now, as `observeProject` would read it; kept containers carry
   * their details (`detail` says whether a read that must list inspects too).
   */
  read(project: string, opts?: { desired?: DesiredState; detail?: boolean }): Promise<ObservedProject>;
  /**
   * One volume's inspect (undefined: none), from memory while no volume was created or removed since
   * it was read: the lease an `up` checks (verbs/lease.ts).
   */
  volume(name: string): Promise<EngineVolume | undefined>;
}

type ReadOptions = { desired?: DesiredState; detail?: boolean };

export interface ObservedCacheOptions {
  engine: Engine;
  /** Inspects in flight for one project (default 8: the daemon's engine bound). */
  concurrency?: number;
  /**
   * How long the inspects a list answered for wait before they start (default 300 ms). The read that
   * listed belongs to an operation about to call the engine: a hundred inspects started at once held a
   * change-one's first create back by ~35 ms at 100 services (bench/compare/trace.mjs), their answers
   * parsed on the same thread. Reads in between list, as before the cache.
   */
  backgroundDelayMs?: number;
  now?: () => number;
  log?: { warn(msg: string, fields?: Record<string, unknown>): void };
}

export function createObservedCache(opts: ObservedCacheOptions): ObservedCache {
  const { engine } = opts;
  const state = fold.emptyCache();
  const concurrency = opts.concurrency ?? 8;
  const backgroundDelayMs = opts.backgroundDelayMs ?? 300;
  const now = opts.now ?? Date.now;
  /** Projects whose background inspects are waiting for their timer. */
  const deferred = new Set<string>();
  /** One drain (inspects of stale containers) at a time per project; readers wait for it. */
  const draining = new Map<string, Promise<void>>();
  const filling = new Map<string, Promise<ObservedProject>>();

  const drain = (project: string): Promise<void> => {
    const running = draining.get(project);
    if (running) return running;
    const self = { task: Promise.resolve() };
    self.task = (async () => {
      // Not before `draining` holds this task: a drain with nothing to do ends without awaiting anything.
      await Promise.resolve();
      try {
        for (;;) {
          const p = state.projects.get(project);
          const epoch = state.epoch;
          if (!p || !state.live || p.stale.size === 0) return;
          const ids = [...p.stale];
          fold.takeStale(p, ids);
          await inBatches(ids, concurrency, async (id) => {
            try {
              const d = await engine.inspectContainer(id);
              fold.applyInspect(state, project, epoch, id, d ? fromDetails(d) : undefined);
            } catch (err) {
              fold.inspectFailed(state, project, epoch, id);
              throw err;
            }
          });
        }
      } finally {
        const p = state.projects.get(project);
        if (p) fold.drained(p);
        if (draining.get(project) === self.task) draining.delete(project);
      }
    })();
    draining.set(project, self.task);
    return self.task;
  };

  const drainInBackground = (project: string): void => {
    if (deferred.has(project)) return;
    deferred.add(project);
    const timer = setTimeout(() => {
      deferred.delete(project);
      drain(project).catch((err) =>
        opts.log?.warn('cannot read the containers of a project', {
          project,
          error: (err as Error).message,
        }),
      );
    }, backgroundDelayMs);
    // Details for later reads only: never a reason to keep the process alive.
    timer.unref?.();
  };

  /** Each image's id from memory unless an image event came since it was read (observe.ts's imageIds). */
  const imagesOf = (desired: DesiredState): Promise<Record<string, string>> => {
    const kept = fold.keptReads(state);
    return imageIds(engine, desired, async (ref) => {
      const known = kept?.images.get(ref);
      if (known !== undefined) return known;
      const id = (await engine.inspectImage(ref))?.Id;
      if (kept && id !== undefined) fold.keepImage(state, kept, ref, id);
      return id;
    });
  };

  const volume = async (name: string): Promise<EngineVolume | undefined> => {
    const kept = fold.keptReads(state);
    const known = kept?.volumes.get(name);
    if (known !== undefined) return known ?? undefined;
    const v = await engine.inspectVolume(name);
    if (kept) fold.keepVolume(state, kept, name, v);
    return v;
  };

  const fill = (project: string, o: ReadOptions): Promise<ObservedProject> => {
    const { epoch, project: p } = fold.beginFill(state, project);
    const versions = { networks: p.networksVersion, volumes: p.volumesVersion };
    return observeProject(engine, project, o).then((observed) => {
      const kept = fold.applyFill(
        state,
        project,
        epoch,
        {
          ids: observed.containers.map((c) => c.id),
          networks: observed.networks,
          volumes: observed.volumes,
        },
        versions,
      );
      // The start times, restart counts and exact health the list lacks, read in the background: the
      // reader of this fill has its answer already (the list's, as before the cache).
      if (kept) drainInBackground(project);
      return observed;
    });
  };

  const read = async (project: string, o: ReadOptions): Promise<ObservedProject> => {
    const { desired } = o;
    for (let attempt = 0; attempt < 3; attempt++) {
      const step = fold.nextRead(state, project);
      if (step.kind === 'list') break;
      if (step.kind === 'fill') {
        const running = filling.get(project);
        if (running) {
          await running.catch(() => undefined);
          continue;
        }
        const task = fill(project, o);
        filling.set(project, task);
        try {
          return await task;
        } finally {
          filling.delete(project);
        }
      }
      // More stale containers than one round of inspects (the first read after an up that made or
      // started many): one list answers sooner than rounds of inspects; they go on in the background.
      if (step.inspect.length > concurrency) {
        drainInBackground(project);
        return observeProject(engine, project, o);
      }
      const epoch = state.epoch;
      const p = state.projects.get(project);
      if (!p) continue;
      const versions = { networks: p.networksVersion, volumes: p.volumesVersion };
      let networks: ObservedNetwork[] | undefined;
      let volumes: ObservedVolume[] | undefined;
      let images: Record<string, string>;
      try {
        [, networks, volumes, images] = await Promise.all([
          step.inspect.length || draining.has(project) ? drain(project) : undefined,
          step.listNetworks ? listProjectNetworks(engine, project) : undefined,
          step.listVolumes ? listProjectVolumes(engine, project) : undefined,
          desired ? imagesOf(desired) : {},
        ]);
      } catch (err) {
        // An inspect or a list failed: the list below says what is there (or fails as it always did).
        opts.log?.warn('cannot refresh the kept state of a project', {
          project,
          error: (err as Error).message,
        });
        break;
      }
      if (state.epoch !== epoch) continue;
      const lists = { ...(networks ? { networks } : {}), ...(volumes ? { volumes } : {}) };
      fold.keepLists(p, lists, versions);
      const kept = fold.served(state, project);
      // A list that changed while it was read is still this read's answer; the next one lists again.
      const answer =
        kept ??
        (p.stale.size === 0 && (networks ?? p.networks) && (volumes ?? p.volumes)
          ? {
              containers: [...p.containers.values()],
              networks: networks ?? p.networks ?? [],
              volumes: volumes ?? p.volumes ?? [],
            }
          : undefined);
      if (!answer) continue;
      const at = now();
      const containers: ObservedContainer[] = answer.containers.map((c) => ({
        ...c,
        status: statusText(c, at),
      }));
      const observed = assemble(project, containers, answer.networks, answer.volumes, images);
      if (desired) await lookUpWanted(engine, desired, observed);
      return observed;
    }
    // The stream is down, or the project keeps changing under the read: the list is the truth.
    return observeProject(engine, project, o);
  };

  return {
    event: (e) => fold.applyEvent(state, e),
    connected: () => fold.connected(state),
    disconnected: () => fold.disconnected(state),
    read: (project, o = {}) => read(project, o),
    volume,
  };
}

/** Runs `task` over `items` with at most `limit` in flight; the first failure is thrown once all ended. */
async function inBatches<T>(items: T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: unknown;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      try {
        await task(item);
      } catch (err) {
        failure ??= err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure !== undefined) throw failure;
}
