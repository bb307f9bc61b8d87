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
  /** Container name → its planned disconnects (a removal must wait for them). */
  disconnects: Map<string, OpId[]>;
}

export function newDraft(project: string): Draft {
  return { project, ops: new Map(), warnings: [], errors: [], disconnects: new Map() };
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
 * operations topologically, taking the earliest-added ready op first, so the text is stable and reads in
 * the order the planner thought it.
 */
export function finishPlan(draft: Draft): Plan {
  const ops = [...draft.ops.values()];
  for (const op of ops) {
    // An id read before this plan pulls or builds the image is stale by the time the container is made.
    if (op.kind === 'create-container' && op.imageId && draft.ops.has(`ensure-image:${op.body.Image}`))
      delete op.imageId;
  }
  const index = new Map(ops.map((op, i) => [op.id, i]));
  const waiting = new Array<number>(ops.length).fill(0);
  const dependents: number[][] = ops.map(() => []);
  ops.forEach((op, i) => {
    op.after = op.after.filter((id) => draft.ops.has(id));
    waiting[i] = op.after.length;
    for (const id of op.after) dependents[index.get(id)!]!.push(i);
  });
  const ready: number[] = [];
  waiting.forEach((n, i) => {
    if (n === 0) heapPush(ready, i);
  });
  const ordered: Operation[] = [];
  for (let i = heapPop(ready); i !== undefined; i = heapPop(ready)) {
    ordered.push(ops[i]!);
    for (const d of dependents[i]!) {
      waiting[d]! -= 1;
      if (waiting[d] === 0) heapPush(ready, d);
    }
  }
  if (ordered.length !== ops.length) {
    // A bug in the planner, never the user's input (dependency cycles are refused by the loader).
    const stuck = ops.filter((op) => !ordered.includes(op)).map((op) => op.id);
    throw new PlanCycleError(`plan has a cycle among: ${stuck.join(', ')}`);
  }
  return { project: draft.project, operations: ordered, warnings: draft.warnings, errors: draft.errors };
}

/** A binary min-heap of insertion indexes (plain array + two functions). */
function heapPush(a: number[], value: number): void {
  a.push(value);
  let i = a.length - 1;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (a[parent]! <= a[i]!) break;
    [a[parent], a[i]] = [a[i]!, a[parent]!];
    i = parent;
  }
}

function heapPop(a: number[]): number | undefined {
  const top = a[0];
  const last = a.pop();
  if (a.length === 0 || last === undefined) return top;
  a[0] = last;
  let i = 0;
  for (;;) {
    const l = 2 * i + 1;
    const r = l + 1;
    let m = i;
    if (l < a.length && a[l]! < a[m]!) m = l;
    if (r < a.length && a[r]! < a[m]!) m = r;
    if (m === i) break;
    [a[m], a[i]] = [a[i]!, a[m]!];
    i = m;
  }
  return top;
}
