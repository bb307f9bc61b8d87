/**
 * Lifecycle hooks woven into a plan (compose's `pre_start`, `post_start`, `pre_stop`), after the rest of
 * the plan is drafted, so every planner (up, down, start/stop/restart) gets them by the same rules:
 *
 * - `pre_start`: init containers, in order, before the first start of a service's container that has
 *   never run, once per definition of the steps (and again with `--force-recreate`): skipped when a container of the service that carries
 *   the same steps' hash (label `dev.orc.pre-start`) has ever started (it could only start after they
 *   succeeded). So a no-op `up`, a scale-up or a recreate for another reason does not run them again; a
 *   change to the steps (which recreates the containers) does. They wait for what the starts wait for
 *   (creates, dependencies), and never for something that itself waits for one of those starts.
 * - `post_start`: in each container right after it starts; what waits for that container waits for them.
 * - `pre_stop`: in each running container before a planned stop.
 *
 * The daemon's own restarts after a crash (restart policies) are not plans of this kind and run no hook,
 * as the engine's own restarts run none under compose.
 */
import type { DesiredService, DesiredState } from '@orc/spec';
import { Labels } from '@orc/spec';
import type { ObservedContainer, ObservedProject } from '../observe/types.js';
import { addAfter, addOp, type Draft } from './draft.js';
import { execHookId, runInitId } from './ids.js';
import type { Operation, OpId } from './types.js';

type Op<K extends Operation['kind']> = Extract<Operation, { kind: K }>;

export function addHooks(
  draft: Draft,
  desired: DesiredState | undefined,
  observed: ObservedProject,
  options: { forceRecreate?: boolean } = {},
): void {
  const services = (desired?.services ?? []).filter((s) => s.hooks);
  if (services.length === 0) return;
  const ops = [...draft.ops.values()];
  for (const service of services) {
    addPreStart(draft, service, observed, ops, options.forceRecreate ?? false);
    addPostStart(draft, service, ops);
    addPreStop(draft, service, observed, ops);
  }
}

/** A container that has run at least once (a `created` one never has). */
export function everStarted(c: ObservedContainer): boolean {
  return c.state !== 'created' || (c.startedAt !== '' && !c.startedAt.startsWith('0001-'));
}

function addPreStart(
  draft: Draft,
  service: DesiredService,
  observed: ObservedProject,
  ops: Operation[],
  forceRecreate: boolean,
): void {
  const hooks = service.hooks;
  const hash = hooks?.pre_start_hash;
  if (!hooks || !hash || hooks.pre_start.length === 0) return;
  // `--force-recreate` asks for everything from scratch, the steps included (as compose does).
  const done =
    !forceRecreate &&
    observed.containers.some(
      (c) =>
        c.service === service.name && !c.oneoff && c.labels[Labels.orcPreStart] === hash && everStarted(c),
    );
  if (done) return;
  const firstStarts = ops.filter(
    (op): op is Op<'start-container'> =>
      op.kind === 'start-container' && op.service === service.name && neverRan(op.name, ops, observed),
  );
  if (firstStarts.length === 0) return;
  const downstream = descendants(
    ops,
    firstStarts.map((op) => op.id),
  );
  let previous: OpId[] = [...new Set(firstStarts.flatMap((op) => op.after))].filter(
    (id) => !downstream.has(id),
  );
  for (const step of hooks.pre_start) {
    const op = addOp(draft, {
      kind: 'run-init',
      id: runInitId(step.name),
      after: previous,
      cause: 'before the first start',
      service: service.name,
      name: step.name,
      step,
    });
    previous = [op.id];
  }
  for (const start of firstStarts) addAfter(start, ...previous);
}

/** Whether the container a start op starts has never run: this plan creates it, or it exists `created`. */
function neverRan(name: string, ops: Operation[], observed: ObservedProject): boolean {
  const created = ops.some(
    (op) => op.kind === 'create-container' && (op.name === name || op.createAs === name),
  );
  if (created) return true;
  const c = observed.containers.find((o) => o.name === name);
  return c !== undefined && !everStarted(c);
}

function addPostStart(draft: Draft, service: DesiredService, ops: Operation[]): void {
  const hooks = service.hooks?.post_start ?? [];
  if (hooks.length === 0) return;
  for (const start of ops) {
    if (start.service !== service.name) continue;
    if (start.kind !== 'start-container' && start.kind !== 'restart-container') continue;
    let previous = start.id;
    for (const hook of hooks) {
      previous = addOp(draft, {
        kind: 'exec-hook',
        id: execHookId('post_start', start.name, hook.index),
        after: [previous],
        cause: `after ${start.kind === 'restart-container' ? 'restart' : 'start'}`,
        service: service.name,
        name: start.name,
        target: start.kind === 'restart-container' ? start.containerId : start.name,
        phase: 'post_start',
        hook,
      }).id;
    }
    // Whoever waits for this container to be up waits for its post_start hooks too, as under compose.
    for (const op of ops) {
      if (op.kind === 'wait-container' && op.after.includes(start.id)) addAfter(op, previous);
    }
  }
}

function addPreStop(
  draft: Draft,
  service: DesiredService,
  observed: ObservedProject,
  ops: Operation[],
): void {
  const hooks = service.hooks?.pre_stop ?? [];
  if (hooks.length === 0) return;
  for (const stop of ops) {
    if (stop.kind !== 'stop-container' || stop.service !== service.name) continue;
    const c = observed.containers.find((o) => o.id === stop.containerId);
    // Only a running container can run a command (compose skips the others too).
    if (c?.state !== 'running') continue;
    let previous = [...stop.after];
    for (const hook of hooks) {
      previous = [
        addOp(draft, {
          kind: 'exec-hook',
          id: execHookId('pre_stop', stop.name, hook.index),
          after: previous,
          cause: `before ${stop.cause}`,
          service: service.name,
          name: stop.name,
          target: stop.containerId,
          phase: 'pre_stop',
          hook,
        }).id,
      ];
    }
    addAfter(stop, ...previous);
  }
}

/** Every op that (transitively) waits for one of `roots`, roots included. */
function descendants(ops: Operation[], roots: OpId[]): Set<OpId> {
  const dependents = new Map<OpId, OpId[]>();
  for (const op of ops) for (const a of op.after) dependents.set(a, [...(dependents.get(a) ?? []), op.id]);
  const seen = new Set<OpId>(roots);
  const queue = [...roots];
  for (let id = queue.pop(); id !== undefined; id = queue.pop()) {
    for (const next of dependents.get(id) ?? []) {
      if (!seen.has(next)) {
        seen.add(next);
        queue.push(next);
      }
    }
  }
  return seen;
}
