/** `down`: unregister first (the supervisor must not bring back what goes), then plan and run the removal. */
import type { DownOptions } from '../contract/types.js';
import { planDown } from '../plan/index.js';
import type { VerbContext } from './context.js';
import { observeFor, runPlan } from './converge.js';
import { assertProjectOwner } from './guard.js';
import { checkLease, dropLease } from './lease.js';
import { removeProjectImages } from './remove-images.js';
import type { OperationHandle, ProjectTarget } from './types.js';

export type Down = (target: ProjectTarget, o: DownOptions) => Promise<OperationHandle>;

export function createDown(ctx: VerbContext): Down {
  const { engine, store, ops, run, images, locks, generations } = ctx;
  return async (target, o) => {
    const { name, project } = await ctx.resolveName(target);
    // The reads before acting go out together: what the engine has (one read serves the owner check and
    // the plan), the lease, the desired state. A refused down has changed nothing.
    const busy = locks.busy(name);
    const generationSeen = generations.get(name) ?? 0;
    const [observedEarly, leaseCheck, desired] = await Promise.all([
      ctx.observed.read(name),
      ctx
        .identity()
        .then((me) => checkLease({ engine, me }, name, o.force ?? false))
        .then(
          () => undefined,
          (error: unknown) => ({ error }),
        ),
      ctx.desiredFor(name, project),
    ]);
    if (project) {
      assertProjectOwner(
        observedEarly.containers.map((c) => c.labels),
        name,
        project.working_dir,
        false,
      );
    }
    // Another live daemon keeping it would bring it straight back: refuse unless told, and say who.
    if (leaseCheck) throw leaseCheck.error;
    // A watch would sync into (or rebuild) what goes: it ends first.
    await ctx.watches?.stop(name);
    // Unregistered first: the supervisor must not bring back what we are taking down.
    await store.remove(name);
    ctx.applied.delete(name);
    ctx.supervisor?.untrack(name);
    // No keeper any more: a daemon that kept it (this one, or another with --force) stops and says so.
    await Promise.all([ctx.restarts?.forget(name), dropLease(engine, name)]);
    return ops.start(
      name,
      'down',
      async (scope) => {
        // What was read above is still the truth if no operation on the project ran since (this one
        // holds the lock now; a finished one moved the generation): otherwise read again.
        const reusable = !busy && (generations.get(name) ?? 0) === generationSeen;
        const observed = reusable ? observedEarly : await observeFor(run, name);
        await runPlan(
          run,
          scope,
          planDown(desired, observed, {
            ...(o.volumes ? { volumes: true } : {}),
            ...(o.removeOrphans ? { removeOrphans: true } : {}),
            ...(o.timeoutSeconds !== undefined ? { timeoutSeconds: o.timeoutSeconds } : {}),
            ...(project ? { disabledServices: Object.keys(project.disabled_services ?? {}) } : {}),
          }),
        );
        if (o.rmi && desired) await removeProjectImages(images, desired, o.rmi, scope);
      },
      ctx.underLock(name),
    );
  };
}
