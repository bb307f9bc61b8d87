/**
 * Where the target is chosen (issue 15). `up` goes to the Swarm verbs when `--target swarm` says so, or
 * the file's `x-orc: {target: swarm}`, or the project's record (an earlier `up --target swarm`); every
 * other verb follows the record. Local projects take exactly the path they took before.
 */
import { declaredTarget, type Target } from '@orc/spec';
import { OrcError } from '../contract/errors.js';
import type { VerbContext } from './context.js';
import { createSwarmVerbs, isSwarmRecord, type SwarmRecord } from './swarm.js';
import { createSwarmWatch, type SwarmWatch } from './swarm-watch.js';
import type { Core, ProjectTarget } from './types.js';

type Seamed = Pick<
  Core,
  | 'up'
  | 'reapply'
  | 'down'
  | 'scale'
  | 'serviceAction'
  | 'getProject'
  | 'listProjects'
  | 'logs'
  | 'health'
  | 'config'
  | 'exec'
  | 'top'
  | 'stats'
  | 'exportContainer'
  | 'statPath'
  | 'getArchive'
  | 'putArchive'
  | 'attach'
  | 'images'
>;

export function createSwarmSeam<T extends Seamed>(
  ctx: VerbContext,
  local: T,
): { verbs: T; watch: SwarmWatch } {
  const swarm = createSwarmVerbs(ctx);
  const { store } = ctx;
  // Service and node events of the cluster, while the daemon keeps swarm projects (supervision on).
  const watch = createSwarmWatch(ctx, swarm);
  const watching = ctx.opts.supervise !== false;
  if (watching) {
    void store
      .list()
      .then((records) => {
        if (records.some(isSwarmRecord)) watch.ensure();
      })
      .catch(() => undefined);
  }

  /** The project's swarm record; for a project the file declares swarm but no record names, a bare one. */
  const swarmRecord = async (target: ProjectTarget): Promise<SwarmRecord | undefined> => {
    let resolved: Awaited<ReturnType<VerbContext['resolveName']>>;
    try {
      resolved = await ctx.resolveName(target);
    } catch {
      return undefined;
    }
    const record = await store.get(resolved.name);
    if (isSwarmRecord(record)) return record;
    if (!record && resolved.project && declaredTarget(resolved.project) === 'swarm' && 'source' in target) {
      const now = new Date().toISOString();
      return {
        name: resolved.name,
        source: target.source,
        runState: {},
        scale: {},
        target: 'swarm',
        createdAt: now,
        updatedAt: now,
      };
    }
    return undefined;
  };

  const upTarget = async (source: Parameters<Core['up']>[0], requested?: Target): Promise<Target> => {
    if (requested) return requested;
    const loaded = await ctx.load(source);
    if (!loaded.ok) return 'local';
    const declared = declaredTarget(loaded.project);
    if (declared === 'swarm' || declared === 'local') return declared;
    return isSwarmRecord(await store.get(loaded.project.name)) ? 'swarm' : 'local';
  };

  const localOnly =
    <A extends unknown[], R>(what: string, fn: (target: ProjectTarget, ...rest: A) => Promise<R>) =>
    async (target: ProjectTarget, ...rest: A): Promise<R> => {
      const r = await swarmRecord(target);
      if (r) {
        throw new OrcError(
          'NOT_IMPLEMENTED',
          `${what} is not available for project ${r.name} on a swarm target yet`,
          undefined,
          {
            hint: 'use `orc ps` and `orc logs`, or docker on the node that runs the task',
          },
        );
      }
      return fn(target, ...rest);
    };

  const verbs: T = {
    ...local,
    up: async (source, o) => {
      if ((await upTarget(source, o.target)) !== 'swarm') return local.up(source, o);
      const handle = await swarm.up(source, o);
      if (watching && 'record' in handle && !o.dryRun) watch.ensure();
      return handle;
    },
    // The status page's "Up" (`POST /v1/projects/:name/up`): a swarm project re-applies on the swarm.
    reapply: async (name, o) => {
      const record = await store.get(name);
      if (!isSwarmRecord(record)) return local.reapply(name, o);
      const handle = await swarm.up(record.source, {
        target: 'swarm',
        ...(record.services?.length ? { services: record.services } : {}),
        ...(o.dryRun ? { dryRun: true } : {}),
      });
      if (watching && 'record' in handle && !o.dryRun) watch.ensure();
      return handle;
    },
    down: async (target, o) => {
      const r = await swarmRecord(target);
      return r ? swarm.down(r, o) : local.down(target, o);
    },
    scale: async (target, replicas, o) => {
      const r = await swarmRecord(target);
      return r ? swarm.scale(r, replicas) : local.scale(target, replicas, o);
    },
    serviceAction: async (target, action, o) => {
      const r = await swarmRecord(target);
      if (!r) return local.serviceAction(target, action, o);
      if (action === 'restart') return swarm.restart(r, o.services ?? []);
      throw new OrcError(
        'NOT_IMPLEMENTED',
        `${action} is not available on a swarm target: Swarm keeps every service at its replicas`,
        undefined,
        {
          hint: '`orc scale SERVICE=0` stops the tasks of a service, `orc scale SERVICE=N` brings them back',
        },
      );
    },
    getProject: async (target, opts) => {
      const r = await swarmRecord(target);
      return r ? swarm.summary(r) : local.getProject(target, opts);
    },
    listProjects: async (opts) => {
      const [summaries, records] = await Promise.all([local.listProjects(opts), store.list()]);
      const swarmRecords = records.filter(isSwarmRecord);
      const swarmNames = new Set(swarmRecords.map((r) => r.name));
      const swarmSummaries = await Promise.all(
        swarmRecords.map((r) => swarm.summary(r).catch(() => undefined)),
      );
      return [
        ...summaries.filter((s) => !swarmNames.has(s.name)),
        ...swarmSummaries.filter((s) => s !== undefined),
      ].sort((a, b) => a.name.localeCompare(b.name));
    },
    logs: async function* (target, o, signal) {
      const r = await swarmRecord(target);
      if (r) yield* swarm.logs(r, o, signal);
      else yield* local.logs(target, o, signal);
    },
    exec: localOnly('exec', (t, o: Parameters<Core['exec']>[1]) => local.exec(t, o)),
    top: localOnly('top', (t, s?: string[]) => local.top(t, s)),
    attach: localOnly('attach', (t, s: string, i?: number, stdin?: boolean) => local.attach(t, s, i, stdin)),
  };
  return { verbs, watch };
}
