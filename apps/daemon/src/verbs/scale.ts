/** `scale`: new replica overrides written to the record, then an up of those services alone. */
import { formatProblem } from '@orc/spec';
import { OrcError } from '../contract/errors.js';
import { plan as planUp } from '../plan/index.js';
import type { VerbContext } from './context.js';
import { observeFor, runPlan } from './converge.js';
import { withDependencies } from './dependencies.js';
import { keptWithoutProblems, selectionFailure } from './selection.js';
import type { OperationHandle, ProjectTarget } from './types.js';

export type Scale = (
  target: ProjectTarget,
  replicas: Record<string, number>,
  opts?: { dependencies?: boolean },
) => Promise<OperationHandle>;

export function createScale(ctx: VerbContext): Scale {
  const { store, ops, run } = ctx;
  return async (target, replicas, opts = {}) => {
    const { name } = await ctx.resolveName(target);
    const record = await store.get(name);
    if (!record?.desired) {
      throw new OrcError(
        'PROJECT_NOT_FOUND',
        `project ${name} is not registered with the daemon; run \`orc up\` first`,
      );
    }
    const loaded = await ctx.load(record.source);
    if (!loaded.ok) {
      throw new OrcError('INVALID_REQUEST', loaded.errors.map(formatProblem).join('\n'), {
        errors: loaded.errors,
      });
    }
    const scaled = Object.keys(replicas);
    // Only the scaled services' problems refuse it (their env_file, a clash between two of them).
    const problem = selectionFailure(loaded.project, scaled, loaded.warnings);
    if (problem) {
      throw new OrcError('INVALID_REQUEST', problem.errors.map(formatProblem).join('\n'), {
        errors: problem.errors,
      });
    }
    const services = keptWithoutProblems(loaded.project, record.services, scaled);
    const newScale = { ...record.scale, ...replicas };
    const d = ctx.toDesired(loaded.project, newScale);
    if (!('desired' in d)) throw new OrcError('INVALID_REQUEST', d.errors.map(formatProblem).join('\n'));
    const desired = d.desired;
    // compose's scale starts the scaled services' dependencies: a dependency the user stopped is wanted
    // running again, as `up` of those services would (without them, the record's run states hold).
    const runState = { ...record.runState };
    if (opts.dependencies) for (const s of withDependencies(desired, scaled)) delete runState[s];
    await ctx.remember({
      ...record,
      runState,
      scale: newScale,
      ...(services ? { services } : {}),
      desired,
      updatedAt: new Date().toISOString(),
    });
    return ops.start(
      name,
      'scale',
      async (scope) => {
        const observed = await observeFor(run, name, desired);
        await runPlan(
          run,
          scope,
          planUp(desired, observed, {
            services: scaled,
            noDeps: !opts.dependencies,
            desiredRunState: runState,
            startExited: true,
          }),
          ctx.ensureFor(desired, record.source.env, {}),
        );
      },
      ctx.underLock(name),
    );
  };
}
