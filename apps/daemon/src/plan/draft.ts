/**
 * The plan under construction: operations by id, plus warnings and errors. Plain data and functions;
 * `finishPlan` checks the edges and orders the operations so that every op comes after what it waits for.
 */
import type { Operation, OpId, Plan, PlanError, PlanErrorCode } from './types.js';

export interface Draft {
  project: string;
  ops: Map<OpId, Operation>;
  warnings: string[];
  errors: PlanError[];
}

export function newDraft(project: string): Draft {
  return { project, ops: new Map(), warnings: [], errors: [] };
}

/** Adds an op; adding the same id twice merges the `after` edges (shared waits, shared image ops). */
export function addOp<T extends Operation>(draft: Draft, op: T): T {
  const existing = draft.ops.get(op.id);
  if (existing) {
    addAfter(existing, ...op.after);
    return existing as T;
  }
  op.after = unique(op.after);
  draft.ops.set(op.id, op);
  return op;
}

export function addAfter(op: Operation, ...ids: Array<OpId | undefined>): void {
  for (const id of ids) if (id && id !== op.id && !op.after.includes(id)) op.after.push(id);
}

export function addError(draft: Draft, code: PlanErrorCode, message: string): void {
  if (!draft.errors.some((e) => e.code === code && e.message === message))
    draft.errors.push({ code, message });
}

export function addWarning(draft: Draft, message: string): void {
  if (!draft.warnings.includes(message)) draft.warnings.push(message);
}

function unique(ids: OpId[]): OpId[] {
  return [...new Set(ids)];
}

export class PlanCycleError extends Error {
  readonly code = 'PLAN_CYCLE';
}

/**
 * Drops edges to ops that are not in the plan (a wait on something with nothing to do) and orders the
 * operations topologically, keeping insertion order among independent ops, so the text is stable.
 */
export function finishPlan(draft: Draft): Plan {
  const ops = [...draft.ops.values()];
  for (const op of ops) op.after = op.after.filter((id) => draft.ops.has(id));
  const placed = new Set<OpId>();
  const ordered: Operation[] = [];
  let pending = ops;
  while (pending.length > 0) {
    const ready = pending.filter((op) => op.after.every((id) => placed.has(id)));
    if (ready.length === 0) {
      // A bug in the planner, never the user's input (dependency cycles are refused by the loader).
      throw new PlanCycleError(`plan has a cycle among: ${pending.map((op) => op.id).join(', ')}`);
    }
    // One op at a time keeps insertion order where the graph allows it.
    const next = ready[0]!;
    placed.add(next.id);
    ordered.push(next);
    pending = pending.filter((op) => op !== next);
  }
  return { project: draft.project, operations: ordered, warnings: draft.warnings, errors: draft.errors };
}
