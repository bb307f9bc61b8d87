/**
 * The daemon's own restarts: `deploy.restart_policy` (a container that stopped) and restart-on-unhealthy
 * (a running container its healthcheck calls unhealthy), both with the backoff of restart-policy.ts.
 *
 * Driven by engine events through the supervisor's hook, but level-checked: when a restart is due, the
 * container is inspected again under the project's lock, and restarted only if it is still in the state
 * that called for it (same `StartedAt`, still exited / still unhealthy) and the user still wants the
 * service running. What the engine's own restart policy covers (`restart:`) is left to the engine.
 */
import { type DesiredService, Labels } from '@orc/spec';
import type { EventBus } from '../contract/event-bus.js';
import type { ContainerSummary, DaemonEvent, ProjectSummary } from '../contract/types.js';
import type { Engine } from '../engine/engine.js';
import type { EngineContainerDetails, EngineEvent } from '../engine/types.js';
import { planDaemonRestart } from '../plan/restart.js';
import type { Plan } from '../plan/types.js';
import type { Ledger, LedgerEntry, RestartLedgerStore } from '../store/restart-ledger.js';
import { type BackoffOptions, DEFAULT_BACKOFF, formatDelay } from './backoff.js';
import { lastProbeOutput } from './health.js';
import {
  decideRestart,
  emptyHistory,
  type RestartHistory,
  type RestartPolicySpec,
  recordRestart,
  type Trigger,
} from './restart-policy.js';
import type { EngineEventHook } from './supervisor.js';

/** The label that turns restart-on-unhealthy on without `x-orc` (e.g. set in an override file). */
export const RESTART_ON_UNHEALTHY_LABEL = 'dev.orc.restart-on-unhealthy';

export interface RestarterOptions {
  /** Reads only (inspect): every restart is a plan that `execute` runs. */
  engine: Engine;
  bus: EventBus;
  /** Runs a plan with the executor (the daemon-wide bound on engine calls, its error mapping); throws on failure. */
  execute(plan: Plan): Promise<void>;
  /**
   * The desired service, when its project is registered and the user wants it running (not stopped,
   * paused or removed from the converged set); undefined otherwise.
   */
  wanted(project: string, service: string): Promise<DesiredService | undefined>;
  /** Runs a task under the project's lock, so a restart never races an operation on the project. */
  withLock<T>(project: string, task: () => Promise<T>): Promise<T>;
  backoff?: BackoffOptions;
  /** Delay before restarting an unhealthy container of a service without `deploy.restart_policy` (default 1 s). */
  unhealthyDelayMs?: number;
  now?: () => number;
  log?: { warn(msg: string, fields?: Record<string, unknown>): void };
  /** Where restart history outlives the daemon (absent: memory only). */
  ledger?: RestartLedgerStore;
}

export interface RestartStatus {
  /** Restarts the daemon made (the engine counts its own in `RestartCount`). */
  restarts: number;
  /** When the next restart is due (ms since epoch), while one is pending. */
  dueAt?: number;
  /** Why the daemon will not restart it any more. */
  gaveUp?: string;
  /** The reason of the last restart, pending restart or give-up. */
  reason?: string;
}

export interface Restarter {
  hook: EngineEventHook;
  status(containerId: string): RestartStatus | undefined;
  /** Adds the daemon's restarts, a pending backoff and the last probe output to a project summary. */
  /** `probes: false` leaves out the last probe output (it costs an inspect per healthchecked container). */
  annotate(summary: ProjectSummary, opts?: { probes?: boolean }): Promise<ProjectSummary>;
  /** Reads the kept history of these projects (at startup, before the first pass plans). */
  restore(projects: string[]): Promise<void>;
  /** Ids of the project's containers the daemon gave up on: a startup pass must leave them exited. */
  heldDown(project: string): Set<string>;
  /** The project is no longer kept (`down`): its history goes. */
  forget(project: string): Promise<void>;
  stop(): void;
  /** Resolves when every history write begun so far has ended (shutdown, tests). */
  flush(): Promise<void>;
}

interface Slot {
  project: string;
  service: string;
  name: string;
  history: RestartHistory;
  total: number;
  timer?: NodeJS.Timeout;
  dueAt?: number;
  gaveUp?: string;
  reason?: string;
  /** Stopped through the stop API (a `stop` event): like the engine, never restarted until started again. */
  stoppedByHand: boolean;
  /** Engine events our own start/restart will cause, so they are not taken for a crash or a manual start. */
  own: { die: number; stop: number; start: number; until: number };
  /** `State.StartedAt` of the run the history is about. */
  startedAt?: string;
  /** History read back from the ledger, not yet checked against the container (was it started since?). */
  restored: boolean;
}

const OWN_EVENTS_TTL_MS = 60_000;

export function createRestarter(opts: RestarterOptions): Restarter {
  const slots = new Map<string, Slot>();
  const backoff = opts.backoff ?? DEFAULT_BACKOFF;
  const now = opts.now ?? Date.now;
  let stopped = false;
  /** Per project, the history as kept on disk (read by `restore`, written on every change). */
  const kept = new Map<string, Ledger>();
  const writes = new Map<string, Promise<void>>();

  const slotOf = (id: string, project: string, service: string, name: string): Slot => {
    let s = slots.get(id);
    if (!s) {
      const entry = kept.get(project)?.[id];
      s = {
        project,
        service,
        name,
        history: entry ? { restarts: [...entry.restarts], consecutive: entry.consecutive } : emptyHistory(),
        total: entry?.total ?? 0,
        stoppedByHand: false,
        own: { die: 0, stop: 0, start: 0, until: 0 },
        restored: entry !== undefined,
        ...(entry?.gaveUp ? { gaveUp: entry.gaveUp } : {}),
        ...(entry?.reason ? { reason: entry.reason } : {}),
        ...(entry?.startedAt ? { startedAt: entry.startedAt } : {}),
      };
      slots.set(id, s);
    }
    return s;
  };

  /** Writes the project's ledger after a change; writes of one project are serialised, failures logged. */
  const persist = (id: string, s: Slot | undefined, project: string) => {
    if (!opts.ledger) return;
    const ledger = { ...(kept.get(project) ?? {}) };
    const entry = s ? entryOf(s) : undefined;
    if (entry) ledger[id] = entry;
    else if (ledger[id]) delete ledger[id];
    else return;
    kept.set(project, ledger);
    const store = opts.ledger;
    const previous = writes.get(project) ?? Promise.resolve();
    const next = previous
      .then(() => store.save(project, ledger))
      .catch((err) =>
        opts.log?.warn('cannot keep restart history', { project, error: (err as Error).message }),
      );
    writes.set(project, next);
  };

  const publish = (s: Slot, action: string, reason: string, attributes?: Record<string, string>) => {
    const e: Omit<DaemonEvent, 'time'> = {
      type: 'restart',
      project: s.project,
      service: s.service,
      container: s.name,
      action,
      reason,
      ...(attributes ? { attributes } : {}),
    };
    opts.bus.publish(e);
  };

  /** Consumes one expected own event of that kind; true when the event was ours. */
  const ownEvent = (s: Slot, kind: 'die' | 'stop' | 'start'): boolean => {
    if (s.own[kind] <= 0) return false;
    if (now() > s.own.until) {
      s.own = { die: 0, stop: 0, start: 0, until: 0 };
      return false;
    }
    s.own[kind]--;
    return true;
  };

  const cancel = (s: Slot) => {
    if (s.timer) clearTimeout(s.timer);
    s.timer = undefined;
    s.dueAt = undefined;
  };

  const policyFor = (service: DesiredService, trigger: Trigger['kind']): RestartPolicySpec | undefined => {
    if (trigger === 'exit') return service.restart_policy;
    return service.restart_policy
      ? { ...service.restart_policy, condition: 'any' }
      : { condition: 'any', delay_ms: opts.unhealthyDelayMs ?? 1000 };
  };

  /** The engine restarts containers whose create body has a restart policy: the daemon must not as well. */
  const engineRestarts = (service: DesiredService): boolean => {
    const name = service.containers[0]?.create.HostConfig.RestartPolicy?.Name ?? 'no';
    return name !== 'no' && name !== '';
  };

  const restartsOnUnhealthy = (service: DesiredService, labels: Record<string, string>): boolean =>
    service.orc.restart_on_unhealthy === true || labels[RESTART_ON_UNHEALTHY_LABEL] === 'true';

  const ranFor = (d: EngineContainerDetails, until: number): number => {
    const started = Date.parse(d.State.StartedAt);
    return Number.isFinite(started) ? Math.max(0, until - started) : 0;
  };

  const schedule = async (id: string, s: Slot, kind: Trigger['kind']) => {
    const service = await opts.wanted(s.project, s.service);
    if (!service) return;
    if (kind === 'exit' && (!service.restart_policy || engineRestarts(service))) return;
    const policy = policyFor(service, kind);
    if (!policy) return;
    const d = await opts.engine.inspectContainer(id);
    if (!d || stopped || s.stoppedByHand) return;
    if (s.restored && s.startedAt !== undefined && d.State.StartedAt !== s.startedAt) {
      // Started by someone else while the daemon was away: a fresh start, as after `docker start`.
      s.history = emptyHistory();
      s.gaveUp = undefined;
    }
    s.restored = false;
    s.startedAt = d.State.StartedAt;
    let trigger: Trigger;
    if (kind === 'exit') {
      if (d.State.Running || d.State.Restarting) return;
      const finished = Date.parse(d.State.FinishedAt);
      trigger = {
        kind: 'exit',
        exitCode: d.State.ExitCode,
        oomKilled: d.State.OOMKilled,
        ranMs: ranFor(d, Number.isFinite(finished) ? finished : now()),
      };
    } else {
      if (!d.State.Running || d.State.Health?.Status !== 'unhealthy') return;
      const output = lastProbeOutput(d);
      trigger = { kind: 'unhealthy', ...(output !== undefined ? { output } : {}), ranMs: ranFor(d, now()) };
    }
    if (s.timer) return; // one pending restart at a time
    const decision = decideRestart(policy, s.history, trigger, now(), backoff);
    s.reason = decision.reason;
    if (decision.kind === 'stay-down') return;
    if (decision.kind === 'give-up') {
      s.gaveUp = decision.reason;
      persist(id, s, s.project);
      publish(s, 'give-up', decision.reason, exitAttributes(trigger));
      return;
    }
    s.gaveUp = undefined;
    s.dueAt = now() + decision.delayMs;
    publish(s, 'backoff', decision.reason, {
      ...exitAttributes(trigger),
      delay: formatDelay(decision.delayMs),
      attempt: String(decision.attempt),
    });
    const startedAt = d.State.StartedAt;
    s.timer = setTimeout(() => {
      s.timer = undefined;
      s.dueAt = undefined;
      void opts
        .withLock(s.project, () => fire(id, s, kind, startedAt, policy, trigger, decision.reason))
        .catch((err) =>
          opts.log?.warn('restart failed', { container: s.name, error: (err as Error).message }),
        );
    }, decision.delayMs);
    s.timer.unref?.();
  };

  const fire = async (
    id: string,
    s: Slot,
    kind: Trigger['kind'],
    startedAt: string,
    policy: RestartPolicySpec,
    trigger: Trigger,
    reason: string,
  ) => {
    if (stopped || s.stoppedByHand || !slots.has(id)) return;
    const service = await opts.wanted(s.project, s.service);
    if (!service) return;
    const d = await opts.engine.inspectContainer(id);
    // Someone else started, restarted or removed it meanwhile: nothing left to do.
    if (!d || d.State.StartedAt !== startedAt) return;
    const what = {
      project: s.project,
      service: s.service,
      name: s.name,
      containerId: id,
      cause: reason,
      timeoutSeconds: service.stop_grace_period,
    };
    if (kind === 'exit') {
      if (d.State.Running || d.State.Restarting || d.State.Paused) return;
      s.own = { ...s.own, start: s.own.start + 1, until: now() + OWN_EVENTS_TTL_MS };
      try {
        await opts.execute(planDaemonRestart({ ...what, trigger: 'exit' }));
      } catch (err) {
        s.own.start = Math.max(0, s.own.start - 1);
        throw err;
      }
    } else {
      if (!d.State.Running || d.State.Health?.Status !== 'unhealthy') return;
      s.own = {
        die: s.own.die + 1,
        stop: s.own.stop + 1,
        start: s.own.start + 1,
        until: now() + OWN_EVENTS_TTL_MS,
      };
      try {
        await opts.execute(planDaemonRestart({ ...what, trigger: 'unhealthy' }));
      } catch (err) {
        s.own = { die: 0, stop: 0, start: 0, until: 0 };
        throw err;
      }
    }
    s.history = recordRestart(policy, s.history, now(), trigger.ranMs, backoff);
    s.total++;
    persist(id, s, s.project);
    publish(s, 'restart', reason, { ...exitAttributes(trigger), restarts: String(s.total) });
  };

  const hook: EngineEventHook = (e: EngineEvent, project: string) => {
    if (stopped || e.Type !== 'container') return;
    const attrs = e.Actor.Attributes ?? {};
    const service = attrs[Labels.service];
    const name = attrs.name ?? e.Actor.ID;
    if (!service || attrs[Labels.oneoff] === 'True') return;
    const id = e.Actor.ID;
    if (e.Action === 'destroy') {
      const s = slots.get(id);
      if (s) cancel(s);
      slots.delete(id);
      persist(id, undefined, project);
      return;
    }
    const s = slotOf(id, project, service, name);
    const run = (kind: Trigger['kind']) =>
      void schedule(id, s, kind).catch((err) =>
        opts.log?.warn('restart policy check failed', { container: name, error: (err as Error).message }),
      );
    switch (e.Action) {
      case 'die':
        if (!ownEvent(s, 'die')) run('exit');
        break;
      case 'stop':
        if (!ownEvent(s, 'stop')) {
          s.stoppedByHand = true;
          cancel(s);
        }
        break;
      case 'start':
        if (!ownEvent(s, 'start')) {
          // Started by someone else (the user, `up`, a repair): a fresh start, as after `docker start`.
          const had = s.gaveUp !== undefined || s.history.restarts.length > 0 || s.restored;
          s.stoppedByHand = false;
          s.gaveUp = undefined;
          s.history = emptyHistory();
          s.restored = false;
          cancel(s);
          if (had) persist(id, s, project);
        }
        break;
      default:
        if (e.Action.startsWith('health_status')) {
          const status = e.Action.split(':')[1]?.trim();
          if (status === 'healthy') s.history = { ...s.history, consecutive: 0 };
          if (status === 'unhealthy') {
            void opts
              .wanted(project, service)
              .then((svc) => {
                if (svc && restartsOnUnhealthy(svc, attrs)) run('unhealthy');
              })
              .catch(() => undefined);
          }
        }
    }
  };

  const annotateOne = async (c: ContainerSummary, probes: boolean): Promise<ContainerSummary> => {
    const out: ContainerSummary = { ...c };
    // History kept from before a daemon restart counts too, before any new event about the container.
    const s =
      slots.get(c.ID) ??
      (kept.get(c.Project)?.[c.ID] ? slotOf(c.ID, c.Project, c.Service, c.Name) : undefined);
    if (s) {
      out.RestartCount = c.RestartCount + s.total;
      if (s.dueAt !== undefined && c.State !== 'running') {
        // As the engine shows its own policy's wait: `restarting`, so `ps` (without -a) lists it.
        out.State = 'restarting';
        out.Status = `restarting (backoff ${formatDelay(Math.max(0, s.dueAt - now()))})`;
      } else if (s.gaveUp && c.State !== 'running') {
        out.Status = `${c.Status} (gave up after ${s.total} restarts)`;
      }
      const reason = s.gaveUp ?? s.reason;
      if (reason) out.RestartReason = reason;
    }
    if (probes && c.Health) {
      const d = await opts.engine.inspectContainer(c.ID).catch(() => undefined);
      const probe = d ? lastProbeOutput(d) : undefined;
      if (probe !== undefined) out.HealthOutput = probe;
    }
    return out;
  };

  return {
    hook,
    status(id) {
      const s = slots.get(id);
      if (!s) return undefined;
      return {
        restarts: s.total,
        ...(s.dueAt !== undefined ? { dueAt: s.dueAt } : {}),
        ...(s.gaveUp ? { gaveUp: s.gaveUp } : {}),
        ...(s.reason ? { reason: s.reason } : {}),
      };
    },
    async annotate(summary, o = {}) {
      const probes = o.probes !== false;
      return {
        ...summary,
        containers: await Promise.all(summary.containers.map((c) => annotateOne(c, probes))),
      };
    },
    async restore(projects) {
      const store = opts.ledger;
      if (!store) return;
      await Promise.all(
        projects.map(async (project) => {
          try {
            kept.set(project, await store.load(project));
          } catch (err) {
            opts.log?.warn('cannot read restart history', { project, error: (err as Error).message });
          }
        }),
      );
    },
    heldDown(project) {
      const ids = new Set<string>();
      for (const [id, e] of Object.entries(kept.get(project) ?? {})) {
        const live = slots.get(id);
        if (live ? live.gaveUp !== undefined : e.gaveUp !== undefined) ids.add(id);
      }
      return ids;
    },
    async forget(project) {
      kept.delete(project);
      for (const [id, s] of slots) {
        if (s.project !== project) continue;
        cancel(s);
        slots.delete(id);
      }
      await (writes.get(project) ?? Promise.resolve());
      writes.delete(project);
      await opts.ledger?.remove(project).catch(() => undefined);
    },
    stop() {
      stopped = true;
      for (const s of slots.values()) cancel(s);
    },
    async flush() {
      await Promise.all(writes.values());
    },
  };
}

/** What is worth keeping of a slot; undefined when it holds nothing a restart would need. */
function entryOf(s: Slot): LedgerEntry | undefined {
  if (s.total === 0 && s.gaveUp === undefined && s.history.restarts.length === 0) return undefined;
  return {
    service: s.service,
    name: s.name,
    restarts: [...s.history.restarts],
    consecutive: s.history.consecutive,
    total: s.total,
    ...(s.gaveUp !== undefined ? { gaveUp: s.gaveUp } : {}),
    ...(s.reason !== undefined ? { reason: s.reason } : {}),
    ...(s.startedAt !== undefined ? { startedAt: s.startedAt } : {}),
  };
}

function exitAttributes(trigger: Trigger): Record<string, string> {
  return trigger.kind === 'exit' ? { exitCode: String(trigger.exitCode) } : { trigger: 'unhealthy' };
}
