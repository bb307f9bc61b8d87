/**
 * The supervisor's pass for one project (level-triggered, idempotent): read the record and the engine,
 * plan as `up` would for what the user asked, run the plan as a `repair` operation when there is work.
 */
import { plan as planUp } from '../plan/index.js';
import type { ProjectRecord } from '../store/store.js';
import type { VerbContext } from './context.js';
import { observeFor, runPlan } from './converge.js';
import { claimLease, describeKeeper, keeperState, readLease } from './lease.js';

export type Reconcile = (
  name: string,
  reason: string,
  startExited: boolean,
  engineRestarted?: boolean,
) => Promise<{ changed: boolean }>;

export function createReconcile(ctx: VerbContext): Reconcile {
  const { store, ops, run, locks, bus, log } = ctx;
  return (name, reason, startExited, engineRestarted = false) =>
    locks.run(name, async () => {
      const record = await store.get(name);
      if (!record?.desired || record.released) return { changed: false };
      const desired = record.desired;
      // Read while the lease is checked (both read-only): a repair's first engine call comes one round
      // trip sooner. What a daemon that is no longer the keeper observed is dropped unread.
      const observing = observeFor(run, name, desired);
      observing.catch(() => undefined);
      if (!(await stillKeeper(ctx, record))) return { changed: false };
      ctx.applied.set(name, desired);
      const observed = await observing;
      const planned = planUp(desired, observed, {
        desiredRunState: record.runState,
        startExited,
        ...(startExited && ctx.restarts ? { leaveExited: ctx.restarts.heldDown(name) } : {}),
        restoreDependencyOrder: engineRestarted ? 'engine-restarted' : 'started-before',
        // The recorded set already holds the dependencies it needs (see `up`): a dependency removed with
        // `rm` must not be pulled back by its dependents.
        ...(record.services ? { services: record.services, noDeps: true } : {}),
      });
      if (planned.operations.length === 0 && planned.errors.length === 0) return { changed: false };
      const causes = [...new Set(planned.operations.map((o) => `${o.service ?? ''}: ${o.cause}`))].slice(
        0,
        5,
      );
      bus.publish({
        type: 'repair',
        project: name,
        action: 'repair',
        reason: `${reason}; ${causes.join('; ')}`,
      });
      const ensure = ctx.ensureFor(desired, record.source.env, { converge: true });
      const handle = ops.start(name, 'repair', (scope) => runPlan(run, scope, planned, ensure));
      const rec = await handle.done;
      if (rec.error) log.warn('repair failed', { project: name, error: rec.error.message });
      ctx.generations.set(name, (ctx.generations.get(name) ?? 0) + 1);
      return { changed: true };
    });
}

/**
 * Whether this daemon still keeps the project. Its lease names it: go on (after a daemon restart the
 * lease is renewed with the new pid). A record from before leases claims one. Another daemon's lease,
 * or none where this daemon had one (taken down with --force elsewhere, or removed by hand), means it
 * no longer converges the project: the record is marked released, and an event and a log line say why.
 */
async function stillKeeper(ctx: VerbContext, record: ProjectRecord): Promise<boolean> {
  const me = await ctx.identity();
  const lease = await readLease(ctx.engine, record.name);
  const keeper = keeperState(lease, me);
  if (keeper === 'self' || (keeper === 'none' && !record.leased)) {
    // After a daemon restart the lease names this daemon's old pid: renewed (a no-op when current).
    await claimLease({ engine: ctx.engine, me }, record.name, lease);
    if (!record.leased) await ctx.store.put({ ...record, leased: true });
    return true;
  }
  const reason = lease
    ? `the project is now kept by ${describeKeeper(lease)}; this daemon no longer converges it (orc up here takes it back)`
    : `its lease (volume orc-lease.${record.name}) is gone: another daemon took the project down, or the volume was removed; this daemon no longer converges it (orc up here keeps it again)`;
  await ctx.store.put({ ...record, released: { reason, at: new Date().toISOString() } });
  ctx.applied.delete(record.name);
  ctx.supervisor?.untrack(record.name);
  ctx.bus.publish({ type: 'repair', project: record.name, action: 'released', reason });
  ctx.log.warn('project released', { project: record.name, reason });
  return false;
}
