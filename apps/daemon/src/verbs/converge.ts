import type { DesiredState } from '@orc/spec';
import { OrcError } from '../contract/errors.js';
import type { EventBus } from '../contract/event-bus.js';
import type { Engine } from '../engine/engine.js';
import { executePlan, summariseFailure } from '../execute/executor.js';
import type { Limiter } from '../execute/limiter.js';
import type { OpContext } from '../execute/operations.js';
import { observeProject } from '../observe/observe.js';
import type { ObservedProject } from '../observe/types.js';
import { renderPlan } from '../plan/index.js';
import type { Plan } from '../plan/types.js';
import type { OperationScope } from './operations.js';

export interface RunContext {
  engine: Engine;
  bus: EventBus;
  parallelism: number;
  /** Shared by every plan: the daemon-wide bound on engine operations. */
  engineLimit?: Limiter;
  waitTimeoutMs: number;
  ensureImage: OpContext['ensureImage'];
  nudge?: OpContext['nudge'];
}

/** Observe with the lookups the planner needs (images, foreign holders of our names). */
export function observeFor(
  ctx: RunContext,
  project: string,
  desired?: DesiredState,
): Promise<ObservedProject> {
  return observeProject(ctx.engine, project, desired ? { desired } : {});
}

const planErrorCodes: Record<string, OrcError['code']> = {
  NAME_CONFLICT: 'NAME_IN_USE',
  EXTERNAL_NETWORK_MISSING: 'NOT_FOUND',
  EXTERNAL_VOLUME_MISSING: 'NOT_FOUND',
  UNKNOWN_SERVICE: 'SERVICE_NOT_FOUND',
  IMAGE_MISSING: 'IMAGE_MISSING',
  START_FIRST_FIXED_PORTS: 'INVALID_REQUEST',
};

/** A plan with errors is never run: they name what must change first. */
export function planFailure(plan: Plan): OrcError | undefined {
  const first = plan.errors[0];
  if (!first) return undefined;
  return new OrcError(
    planErrorCodes[first.code] ?? 'CONFLICT',
    plan.errors.map((e) => e.message).join('\n'),
    { errors: plan.errors },
  );
}

/**
 * Runs a plan inside an operation: records it as text, refuses one with errors, executes it with
 * progress, and reports recreates as daemon events (with the planner's cause).
 */
export async function runPlan(
  ctx: RunContext,
  scope: OperationScope,
  plan: Plan,
  ensureImage: OpContext['ensureImage'] = ctx.ensureImage,
): Promise<void> {
  scope.setPlan(renderPlan(plan));
  for (const w of plan.warnings) scope.warn(w);
  const refused = planFailure(plan);
  if (refused) throw refused;
  if (plan.operations.length === 0) return;
  const result = await executePlan(plan, {
    engine: ctx.engine,
    operationId: scope.id,
    parallelism: ctx.parallelism,
    ...(ctx.engineLimit ? { engineLimit: ctx.engineLimit } : {}),
    ensureImage,
    waitTimeoutMs: ctx.waitTimeoutMs,
    onProgress: (e) => scope.progress(e),
    ...(ctx.nudge ? { nudge: ctx.nudge } : {}),
  });
  for (const w of result.warnings) scope.warn(w);
  for (const op of plan.operations) {
    if (result.failures.some((f) => f.op.id === op.id) || result.skipped.includes(op)) continue;
    // A restart the plan decided (dependency order restored, a recreated dependency): say why.
    if (op.kind === 'restart-container') {
      ctx.bus.publish({
        type: 'restart',
        project: plan.project,
        ...(op.service ? { service: op.service } : {}),
        container: op.name,
        action: 'restart',
        reason: op.cause,
      });
    }
    if (op.kind !== 'create-container' || !op.replaces) continue;
    ctx.bus.publish({
      type: 'recreate',
      project: plan.project,
      ...(op.service ? { service: op.service } : {}),
      container: op.name,
      action: 'recreate',
      reason: op.cause,
    });
  }
  if (!result.ok) throw summariseFailure(result);
}
