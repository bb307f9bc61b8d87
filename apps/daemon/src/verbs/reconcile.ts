/**
 * The supervisor's pass for one project (level-triggered, idempotent): read the record and the engine,
 * plan as `up` would for what the user asked, run the plan as a `repair` operation when there is work.
 */
import { plan as planUp } from '../plan/index.js';
import type { VerbContext } from './context.js';
import { observeFor, runPlan } from './converge.js';

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
      if (!record?.desired) return { changed: false };
      const desired = record.desired;
      ctx.applied.set(name, desired);
      const observed = await observeFor(run, name, desired);
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
