/**
 * Waits on the cluster: a service converged (the gate of `depends_on` and `up --wait`), a removed
 * service's tasks gone (`down` returns when they are). Polls the manager (a list is the truth; events are
 * lossy) every `intervalMs`; on timeout says what the tasks were doing, with the last task error.
 */
import { OrcError } from '../contract/errors.js';
import type { SwarmEngine } from '../engine/swarm.js';
import type { EngineService, EngineTask } from '../engine/swarm-types.js';

export interface WaitOptions {
  timeoutMs: number;
  intervalMs?: number;
  signal?: AbortSignal;
}

type Until = 'running' | 'healthy' | 'completed';

/** What the service's tasks say now: converged, or why not (for the timeout message). */
export function serviceConvergence(
  service: EngineService,
  tasks: EngineTask[],
  until: Until,
): { done: boolean; why: string } {
  const mine = tasks.filter((t) => t.ServiceID === service.ID);
  const lastError = mine
    .filter((t) => t.Status.Err)
    .sort((a, b) => (b.Status.Timestamp ?? '').localeCompare(a.Status.Timestamp ?? ''))[0]?.Status.Err;
  const err = lastError ? `; last task error: ${lastError}` : '';
  const mode = service.Spec.Mode ?? {};
  if (until === 'completed') {
    const total = mode.ReplicatedJob?.TotalCompletions ?? mode.ReplicatedJob?.MaxConcurrent ?? 1;
    const complete = mine.filter((t) => t.Status.State === 'complete').length;
    const failed = mine.filter((t) => t.Status.State === 'failed' || t.Status.State === 'rejected');
    if (complete >= total && !mode.GlobalJob) return { done: true, why: '' };
    if (mode.GlobalJob && mine.length > 0 && mine.every((t) => t.Status.State === 'complete'))
      return { done: true, why: '' };
    return { done: false, why: `${complete}/${total} tasks completed, ${failed.length} failed${err}` };
  }
  const updating =
    service.UpdateStatus?.State === 'updating' || service.UpdateStatus?.State === 'rollback_started';
  // A task is `running` only once its healthcheck passed (Swarm keeps it `starting` until then), so the
  // count of running tasks is the healthy count for a service with a healthcheck.
  // Tasks of the current spec only: right after an update, the old tasks still run and the update has
  // not started yet (no UpdateStatus), so counting them would end the wait before anything changed.
  const template = service.Spec.TaskTemplate;
  const current = (t: EngineTask) =>
    JSON.stringify(t.Spec?.ContainerSpec) === JSON.stringify(template?.ContainerSpec) &&
    (t.Spec?.ForceUpdate ?? 0) === (template?.ForceUpdate ?? 0);
  const desired = mine.filter((t) => t.DesiredState === 'running');
  const stale = desired.filter((t) => !current(t)).length;
  const running = desired.filter((t) => t.Status.State === 'running').length;
  // A task Swarm keeps `ready` is not allowed to run yet: one it retries after a rejection (an image a
  // node could not pull), or one waiting its turn in an update. A global service's count of desired
  // tasks leaves those out, so without this a node that cannot run its task would look converged.
  const held = mine.filter((t) => t.DesiredState === 'ready' && current(t)).length;
  const want =
    service.ServiceStatus?.DesiredTasks ?? mode.Replicated?.Replicas ?? (mode.Global ? desired.length : 1);
  // Only the current spec's tasks: during a rolling update old ones are still desired-running for a while.
  // A global service's count is its tasks' (the service's inspect has no ServiceStatus): right after its
  // create the orchestrator has made none yet, and 0 of 0 is not converged.
  const unscheduled =
    mode.Global !== undefined && service.ServiceStatus === undefined && desired.length === 0;
  const done =
    !updating && !unscheduled && stale === 0 && held === 0 && running >= want && running === desired.length;
  return {
    done,
    why: `${running}/${want} tasks ${until === 'healthy' ? 'running and healthy' : 'running'}${held ? `, ${held} not started yet` : ''}${updating || stale ? ', update in progress' : ''}${err}`,
  };
}

export async function waitServiceConverged(
  swarm: SwarmEngine,
  name: string,
  until: Until,
  o: WaitOptions,
): Promise<void> {
  const deadline = Date.now() + o.timeoutMs;
  let why = 'not yet inspected';
  for (;;) {
    // The list, not an inspect: only `GET /services?status=true` says how many tasks Swarm wants
    // (`ServiceStatus.DesiredTasks`), which a global service needs (one per eligible node).
    const service = (await swarm.listServices({ name: [name] })).find((s) => s.Spec.Name === name);
    if (!service) throw new OrcError('SERVICE_NOT_FOUND', `service ${name} is not on the cluster`);
    const state = serviceConvergence(service, await swarm.listTasks({ service: [service.ID] }), until);
    if (state.done) return;
    why = state.why;
    if (Date.now() > deadline) {
      throw new OrcError(
        until === 'healthy' ? 'UNHEALTHY' : 'WAIT_TIMEOUT',
        `service ${name} did not converge (${until}) within ${Math.round(o.timeoutMs / 1000)} s: ${why}`,
      );
    }
    await sleep(o.intervalMs ?? 500, o.signal);
  }
}

/**
 * The tasks of a removed service that `down` still waits for. A job's task that has ended (desired state
 * `complete`, current state complete, failed, rejected, shutdown or orphaned) is never removed by Swarm
 * once its service is gone (moby/moby#44312, open; `docker stack rm` leaves it too): it runs nothing, so
 * waiting for it would only end in a timeout.
 */
export function tasksLeft(tasks: EngineTask[], serviceId: string): EngineTask[] {
  return tasks.filter(
    (t) => t.ServiceID === serviceId && !(t.DesiredState === 'complete' && ENDED.has(t.Status.State)),
  );
}

const ENDED = new Set(['complete', 'failed', 'rejected', 'shutdown', 'orphaned']);

export async function waitServiceGone(swarm: SwarmEngine, serviceId: string, o: WaitOptions): Promise<void> {
  const deadline = Date.now() + o.timeoutMs;
  for (;;) {
    const left = tasksLeft(await swarm.listTasks({}), serviceId);
    if (left.length === 0) return;
    if (Date.now() > deadline) {
      throw new OrcError(
        'WAIT_TIMEOUT',
        `${left.length} task(s) of removed service ${serviceId.slice(0, 12)} still there after ${Math.round(o.timeoutMs / 1000)} s`,
      );
    }
    await sleep(o.intervalMs ?? 300, o.signal);
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new OrcError('CANCELLED', 'cancelled'));
    const t = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        reject(new OrcError('CANCELLED', 'cancelled'));
      },
      { once: true },
    );
  });
}
