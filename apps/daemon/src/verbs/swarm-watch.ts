/**
 * The continuous part of the Swarm target: follows the manager's service and node events while the
 * daemon keeps swarm projects. A service of a kept project removed, or changed by hand (scaled, updated)
 * is planned again from the record and restored (a `repair` operation, after a short debounce, under
 * the project's lock). A node that goes down or comes back is reported in `orc events` for each project
 * with tasks on it, with what Swarm does about it. Events are hints: after each (re)connection every
 * swarm project gets a pass anyway.
 */
import { watchEngineEvents } from '../engine/events.js';
import type { EngineEvent } from '../engine/types.js';
import { observeSwarm } from '../swarm/observe.js';
import type { VerbContext } from './context.js';
import { isSwarmRecord, type SwarmRecord, type SwarmVerbs } from './swarm.js';

export interface SwarmWatch {
  /** Starts following (idempotent): at daemon start when swarm records exist, and after a swarm `up`. */
  ensure(): void;
  stop(): Promise<void>;
}

export function createSwarmWatch(ctx: VerbContext, verbs: SwarmVerbs, debounceMs = 500): SwarmWatch {
  let ac: AbortController | undefined;
  let running: Promise<void> | undefined;
  const timers = new Map<string, NodeJS.Timeout>();
  const nodeState = new Map<string, string>();

  const records = async (): Promise<SwarmRecord[]> =>
    (await ctx.store.list()).filter(isSwarmRecord).filter((r) => !r.released);

  const schedule = (name: string, reason: string) => {
    clearTimeout(timers.get(name));
    timers.set(
      name,
      setTimeout(() => {
        timers.delete(name);
        void (async () => {
          const record = await ctx.store.get(name);
          if (!isSwarmRecord(record) || ctx.locks.busy(name)) {
            // An operation of the project runs: its own result is what we would plan; look again after it.
            if (isSwarmRecord(record)) schedule(name, reason);
            return;
          }
          await verbs.repair(record, reason);
        })().catch((err) =>
          ctx.log.warn('swarm pass failed', { project: name, error: (err as Error).message }),
        );
      }, debounceMs),
    );
  };

  const onNode = async (e: EngineEvent) => {
    const state = e.Actor.Attributes['state.new'];
    const name = e.Actor.Attributes.name ?? e.Actor.ID.slice(0, 12);
    if (!state || nodeState.get(e.Actor.ID) === state) return;
    nodeState.set(e.Actor.ID, state);
    for (const record of await records()) {
      const observed = await observeSwarm(verbs.engine, record.name, record.swarm);
      // By the time we look, Swarm may already have marked the node's tasks for shutdown (or orphaned):
      // every task still there of this project counts.
      const tasks = observed.tasks.filter(
        (t) =>
          t.nodeId === e.Actor.ID &&
          (t.desiredState === 'running' || t.state === 'running' || t.state === 'orphaned'),
      );
      const services = [...new Set(tasks.map((t) => t.service))].sort();
      const what =
        state === 'down'
          ? `node ${name} is down (${e.Actor.Attributes['state.old'] ?? '?'} → down): Swarm reschedules its ${tasks.length} task(s) of this project${services.length ? ` (${services.join(', ')})` : ''} on the other nodes`
          : `node ${name} is ${state}`;
      ctx.bus.publish({
        type: 'node',
        project: record.name,
        action: state,
        reason: what,
        attributes: { node: name, id: e.Actor.ID },
      });
    }
  };

  const onService = async (e: EngineEvent) => {
    const name = e.Actor.Attributes.name ?? '';
    for (const record of await records()) {
      if (!name.startsWith(`${record.name}_`)) continue;
      const service = record.swarm?.services.find((s) => s.engineName === name)?.name;
      ctx.bus.publish({
        type: 'service',
        project: record.name,
        ...(service ? { service } : {}),
        action: e.Action,
        attributes: { name },
      });
      if (e.Action === 'remove' || e.Action === 'update')
        schedule(record.name, `service ${name}: ${e.Action} on the cluster`);
    }
  };

  return {
    ensure() {
      if (ac) return;
      ac = new AbortController();
      running = watchEngineEvents(ctx.engine, {
        types: ['service', 'node'],
        signal: ac.signal,
        onEvent: (e) => {
          const handle = e.Type === 'node' ? onNode(e) : e.Type === 'service' ? onService(e) : undefined;
          void handle?.catch((err) => ctx.log.warn('swarm event', { error: (err as Error).message }));
        },
        onConnected: () => {
          void records().then((rs) => {
            for (const r of rs) schedule(r.name, 'swarm events (re)connected');
          });
        },
      });
    },
    async stop() {
      for (const t of timers.values()) clearTimeout(t);
      timers.clear();
      ac?.abort();
      await running;
      ac = undefined;
    },
  };
}
