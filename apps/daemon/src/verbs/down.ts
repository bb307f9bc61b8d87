/** `down`: unregister first (the supervisor must not bring back what goes), then plan and run the removal. */
import type { DownOptions } from '../contract/types.js';
import { observeProject } from '../observe/observe.js';
import { planDown } from '../plan/index.js';
import type { VerbContext } from './context.js';
import { runPlan } from './converge.js';
import { checkProjectOwner } from './guard.js';
import { checkLease, dropLease } from './lease.js';
import { removeProjectImages } from './remove-images.js';
import type { OperationHandle, ProjectTarget } from './types.js';

export type Down = (target: ProjectTarget, o: DownOptions) => Promise<OperationHandle>;

export function createDown(ctx: VerbContext): Down {
  const { engine, store, ops, run, images } = ctx;
  return async (target, o) => {
    const { name, project } = await ctx.resolveName(target);
    if (project) await checkProjectOwner(engine, name, project.working_dir, false);
    // Another live daemon keeping it would bring it straight back: refuse unless told, and say who.
    await checkLease({ engine, me: await ctx.identity() }, name, o.force ?? false);
    const desired = await ctx.desiredFor(name, project);
    // A watch would sync into (or rebuild) what goes: it ends first.
    await ctx.watches?.stop(name);
    // Unregistered first: the supervisor must not bring back what we are taking down.
    await store.remove(name);
    ctx.applied.delete(name);
    ctx.supervisor?.untrack(name);
    await ctx.restarts?.forget(name);
    // No keeper any more: a daemon that kept it (this one, or another with --force) stops and says so.
    await dropLease(engine, name);
    return ops.start(
      name,
      'down',
      async (scope) => {
        const observed = await observeProject(engine, name);
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
