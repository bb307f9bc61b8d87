import { Labels } from '@orc/spec';
import type { EventBus } from '../contract/event-bus.js';
import type { DaemonEvent } from '../contract/types.js';
import type { Engine } from '../engine/engine.js';
import { watchEngineEvents } from '../engine/events.js';
import type { EngineEvent } from '../engine/types.js';

export interface SupervisorLogger {
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
}

/** A hook for what comes later (restart policies, restart-on-unhealthy): sees every event of our projects. */
export type EngineEventHook = (event: EngineEvent, project: string) => void;

export interface SupervisorOptions {
  engine: Engine;
  bus: EventBus;
  /** Names of the projects the daemon keeps converged. */
  registered(): Promise<string[]>;
  /** Engine names of a registered project's networks (network events carry no labels). */
  networksOf(project: string): string[];
  /**
   * One level-triggered pass: observe → plan → execute. `changed` says whether it had work to do (a
   * pass that keeps finding work is backed off). `startExited` is true only for the startup pass.
   */
  reconcile(
    project: string,
    reason: string,
    startExited: boolean,
    engineRestarted?: boolean,
  ): Promise<{ changed: boolean }>;
  /** Slow periodic resync (default 30 s): the list is the truth, events are only hints. */
  resyncIntervalMs?: number;
  /** Coalesces a burst of events into one pass (default 150 ms). */
  debounceMs?: number;
  /**
   * The wait after a container's `destroy` (default 20 ms): the last event of a removal, so nothing more of
   * that burst is coming, and a replacement is what drift repair waits on (its `kill` and `die` came first
   * and still wait `debounceMs`: their passes meet a container that is still being removed).
   */
  goneDebounceMs?: number;
  /** Backoff after repeated repairs of the same project: from `min` doubling up to `max` (ms). */
  backoff?: { min: number; max: number };
  hooks?: EngineEventHook[];
  /** When given, health events carry the last probe output as their `reason` (read after the event). */
  probeOutput?: (containerId: string) => Promise<string | undefined>;
  log?: SupervisorLogger;
  /** The engine event source (tests give a scripted one). */
  watch?: typeof watchEngineEvents;
  /**
   * Sees the raw stream too: every event, each (re)connection and each break or stop (the observed
   * state kept in memory, observe/cache.ts, shares this one stream).
   */
  tap?: { event(e: EngineEvent): void; connected(): void; disconnected(): void };
}

export interface Supervisor {
  /** Watches the engine and converges every registered project once; resolves when that pass is over. */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Asks for a pass on a project (e.g. after a hook decided something must change). */
  poke(project: string, reason: string): void;
  /** Resolves on the next engine event about the named container (for waits), or after `maxMs`. */
  nudge(containerName: string, maxMs?: number): Promise<void>;
  /** A project was registered (`up`) or unregistered (`down`): start or stop reacting to its events. */
  track(project: string): void;
  untrack(project: string): void;
}

interface ProjectState {
  timer?: NodeJS.Timeout;
  /** When the pending timer fires (Date.now() clock). */
  dueAt?: number;
  running: boolean;
  again?: string;
  /** The shortest wait asked for while a pass was running (the pass after it waits that long). */
  againQuietMs?: number;
  /** Passes in a row that found work. */
  streak: number;
  lastChangeAt: number;
  notBefore: number;
  reasons: Set<string>;
  /** The startup pass has not succeeded yet (e.g. the engine was down): the next pass starts exited containers too. */
  startupPending: boolean;
  /**
   * The engine was unreachable and answers again: it restarted and brought back (in its own order) only
   * the containers with a restart policy. The next pass restores dependency order (see plan/).
   */
  engineRestarted: boolean;
}

/** Engine events that may mean our containers or networks drifted from what we want. */
const containerDrift = new Set([
  'destroy',
  'die',
  'stop',
  'kill',
  'rename',
  'update',
  'pause',
  'unpause',
  'oom',
  // A dependency that came back (engine restart policy, a restart) may leave `restart: true` dependents behind.
  'start',
]);
const networkDrift = new Set(['destroy', 'disconnect', 'remove']);
const lifecycle = new Set([
  'create',
  'start',
  'restart',
  'die',
  'stop',
  'kill',
  'destroy',
  'pause',
  'unpause',
  'rename',
  'oom',
]);

export function createSupervisor(opts: SupervisorOptions): Supervisor {
  const abort = new AbortController();
  const projects = new Map<string, ProjectState>();
  const waiters = new Map<string, Set<() => void>>();
  const registered = new Set<string>();
  const debounceMs = opts.debounceMs ?? 150;
  const goneDebounceMs = Math.min(opts.goneDebounceMs ?? 20, debounceMs);
  const { min, max } = opts.backoff ?? { min: 1000, max: 60_000 };
  let resyncTimer: NodeJS.Timeout | undefined;
  let watcher: Promise<void> | undefined;
  const passes = new Set<Promise<void>>();

  const stateOf = (project: string): ProjectState => {
    let s = projects.get(project);
    if (!s) {
      s = {
        running: false,
        streak: 0,
        lastChangeAt: 0,
        notBefore: 0,
        reasons: new Set(),
        startupPending: false,
        engineRestarted: false,
      };
      projects.set(project, s);
    }
    return s;
  };

  const refreshRegistered = async () => {
    const names = await opts.registered();
    registered.clear();
    for (const n of names) registered.add(n);
    return names;
  };

  const runPass = async (project: string, startup: boolean) => {
    const s = stateOf(project);
    s.running = true;
    const startExited = startup || s.startupPending;
    const reason = [...s.reasons].join(', ') || 'resync';
    s.reasons.clear();
    try {
      const engineRestarted = s.engineRestarted;
      const { changed } = await opts.reconcile(project, reason, startExited, engineRestarted);
      s.startupPending = false;
      if (engineRestarted) s.engineRestarted = false;
      const now = Date.now();
      if (changed) {
        s.streak++;
        s.lastChangeAt = now;
        // The first repairs are immediate; a project that keeps needing them is backed off.
        s.notBefore = s.streak <= 2 ? 0 : now + Math.min(max, min * 2 ** (s.streak - 3));
      } else if (now - s.lastChangeAt > max) {
        s.streak = 0;
      }
    } catch (err) {
      if (startExited) s.startupPending = true;
      s.streak++;
      s.notBefore = Date.now() + Math.min(max, min * 2 ** Math.max(0, s.streak - 1));
      opts.log?.warn('convergence pass failed', { project, error: (err as Error).message });
    } finally {
      s.running = false;
      if (s.again !== undefined && !abort.signal.aborted) {
        const again = s.again;
        const quiet = s.againQuietMs;
        s.again = undefined;
        s.againQuietMs = undefined;
        poke(project, again, quiet);
      }
    }
  };

  /** Asks for a pass `quietMs` from now (or when the backoff allows); an earlier ask wins over a later one. */
  const poke = (project: string, reason: string, quietMs = debounceMs) => {
    if (abort.signal.aborted) return;
    const s = stateOf(project);
    s.reasons.add(reason);
    if (s.running) {
      s.again = reason;
      s.againQuietMs = Math.min(s.againQuietMs ?? quietMs, quietMs);
      return;
    }
    const now = Date.now();
    const delay = Math.max(quietMs, s.notBefore - now);
    if (s.timer) {
      if (s.dueAt !== undefined && s.dueAt <= now + delay) return;
      clearTimeout(s.timer);
    }
    s.dueAt = now + delay;
    s.timer = setTimeout(() => {
      s.timer = undefined;
      s.dueAt = undefined;
      const p = runPass(project, false);
      passes.add(p);
      void p.finally(() => passes.delete(p));
    }, delay);
  };

  const publish = (e: Omit<DaemonEvent, 'time'>) => opts.bus.publish(e);

  const onContainerEvent = (e: EngineEvent) => {
    const attrs = e.Actor.Attributes ?? {};
    const name = attrs.name;
    if (name) {
      const w = waiters.get(name);
      if (w) {
        waiters.delete(name);
        for (const resolve of w) resolve();
      }
    }
    const project = attrs[Labels.project];
    if (!project) return;
    const service = attrs[Labels.service];
    const base = { project, ...(service ? { service } : {}), ...(name ? { container: name } : {}) };
    if (e.Action.startsWith('health_status')) {
      const status = e.Action.split(':')[1]?.trim() ?? '';
      const event = { type: 'health' as const, ...base, action: status };
      if (!opts.probeOutput) publish(event);
      else {
        void opts.probeOutput(e.Actor.ID).then(
          (output) => publish(output ? { ...event, reason: output } : event),
          () => publish(event),
        );
      }
    } else if (lifecycle.has(e.Action)) {
      const exitCode = attrs.exitCode;
      publish({
        type: 'container',
        ...base,
        action: e.Action,
        ...(exitCode ? { attributes: { exitCode } } : {}),
      });
    }
    for (const hook of opts.hooks ?? []) hook(e, project);
    // A one-off (`orc run`) coming and going is not drift: no pass would change anything for it.
    if (registered.has(project) && containerDrift.has(e.Action) && attrs[Labels.oneoff] !== 'True')
      poke(
        project,
        `container ${name ?? e.Actor.ID} ${e.Action}`,
        e.Action === 'destroy' ? goneDebounceMs : debounceMs,
      );
  };

  const onNetworkEvent = (e: EngineEvent) => {
    const name = e.Actor.Attributes?.name;
    if (!name || !networkDrift.has(e.Action)) return;
    for (const project of registered) {
      if (opts.networksOf(project).includes(name)) {
        publish({ type: 'network', project, action: e.Action, attributes: { network: name } });
        poke(project, `network ${name} ${e.Action}`);
      }
    }
  };

  const resyncAll = (reason: string) => {
    void refreshRegistered()
      .then((names) => {
        for (const n of names) poke(n, reason);
      })
      .catch((err) => opts.log?.warn('cannot list registered projects', { error: (err as Error).message }));
  };

  return {
    async start() {
      let connectedOnce = false;
      let engineLost = false;
      const afterEngineRestart = (names: Iterable<string>) => {
        for (const n of names) {
          const st = stateOf(n);
          st.engineRestarted = true;
          // Like a reboot: containers without a restart policy stay down until a startup-like pass.
          st.startupPending = true;
        }
      };
      watcher = (opts.watch ?? watchEngineEvents)(opts.engine, {
        signal: abort.signal,
        onEvent: (e) => {
          opts.tap?.event(e);
          if (e.Type === 'container') onContainerEvent(e);
          else if (e.Type === 'network') onNetworkEvent(e);
        },
        onConnected: () => {
          opts.tap?.connected();
          // The first connection is followed by the startup pass below; later ones may have missed events,
          // and a startup pass that failed (engine down) is retried now.
          const retry = [...projects.entries()].filter(([, st]) => st.startupPending).map(([p]) => p);
          if (connectedOnce && engineLost) {
            engineLost = false;
            afterEngineRestart(registered);
            void refreshRegistered()
              .then((names) => {
                afterEngineRestart(names);
                for (const n of names) poke(n, 'engine restarted');
              })
              .catch((err) =>
                opts.log?.warn('cannot list registered projects', { error: (err as Error).message }),
              );
          } else if (connectedOnce) resyncAll('event stream reconnected');
          else for (const p of retry) poke(p, 'engine reachable again');
          connectedOnce = true;
        },
        onDisconnected: (err) => {
          opts.tap?.disconnected();
          // The stream ending is a hint; failing to reach the engine at all means it went away (a restart).
          if (connectedOnce && !(err instanceof Error && err.message === 'event stream ended'))
            engineLost = true;
          opts.log?.warn('engine event stream broke; reconnecting', { error: String(err) });
        },
      });
      resyncTimer = setInterval(() => resyncAll('periodic resync'), opts.resyncIntervalMs ?? 30_000);
      resyncTimer.unref();
      const names = await refreshRegistered();
      // After a reboot every stack comes back; each pass starts its services in dependency order.
      await Promise.all(
        names.map(async (n) => {
          const p = runPass(n, true);
          passes.add(p);
          await p;
          passes.delete(p);
        }),
      );
    },
    async stop() {
      abort.abort();
      opts.tap?.disconnected();
      if (resyncTimer) clearInterval(resyncTimer);
      for (const s of projects.values()) if (s.timer) clearTimeout(s.timer);
      for (const w of waiters.values()) for (const resolve of w) resolve();
      waiters.clear();
      await watcher;
      await Promise.all([...passes]);
    },
    poke,
    nudge(containerName, maxMs = 1000) {
      return new Promise<void>((resolve) => {
        if (abort.signal.aborted) return resolve();
        let set = waiters.get(containerName);
        if (!set) {
          set = new Set();
          waiters.set(containerName, set);
        }
        const own = set;
        const done = () => {
          clearTimeout(timer);
          own.delete(done);
          if (own.size === 0 && waiters.get(containerName) === own) waiters.delete(containerName);
          resolve();
        };
        // Bounded, so waiters of containers that never get another event do not pile up.
        const timer = setTimeout(done, maxMs);
        own.add(done);
      });
    },
    track: (project) => {
      registered.add(project);
    },
    untrack: (project) => {
      registered.delete(project);
      const s = projects.get(project);
      if (s?.timer) clearTimeout(s.timer);
      projects.delete(project);
    },
  };
}
