/**
 * `createCore`: the daemon's verbs, one module each (up.ts, down.ts, service-action.ts, scale.ts, run.ts,
 * images-ops.ts, query.ts), over the shared context (context.ts), with the supervisor that keeps the
 * registered projects converged (reconcile.ts) and the restarter of `deploy.restart_policy`.
 */
import type { Engine } from '../engine/engine.js';
import { executePlan, summariseFailure } from '../execute/executor.js';
import { createRestartLedgerStore } from '../store/restart-ledger.js';
import type { ProjectStore } from '../store/store.js';
import { probeOutputReader } from '../supervise/health.js';
import { createRestarter } from '../supervise/restarter.js';
import { createSupervisor, type Supervisor } from '../supervise/supervisor.js';
import { type CoreOptions, createVerbContext } from './context.js';
import { createDown } from './down.js';
import { createImageOps } from './images-ops.js';
import { createObjectVerbs } from './project-objects.js';
import { createQueries } from './query.js';
import { readoptLeasedProjects } from './readopt.js';
import { createReapply } from './reapply.js';
import { createReconcile } from './reconcile.js';
import { createRunner } from './run.js';
import { createScale } from './scale.js';
import { createServiceAction } from './service-action.js';
import { createSwarmSeam } from './swarm-seam.js';
import type { Core } from './types.js';
import { createUp } from './up.js';
import { createWatchManager } from './watch/manager.js';

export type { CoreLogger, CoreOptions } from './context.js';

export interface CoreInternals {
  engine: Engine;
  store: ProjectStore;
  supervisor?: Supervisor;
  /** Resolves when the supervisor's startup pass is over (tests, main). */
  ready: Promise<void>;
}

export function createCore(opts: CoreOptions = {}): Core & { internals: CoreInternals } {
  const ctx = createVerbContext(opts);
  const { engine, store, bus, locks, ops, images, log } = ctx;

  // deploy.restart_policy and restart-on-unhealthy: the daemon's own restarts, fed by the supervisor's events.
  const restarter = createRestarter({
    engine,
    bus,
    execute: async (plan) => {
      const result = await executePlan(plan, {
        engine,
        operationId: `restart-${plan.project}`,
        parallelism: 1,
        ...(ctx.run.engineLimit ? { engineLimit: ctx.run.engineLimit } : {}),
        ensureImage: ctx.run.ensureImage,
        waitTimeoutMs: ctx.run.waitTimeoutMs,
      });
      if (!result.ok) throw summariseFailure(result);
    },
    wanted: async (name, service) => {
      const record = await store.get(name);
      if (!record?.desired || record.released || (record.runState[service] ?? 'running') !== 'running')
        return undefined;
      if (record.services && !record.services.includes(service)) return undefined;
      return record.desired.services.find((s) => s.name === service);
    },
    withLock: (name, task) => locks.run(name, task),
    ...(opts.restartBackoff ? { backoff: opts.restartBackoff } : {}),
    log,
    ledger: createRestartLedgerStore(ctx.stateDir, log),
  });
  ctx.restarts = restarter;
  const supervisor =
    opts.supervise === false
      ? undefined
      : createSupervisor({
          engine,
          bus,
          registered: async () => (await store.list()).filter((r) => !r.released).map((r) => r.name),
          networksOf: (name) => ctx.applied.get(name)?.networks.map((n) => n.name) ?? [],
          reconcile: createReconcile(ctx),
          // The restarter's hook always runs; hooks given by the caller (tests) come after it.
          hooks: [restarter.hook, ...(opts.hooks ?? [])],
          probeOutput: probeOutputReader(engine),
          tap: ctx.observed,
          ...(opts.resyncIntervalMs ? { resyncIntervalMs: opts.resyncIntervalMs } : {}),
          log,
        });
  if (supervisor) {
    ctx.supervisor = supervisor;
    ctx.run.nudge = supervisor.nudge;
  }
  // The kept restart history is read before the first pass plans, so a give-up outlives the daemon.
  const reportMissingRecords = () =>
    readoptLeasedProjects(ctx).catch((err) =>
      log.warn('cannot look for projects without a record', { error: (err as Error).message }),
    );
  // The daemon's identity (its id file) is settled at start, not by the first request that needs it.
  const identity = ctx
    .identity()
    .then(() => undefined)
    .catch((err) => log.warn('cannot read or write the daemon id', { error: (err as Error).message }));
  const ready = supervisor
    ? identity
        .then(() => reportMissingRecords())
        .then(() => store.list())
        .then((records) => restarter.restore(records.map((r) => r.name)))
        .catch((err) => log.warn('cannot read restart history', { error: (err as Error).message }))
        .then(() => supervisor.start())
    : identity;

  const up = createUp(ctx);
  const serviceAction = createServiceAction(ctx);
  const watches = createWatchManager(ctx, { up, serviceAction });
  ctx.watches = watches;
  // Detached watches (`up -d --watch`) come back with the daemon, once its projects are read.
  const resumed = ready.then(() =>
    watches.resume().catch((err) => log.warn('cannot resume watches', { error: (err as Error).message })),
  );
  const imageOps = createImageOps({ images, ops, desired: ctx.loadDesired });

  // The target seam (issue 15): a project whose record (or `up --target`, or the file) says swarm goes to
  // the Swarm verbs; everything else is the local target, untouched.
  const { verbs: seamed, watch: swarmWatch } = createSwarmSeam(ctx, {
    ...createQueries(ctx, restarter),
    up,
    reapply: createReapply(ctx, up),
    down: createDown(ctx),
    serviceAction,
    scale: createScale(ctx),
  });
  return {
    internals: { engine, store, ...(supervisor ? { supervisor } : {}), ready: resumed },
    ...seamed,
    ...createObjectVerbs(ctx),
    build: imageOps.build,
    pull: imageOps.pull,
    push: imageOps.push,
    run: createRunner({
      engine,
      execute: async (plan, env, desired, images = {}) => {
        const result = await executePlan(plan, {
          engine,
          operationId: `run-${plan.project}`,
          parallelism: ctx.run.parallelism,
          ...(ctx.run.engineLimit ? { engineLimit: ctx.run.engineLimit } : {}),
          ensureImage: ctx.ensureFor(desired, env, images),
          waitTimeoutMs: ctx.run.waitTimeoutMs,
        });
        if (!result.ok) throw summariseFailure(result);
      },
      desired: ctx.loadDesired,
      up: (s, o) => up(s, o),
    }),
    getOperation: (id) => ops.get(id),
    operationProgress: (id, signal) => ops.progress(id, signal),
    events: (filter, signal) => bus.subscribe(filter, signal),
    watch: (source, o) => watches.start(source, o),
    releaseWatch: (name, since) => watches.release(name, since),
    async stopWatch(target) {
      const { name } = await ctx.resolveName(target);
      return { project: name, stopped: await watches.stop(name) };
    },
    async close() {
      watches.close();
      restarter.stop();
      await swarmWatch.stop();
      await supervisor?.stop();
      await restarter.flush();
      await Promise.all(ops.running());
      await locks.idle();
    },
  };
}
