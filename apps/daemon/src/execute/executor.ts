import PQueue from 'p-queue';
import { isOrcError, OrcError } from '../contract/errors.js';
import type { ProgressEvent, ResourceKind } from '../contract/types.js';
import type { Engine } from '../engine/engine.js';
import type { Operation, Plan } from '../plan/types.js';
import type { Limiter } from './limiter.js';
import { type OpContext, runOperation } from './operations.js';

export interface ExecuteOptions {
  engine: Engine;
  operationId: string;
  /** Engine operations in flight at once in this plan (default 8; waits and hooks are not counted). */
  parallelism?: number;
  onProgress?: (event: ProgressEvent) => void;
  ensureImage: OpContext['ensureImage'];
  /** Timeout of each `wait-container` (default 300 s). */
  waitTimeoutMs?: number;
  nudge?: OpContext['nudge'];
  signal?: AbortSignal;
  /**
   * Shared by every plan the daemon runs: bounds the engine operations (create, start, stop, remove, ...)
   * in flight across plans. Waits and image pulls are not counted: they hold no engine work.
   */
  engineLimit?: Limiter;
}

// Hooks run user commands of any length: holding an engine slot meanwhile would stall other plans.
const unbounded = new Set<Operation['kind']>([
  'wait-container',
  'ensure-image',
  'run-init',
  'exec-hook',
  'run-provider',
]);

export interface OperationFailure {
  op: Operation;
  code: string;
  message: string;
}

export interface ExecuteResult {
  ok: boolean;
  failures: OperationFailure[];
  /** Operations not run because something they needed failed. */
  skipped: Operation[];
  /** Failures of `required: false` waits: reported, not fatal. */
  warnings: string[];
}

interface Display {
  kind: ResourceKind;
  resource: string;
  action: string;
}

export function describeOperation(op: Operation): Display {
  switch (op.kind) {
    case 'create-network':
    case 'remove-network':
      return { kind: 'network', resource: op.name, action: op.kind.split('-')[0]! };
    case 'create-volume':
    case 'remove-volume':
      return { kind: 'volume', resource: op.name, action: op.kind.split('-')[0]! };
    case 'ensure-image':
      return { kind: 'image', resource: op.image, action: op.build ? 'build' : 'pull' };
    case 'rename-container':
      return { kind: 'container', resource: op.to, action: 'rename' };
    case 'connect-network':
    case 'disconnect-network':
      return { kind: 'container', resource: op.container, action: `${op.kind.split('-')[0]} ${op.network}` };
    case 'wait-container':
      return { kind: 'container', resource: op.name, action: `wait ${op.until}` };
    case 'run-provider':
      return { kind: 'service', resource: op.service, action: `provider ${op.command}` };
    case 'run-init':
      return { kind: 'container', resource: op.name, action: `pre_start[${op.step.index - 1}]` };
    case 'exec-hook':
      return { kind: 'container', resource: op.name, action: `${op.phase}[${op.hook.index - 1}]` };
    default:
      return { kind: 'container', resource: op.name, action: op.kind.split('-')[0]! };
  }
}

/**
 * Walks the plan's DAG: an operation starts once everything in its `after` succeeded, with at most
 * `parallelism` in flight. A failure skips everything downstream of it (except past a `required: false`
 * wait), so a dependent never starts on a broken dependency; independent branches carry on.
 */
export async function executePlan(plan: Plan, opts: ExecuteOptions): Promise<ExecuteResult> {
  const queue = new PQueue({ concurrency: opts.parallelism ?? 8 });
  // Waits and hooks hold no engine work: in the bounded queue, four health waits would stall every create.
  const free = new PQueue({ concurrency: Number.POSITIVE_INFINITY });
  const byId = new Map(plan.operations.map((op) => [op.id, op]));
  const dependents = new Map<string, string[]>();
  const waiting = new Map<string, number>();
  for (const op of plan.operations) {
    const deps = op.after.filter((d) => byId.has(d));
    waiting.set(op.id, deps.length);
    for (const d of deps) dependents.set(d, [...(dependents.get(d) ?? []), op.id]);
  }
  const priority = criticalPath(plan.operations, dependents);
  const result: ExecuteResult = { ok: true, failures: [], skipped: [], warnings: [] };
  const blockedBy = new Map<string, string>();
  const imageIds = new Map<string, Promise<string>>();

  const emit = (op: Operation, state: ProgressEvent['state'], message?: string, elapsedMs?: number) => {
    if (!opts.onProgress) return;
    const d = describeOperation(op);
    opts.onProgress({
      operationId: opts.operationId,
      project: plan.project,
      kind: d.kind,
      resource: d.resource,
      action: d.action,
      state,
      ...(message !== undefined ? { message } : {}),
      ...(elapsedMs !== undefined ? { elapsedMs } : {}),
      time: new Date().toISOString(),
    });
  };

  const release = (id: string, failedBecause?: string) => {
    for (const next of dependents.get(id) ?? []) {
      if (failedBecause && !blockedBy.has(next)) blockedBy.set(next, failedBecause);
      const left = (waiting.get(next) ?? 0) - 1;
      waiting.set(next, left);
      if (left === 0) schedule(next);
    }
  };

  const schedule = (id: string) => {
    const op = byId.get(id)!;
    const blocker = blockedBy.get(id);
    if (blocker || opts.signal?.aborted) {
      const why = blocker ?? 'cancelled';
      result.skipped.push(op);
      emit(op, 'skipped', `not started: ${why}`);
      release(id, why);
      return;
    }
    const rank = priority.get(id) ?? 0;
    void (unbounded.has(op.kind) ? free : queue).add(
      async () => {
        const started = Date.now();
        emit(op, 'working', op.cause);
        const ctx: OpContext = {
          engine: opts.engine,
          project: plan.project,
          ensureImage: opts.ensureImage,
          waitTimeoutMs: opts.waitTimeoutMs ?? 300_000,
          imageIds,
          report: (message) => emit(op, 'working', message),
          ...(opts.nudge ? { nudge: opts.nudge } : {}),
          ...(opts.signal ? { signal: opts.signal } : {}),
        };
        try {
          if (opts.engineLimit && !unbounded.has(op.kind))
            await opts.engineLimit.run(() => runOperation(op, ctx), op.kind, rank);
          else await runOperation(op, ctx);
          emit(op, 'done', undefined, Date.now() - started);
          release(id);
        } catch (err) {
          const e = isOrcError(err) ? err : new OrcError('INTERNAL', (err as Error)?.message ?? String(err));
          emit(op, 'error', e.message, Date.now() - started);
          if (op.kind === 'wait-container' && !op.required) {
            result.warnings.push(`${e.message} (optional dependency: carrying on)`);
            release(id);
            return;
          }
          result.ok = false;
          result.failures.push({ op, code: e.code, message: e.message });
          const d = describeOperation(op);
          release(id, `${d.action} ${d.resource} failed`);
        }
      },
      { priority: rank },
    );
  };

  // The first ones start at once, before the queue can order them: hand them over longest chain first.
  const roots = plan.operations.filter((op) => waiting.get(op.id) === 0);
  roots.sort((a, b) => (priority.get(b.id) ?? 0) - (priority.get(a.id) ?? 0));
  for (const op of roots) schedule(op.id);
  // Everything is scheduled from completions; drain until no more work appears.
  do {
    await queue.onIdle();
    await free.onIdle();
  } while (queue.size || queue.pending || free.size || free.pending);
  const unreached = plan.operations.filter((op) => (waiting.get(op.id) ?? 0) > 0);
  for (const op of unreached) {
    result.ok = false;
    result.failures.push({
      op,
      code: 'INTERNAL',
      message: `operation ${op.id} was never reachable (cycle in the plan)`,
    });
  }
  if (result.skipped.length) result.ok = false;
  return result;
}

// A wait is the one step that lasts (a health interval, a completion): a chain through one is long.
const weight = (op: Operation) => (op.kind === 'wait-container' ? 10 : 1);

/**
 * Each operation's longest weighted path to the end of the plan. Run first when slots are scarce: the
 * start of a service that others wait on to be healthy is worth more than the create of a leaf, which
 * nothing waits for (a FIFO bound starts s0 after every create queued before it).
 */
function criticalPath(ops: Operation[], dependents: Map<string, string[]>): Map<string, number> {
  const byId = new Map(ops.map((op) => [op.id, op]));
  const memo = new Map<string, number>();
  const visiting = new Set<string>();
  const height = (id: string): number => {
    const known = memo.get(id);
    if (known !== undefined) return known;
    if (visiting.has(id)) return 0; // a cycle: reported after the walk, not here
    visiting.add(id);
    let below = 0;
    for (const next of dependents.get(id) ?? []) below = Math.max(below, height(next));
    visiting.delete(id);
    const h = below + weight(byId.get(id)!);
    memo.set(id, h);
    return h;
  };
  for (const op of ops) height(op.id);
  return memo;
}

/** One message for a failed run, naming the first failure and how much was skipped. */
export function summariseFailure(r: ExecuteResult): OrcError {
  const first = r.failures[0];
  const code = first?.code ?? 'CANCELLED';
  const lines = r.failures.map((f) => f.message);
  if (r.skipped.length) {
    const names = [...new Set(r.skipped.map((op) => op.service ?? describeOperation(op).resource))];
    lines.push(`not started because of this: ${names.join(', ')}`);
  }
  const c =
    code === 'CONTAINER_EXITED' || code === 'UNHEALTHY' || code === 'WAIT_TIMEOUT'
      ? 'DEPENDENCY_FAILED'
      : code;
  return new OrcError(c as OrcError['code'], lines.join('\n') || 'cancelled', {
    failures: r.failures.map((f) => ({ op: f.op.id, code: f.code, message: f.message })),
    skipped: r.skipped.map((op) => op.id),
  });
}
