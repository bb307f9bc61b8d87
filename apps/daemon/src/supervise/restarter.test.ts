import type { DesiredService } from '@orc/spec';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createEventBus } from '../contract/event-bus.js';
import type { ContainerSummary, DaemonEvent } from '../contract/types.js';
import type { Engine } from '../engine/engine.js';
import type { EngineContainerDetails, EngineEvent } from '../engine/types.js';
import { executePlan, summariseFailure } from '../execute/executor.js';
import { createRestarter } from './restarter.js';

const sleep = (ms: number) => vi.advanceTimersByTimeAsync(ms);

function service(over: Partial<DesiredService> = {}, enginePolicy = 'no'): DesiredService {
  return {
    name: 'web',
    stop_grace_period: 1,
    orc: {},
    restart_policy: { condition: 'on-failure', delay_ms: 1000, max_attempts: 2 },
    containers: [{ create: { HostConfig: { RestartPolicy: { Name: enginePolicy } } } }],
    ...over,
  } as DesiredService;
}

function event(action: string, labels: Record<string, string> = {}): EngineEvent {
  return {
    Type: 'container',
    Action: action,
    Actor: {
      ID: 'c1',
      Attributes: {
        name: 'demo-web-1',
        'com.docker.compose.project': 'demo',
        'com.docker.compose.service': 'web',
        ...labels,
      },
    },
    time: 0,
    timeNano: 0,
  };
}

/** A one-container engine: `state` is what inspect answers; start/restart calls are recorded. */
/** `null`: the user does not want the service running (stopped, paused, removed). */
function setup(svc: DesiredService | null = service()) {
  const state = {
    running: false,
    startedAt: '2026-01-01T00:00:00Z',
    finishedAt: '2026-01-01T00:00:00.5Z',
    exitCode: 3,
    health: undefined as string | undefined,
  };
  const calls: string[] = [];
  const engine = {
    inspectContainer: async () =>
      ({
        State: {
          Status: state.running ? 'running' : 'exited',
          Running: state.running,
          Restarting: false,
          Paused: false,
          OOMKilled: false,
          ExitCode: state.exitCode,
          StartedAt: state.startedAt,
          FinishedAt: state.finishedAt,
          ...(state.health
            ? { Health: { Status: state.health, FailingStreak: 1, Log: [{ Output: 'nope\n' }] } }
            : {}),
        },
      }) as unknown as EngineContainerDetails,
    startContainer: async () => {
      calls.push('start');
      state.running = true;
    },
    restartContainer: async () => {
      calls.push('restart');
    },
  } as unknown as Engine;
  const bus = createEventBus();
  const events: DaemonEvent[] = [];
  bus.on((e) => events.push(e));
  let wanted = svc ?? undefined;
  const r = createRestarter({
    engine,
    bus,
    wanted: async () => wanted,
    withLock: (_p, task) => task(),
    // The real executor over the fake engine: restarts are plans like every other change.
    execute: async (plan) => {
      const result = await executePlan(plan, {
        engine,
        operationId: 'test',
        ensureImage: async () => undefined,
      });
      if (!result.ok) throw summariseFailure(result);
    },
    backoff: { floorMs: 100, capMs: 60_000, resetAfterMs: 10_000 },
  });
  const emit = (action: string, labels?: Record<string, string>) => r.hook(event(action, labels), 'demo');
  return {
    r,
    state,
    calls,
    events,
    emit,
    setWanted: (s: DesiredService | undefined) => {
      wanted = s;
    },
  };
}

const kinds = (events: DaemonEvent[]) => events.map((e) => `${e.type}:${e.action}`);

describe('restarter', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('restarts a failed container after the delay, reports why, and shows the backoff in ps', async () => {
    const { r, calls, events, emit } = setup();
    emit('die');
    await sleep(10);
    expect(kinds(events)).toEqual(['restart:backoff']);
    const summary = { ID: 'c1', State: 'exited', Status: 'Exited (3)', RestartCount: 0, Health: '' };
    const shown = await r.annotate({ containers: [summary as ContainerSummary] } as never);
    expect(shown.containers[0]).toMatchObject({ State: 'restarting', Status: 'restarting (backoff 990ms)' });
    await sleep(900);
    expect(calls).toEqual([]);
    await sleep(100);
    expect(calls).toEqual(['start']);
    expect(kinds(events)).toEqual(['restart:backoff', 'restart:restart']);
    expect(events[1]?.reason).toBe('exited with code 3; restart 1 of 2 after 1s (on-failure)');
    expect(r.status('c1')).toMatchObject({ restarts: 1 });
    r.stop();
  });

  it('doubles the delay, then gives up after max_attempts; its own start events are not a fresh start', async () => {
    const { r, state, calls, events, emit } = setup();
    for (const wait of [1000, 2000]) {
      state.running = false;
      state.startedAt = new Date().toISOString();
      emit('die');
      await sleep(wait - 1);
      expect(calls.length).toBeLessThan(wait === 1000 ? 1 : 2);
      await sleep(1);
      emit('start');
    }
    expect(calls).toEqual(['start', 'start']);
    state.running = false;
    emit('die');
    await sleep(10_000);
    expect(calls).toHaveLength(2);
    expect(kinds(events).at(-1)).toBe('restart:give-up');
    expect(events.at(-1)?.reason).toBe('exited with code 3; gave up after 2 restarts (max_attempts 2)');
    r.stop();
  });

  it('a stop through the API (a stop event) cancels the pending restart, like the engine', async () => {
    const { r, calls, emit } = setup(service({ restart_policy: { condition: 'any', delay_ms: 1000 } }));
    emit('die');
    await sleep(10);
    emit('stop');
    await sleep(5000);
    expect(calls).toEqual([]);
    r.stop();
  });

  it('leaves alone what is not its business', async () => {
    // No deploy.restart_policy; an engine restart policy; a service the user stopped.
    for (const svc of [service({ restart_policy: undefined }), service({}, 'always'), null]) {
      const { r, calls, events, emit } = setup(svc);
      emit('die');
      await sleep(5000);
      expect(calls).toEqual([]);
      expect(events).toEqual([]);
      r.stop();
    }
  });

  it('does nothing when someone else restarted the container or the user stopped it meanwhile', async () => {
    const a = setup();
    a.emit('die');
    await sleep(10);
    a.state.startedAt = '2026-01-01T00:01:00Z';
    await sleep(2000);
    expect(a.calls).toEqual([]);
    a.r.stop();

    const b = setup();
    b.emit('die');
    await sleep(10);
    b.setWanted(undefined);
    await sleep(2000);
    expect(b.calls).toEqual([]);
    b.r.stop();
  });

  it('restarts an unhealthy container only when opted in (x-orc or label); its own die is not a crash', async () => {
    const off = setup(service({ restart_policy: undefined }));
    off.state.running = true;
    off.state.health = 'unhealthy';
    off.emit('health_status: unhealthy');
    await sleep(5000);
    expect(off.calls).toEqual([]);
    off.r.stop();

    const on = setup(service({ restart_policy: undefined }));
    on.state.running = true;
    on.state.health = 'unhealthy';
    on.emit('health_status: unhealthy', { 'dev.orc.restart-on-unhealthy': 'true' });
    await sleep(1000);
    expect(on.calls).toEqual(['restart']);
    expect(on.events.at(-1)?.reason).toBe('unhealthy (last probe: nope); restart 1 after 1s (any)');
    on.emit('die');
    on.emit('stop');
    on.emit('start');
    await sleep(5000);
    expect(on.calls).toEqual(['restart']);
    expect(on.r.status('c1')).toMatchObject({ restarts: 1 });
    on.r.stop();
  });
});
