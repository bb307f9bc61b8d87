/**
 * `up` in two phases, as compose does it: images first (build, pull), then plan against what the engine
 * has now. A build or pull that changes an image id is seen by the second plan, so the container is
 * recreated in the same `up` rather than by the next one.
 */
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
  if (images.length === 0 || planFailure(first)) {
    await runPlan(run, scope, first, ensure);
    return first;
  }
  // Warnings belong to the second plan (they would be said twice otherwise).
  const imagePlan: Plan = {
    ...first,
    operations: images.map((op) => ({ ...op, after: [] })),
    warnings: [],
  };
  await runPlan(run, scope, imagePlan, ensure);
  const second = await replan();
  await runPlan(run, scope, second, ensure);
  // The operation's recorded plan: what was done to the images, then what the second plan did.
  scope.setPlan([...renderPlan(imagePlan), ...renderPlan(second)]);
  return second;
}
