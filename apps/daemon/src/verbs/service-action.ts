/**
 * `start`, `stop`, `restart`, `kill`, `pause`, `unpause`, `rm` of services: the user's intent is written
 * to the record first (so the supervisor keeps a stopped service stopped), then planned and run.
 */
import type { DesiredRunState, ServiceAction, ServiceActionOptions } from '../contract/types.js';
import { observeProject } from '../observe/observe.js';
import { planServiceAction } from '../plan/index.js';
import type { VerbContext } from './context.js';
import { runPlan } from './converge.js';
import { checkProjectOwner } from './guard.js';
import type { OperationHandle, ProjectTarget } from './types.js';

export type ServiceActionVerb = (
  target: ProjectTarget,
  action: ServiceAction,
  opts: ServiceActionOptions,
) => Promise<OperationHandle>;

const runStateAfter: Record<ServiceAction, DesiredRunState | undefined> = {
  start: 'running',
  restart: 'running',
  unpause: 'running',
  stop: 'stopped',
  kill: 'stopped',
  pause: 'paused',
  rm: undefined,
};

export function createServiceAction(ctx: VerbContext): ServiceActionVerb {
  const { engine, store, ops, run } = ctx;
  return async (target, action, o) => {
    const { name, project } = await ctx.resolveName(target);
    if (project) await checkProjectOwner(engine, name, project.working_dir, false);
    const record = await store.get(name);
    const desired = record?.desired ?? (await ctx.desiredFor(name, project));
    const state = runStateAfter[action];
    if (record && state) {
      const services = o.services?.length ? o.services : (desired?.services.map((s) => s.name) ?? []);
      const runState = { ...record.runState };
      for (const s of services) {
        if (state === 'running') delete runState[s];
        else runState[s] = state;
      }
      await ctx.remember({ ...record, runState, updatedAt: new Date().toISOString() });
    }
    if (record && action === 'rm') {
      // Removed services leave the set the daemon keeps converged (else it would create them again);
      // the next `up` of them brings them back.
      const all = desired?.services.map((s) => s.name) ?? [];
      // Without -s a running container is left (compose): its service stays in the set.
      const running = o.stop
        ? new Set<string>()
        : new Set(
            (await observeProject(engine, name)).containers
              .filter((c) => c.state === 'running' || c.state === 'paused' || c.state === 'restarting')
              .map((c) => c.service),
          );
      const removed = new Set((o.services?.length ? o.services : all).filter((s) => !running.has(s)));
      const keep = (record.services ?? all).filter((s) => !removed.has(s));
      if (keep.length === 0) {
        await store.remove(name);
        ctx.supervisor?.untrack(name);
      } else await ctx.remember({ ...record, services: keep, updatedAt: new Date().toISOString() });
    }
    return ops.start(
      name,
      action,
      async (scope) => {
        const observed = await observeProject(engine, name);
        await runPlan(
          run,
          scope,
          planServiceAction(desired, observed, action, {
            ...(o.services?.length ? { services: o.services } : {}),
            ...(o.timeoutSeconds !== undefined ? { timeoutSeconds: o.timeoutSeconds } : {}),
            ...(o.signal ? { signal: o.signal } : {}),
            ...(o.volumes ? { volumes: true } : {}),
            ...(o.stop ? { stop: true } : {}),
            ...(o.noDeps ? { noDeps: true } : {}),
            ...(o.removeOrphans ? { removeOrphans: true } : {}),
          }),
        );
      },
      ctx.underLock(name),
    );
  };
}
