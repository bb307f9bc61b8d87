/**
 * `up` in two phases, as compose does it: images first (build, pull), then plan against what the engine
 * has now. A build or pull that changes an image id is seen by the second plan, so the container is
 * recreated in the same `up` rather than by the next one.
 */
import { isOrcError } from '../contract/errors.js';
import type { OpContext } from '../execute/operations.js';
import { renderPlan } from '../plan/index.js';
import type { Operation, Plan } from '../plan/types.js';
import { planFailure, type RunContext, runPlan } from './converge.js';
import type { OperationScope } from './operations.js';

type EnsureImageOp = Extract<Operation, { kind: 'ensure-image' }>;

/**
 * Runs the plan's `ensure-image` ops alone, then `replan()` (observe again, plan without build/pull) and
 * runs that. Without image ops (or with plan errors) it is `runPlan(first)`. Returns the plan that ran last.
 */
export async function runImagesThenPlan(
  run: RunContext,
  scope: OperationScope,
  first: Plan,
  replan: () => Promise<Plan>,
  ensure: OpContext['ensureImage'],
): Promise<Plan> {
  const images = first.operations.filter((op): op is EnsureImageOp => op.kind === 'ensure-image');
  if (images.length === 0 || planFailure(first)) return runRequeued(run, scope, first, replan, ensure);
  // Warnings belong to the second plan (they would be said twice otherwise).
  const imagePlan: Plan = {
    ...first,
    operations: images.map((op) => ({ ...op, after: [] })),
    warnings: [],
  };
  await runPlan(run, scope, imagePlan, ensure);
  const second = await runRequeued(run, scope, await replan(), replan, ensure);
  // The operation's recorded plan: what was done to the images, then what the second plan did.
  scope.setPlan([...renderPlan(imagePlan), ...renderPlan(second)]);
  return second;
}

/** Plans made again after a stale step, at most: a world that keeps changing under `up` is reported. */
const MAX_REQUEUES = 3;

/**
 * Runs a plan; when its only failures are stale steps (the executor met a name taken since the plan was
 * made, by a container of this project), plans again from what exists and runs that: the executor
 * decides nothing, the planner adopts or replaces. Level-triggered, as the supervisor's passes are.
 */
export async function runRequeued(
  run: RunContext,
  scope: OperationScope,
  plan: Plan,
  replan: () => Promise<Plan>,
  ensure: OpContext['ensureImage'],
): Promise<Plan> {
  let current = plan;
  for (let requeues = 0; ; requeues++) {
    try {
      await runPlan(run, scope, current, ensure);
      return current;
    } catch (err) {
      if (!isStale(err) || requeues >= MAX_REQUEUES) throw err;
      scope.warn(`${(err as Error).message}; planning again from what exists`);
      current = await replan();
    }
  }
}

function isStale(err: unknown): boolean {
  if (!isOrcError(err, 'STALE_PLAN')) return false;
  const failures = (err.details as { failures?: { code: string }[] } | undefined)?.failures ?? [];
  return failures.every((f) => f.code === 'STALE_PLAN');
}
