/** `down`: unregister first (the supervisor must not bring back what goes), then plan and run the removal. */
import type { DownOptions } from '../contract/types.js';
import { planDown } from '../plan/index.js';
import type { VerbContext } from './context.js';
import { observeFor, runPlan } from './converge.js';
import { assertProjectOwner } from './guard.js';
import { checkLease, dropLease, keeperState } from './lease.js';
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
        .then(async (me) => {
          // From memory as `up` reads it (kept until a volume is created or removed): the lease read is
          // the only engine call before the first stop.
          const lease = { engine, me, readVolume: ctx.observed.volume };
          const current = await checkLease(lease, name, o.force ?? false);
          return { othersLive: ['alive', 'unknown'].includes(keeperState(current, me)) };
        })
        .then(
          (kept) => ({ ok: true as const, ...kept }),
          (error: unknown) => ({ ok: false as const, error }),
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
    if (!leaseCheck.ok) throw leaseCheck.error;
    // A watch would sync into (or rebuild) what goes: it ends first.
    await ctx.watches?.stop(name);
    // Unregistered first: the supervisor must not bring back what we are taking down.
    await store.remove(name);
    ctx.applied.delete(name);
    ctx.supervisor?.untrack(name);
    // No keeper any more: a daemon that kept it (this one, or another with --force) stops and says so.
    // Unregistered above, this daemon brings nothing back: its own lease (or none, or a dead keeper's)
    // goes while the containers stop, one engine round trip less before the first stop; a failed drop
    // still fails the down, after it. Another live keeper's (--force) goes first, as before: that daemon
    // would repair the stops it sees while its lease stands.
    const unkept = Promise.all([ctx.restarts?.forget(name), dropLease(engine, name)]).then(
      () => undefined,
      (error: unknown) => ({ error }),
    );
    if (leaseCheck.othersLive) {
      const dropFailed = await unkept;
      if (dropFailed) throw dropFailed.error;
    }
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
        const dropFailed = await unkept;
        if (dropFailed) throw dropFailed.error;
      },
      ctx.underLock(name),
    );
  };
}
