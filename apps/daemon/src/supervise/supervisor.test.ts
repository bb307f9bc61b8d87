import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createEventBus } from '../contract/event-bus.js';
import type { DaemonEvent } from '../contract/types.js';
import type { Engine } from '../engine/engine.js';
import type { EventWatchOptions } from '../engine/events.js';
import type { EngineEvent } from '../engine/types.js';
import { createSupervisor } from './supervisor.js';

// Fake timers: debounce and backoff are exercised without depending on how busy the machine is.
const sleep = (ms: number) => vi.advanceTimersByTimeAsync(ms);

function containerEvent(
  project: string,
  name: string,
  action: string,
  extra: Record<string, string> = {},
): EngineEvent {
  return {
    Type: 'container',
    Action: action,
    Actor: {
      ID: `id-${name}`,
      Attributes: {
        name,
        'com.docker.compose.project': project,
        'com.docker.compose.service': 'web',
        ...extra,
      },
    },
    time: 0,
    timeNano: 0,
  };
}

/** A supervisor on a scripted event source; `passes` records every reconcile call. */
function setup(opts: { changed?: () => boolean; registered?: string[]; debounceMs?: number } = {}) {
  let source: EventWatchOptions | undefined;
  const passes: Array<{ project: string; reason: string; startExited: boolean }> = [];
  const bus = createEventBus();
  const events: DaemonEvent[] = [];
  bus.on((e) => events.push(e));
  const sup = createSupervisor({
    engine: {} as Engine,
    bus,
    registered: async () => opts.registered ?? ['demo'],
    networksOf: (p) => (p === 'demo' ? ['demo_default'] : []),
    reconcile: async (project, reason, startExited) => {
      passes.push({ project, reason, startExited });
      return { changed: opts.changed?.() ?? false };
    },
    debounceMs: opts.debounceMs ?? 10,
    backoff: { min: 200, max: 1000 },
    watch: (_engine, o) => {
      source = o;
      o.onConnected?.();
      return new Promise<void>((resolve) =>
        o.signal.addEventListener('abort', () => resolve(), { once: true }),
      );
    },
  });
  const emit = (e: EngineEvent) => source?.onEvent(e);
  return { sup, passes, events, emit, reconnect: () => source?.onConnected?.() };
}

describe('supervisor', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('converges every registered project at start, starting exited containers', async () => {
    const { sup, passes } = setup({ registered: ['a', 'b'] });
    await sup.start();
    expect(passes.map((p) => [p.project, p.startExited]).sort()).toEqual([
      ['a', true],
      ['b', true],
    ]);
    await sup.stop();
  });

  it('turns a burst of drift events into one pass with the reasons, for registered projects only', async () => {
    const { sup, passes, emit } = setup();
    await sup.start();
    passes.length = 0;
    emit(containerEvent('demo', 'demo-web-1', 'die'));
    emit(containerEvent('demo', 'demo-web-1', 'destroy'));
    emit(containerEvent('other', 'other-web-1', 'destroy'));
    emit(containerEvent('demo', 'demo-web-1', 'exec_start: sh'));
    await sleep(60);
    expect(passes).toEqual([
      {
        project: 'demo',
        reason: 'container demo-web-1 die, container demo-web-1 destroy',
        startExited: false,
      },
    ]);
    await sup.stop();
  });

  it('looks soon after a destroy (the end of a removal), sooner than the debounce of kill and die', async () => {
    const { sup, passes, emit } = setup({ debounceMs: 150 });
    await sup.start();
    passes.length = 0;
    emit(containerEvent('demo', 'demo-web-1', 'kill'));
    await sleep(40);
    emit(containerEvent('demo', 'demo-web-1', 'die'));
    await sleep(60);
    expect(passes).toEqual([]);
    // 100 ms after the kill: the destroy brings the pending pass forward to 20 ms from now.
    emit(containerEvent('demo', 'demo-web-1', 'destroy'));
    await sleep(25);
    expect(passes.map((p) => p.reason)).toEqual([
      'container demo-web-1 kill, container demo-web-1 die, container demo-web-1 destroy',
    ]);
    // A stop alone still waits the whole debounce.
    emit(containerEvent('demo', 'demo-web-1', 'stop'));
    await sleep(100);
    expect(passes).toHaveLength(1);
    await sleep(60);
    expect(passes).toHaveLength(2);
    await sup.stop();
  });

  it('leaves one-off containers (orc run) out of drift: their exit and removal start no pass', async () => {
    const { sup, passes, emit } = setup();
    await sup.start();
    passes.length = 0;
    const oneoff = { 'com.docker.compose.oneoff': 'True' };
    emit(containerEvent('demo', 'demo-web-run-0a1b', 'die', oneoff));
    emit(containerEvent('demo', 'demo-web-run-0a1b', 'destroy', oneoff));
    await sleep(60);
    expect(passes).toEqual([]);
    await sup.stop();
  });

  it('repairs on a removed network of ours, and resyncs after the stream reconnects', async () => {
    const { sup, passes, emit, reconnect } = setup();
    await sup.start();
    passes.length = 0;
    emit({
      Type: 'network',
      Action: 'destroy',
      Actor: { ID: 'n', Attributes: { name: 'demo_default' } },
      time: 0,
      timeNano: 0,
    });
    await sleep(40);
    expect(passes.map((p) => p.reason)).toEqual(['network demo_default destroy']);
    reconnect();
    await sleep(40);
    expect(passes.map((p) => p.reason)).toEqual(['network demo_default destroy', 'event stream reconnected']);
    await sup.stop();
  });

  it('backs off a project whose passes keep finding work', async () => {
    const { sup, passes, emit } = setup({ changed: () => true });
    await sup.start();
    passes.length = 0;
    // Passes 1 and 2 (after the startup one) are immediate; the next waits out the backoff.
    for (let i = 0; i < 4; i++) {
      emit(containerEvent('demo', 'demo-web-1', 'destroy'));
      await sleep(50);
    }
    expect(passes.length).toBe(2);
    await sleep(300);
    expect(passes.length).toBe(3);
    await sup.stop();
  });

  it('publishes container lifecycle and health events, and wakes waiters', async () => {
    const { sup, events, emit } = setup();
    await sup.start();
    const woke = sup.nudge('demo-web-1', 5000);
    emit(containerEvent('demo', 'demo-web-1', 'health_status: healthy'));
    await woke;
    emit(containerEvent('demo', 'demo-web-1', 'die', { exitCode: '2' }));
    expect(
      events.filter((e) => e.type !== 'repair').map((e) => [e.type, e.action, e.attributes?.exitCode]),
    ).toEqual([
      ['health', 'healthy', undefined],
      ['container', 'die', '2'],
    ]);
    await sup.stop();
  });

  it('ignores untracked projects and reacts to newly tracked ones', async () => {
    const { sup, passes, emit } = setup({ registered: [] });
    await sup.start();
    emit(containerEvent('late', 'late-web-1', 'destroy'));
    await sleep(40);
    expect(passes).toEqual([]);
    sup.track('late');
    emit(containerEvent('late', 'late-web-1', 'destroy'));
    await sleep(40);
    expect(passes.map((p) => p.project)).toEqual(['late']);
    sup.untrack('late');
    emit(containerEvent('late', 'late-web-1', 'destroy'));
    await sleep(40);
    expect(passes.length).toBe(1);
    await sup.stop();
  });
});

describe('supervisor when the engine is down at start', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('retries the startup pass (starting exited containers) once the engine answers', async () => {
    let source: EventWatchOptions | undefined;
    let engineUp = false;
    const passes: Array<[string, boolean]> = [];
    const sup = createSupervisor({
      engine: {} as Engine,
      bus: createEventBus(),
      registered: async () => ['demo'],
      networksOf: () => [],
      reconcile: async (project, _reason, startExited) => {
        passes.push([project, startExited]);
        if (!engineUp) throw new Error('cannot reach the Docker Engine');
        return { changed: false };
      },
      debounceMs: 10,
      backoff: { min: 20, max: 100 },
      watch: (_engine, o) => {
        source = o;
        return new Promise<void>((resolve) =>
          o.signal.addEventListener('abort', () => resolve(), { once: true }),
        );
      },
    });
    await sup.start();
    expect(passes).toEqual([['demo', true]]);
    engineUp = true;
    source?.onConnected?.();
    source?.onConnected?.();
    await vi.advanceTimersByTimeAsync(200);
    expect(passes[1]).toEqual(['demo', true]);
    // Once it succeeded, later passes are ordinary ones again.
    source?.onEvent({
      Type: 'container',
      Action: 'destroy',
      Actor: { ID: 'x', Attributes: { name: 'demo-web-1', 'com.docker.compose.project': 'demo' } },
      time: 0,
      timeNano: 0,
    });
    await vi.advanceTimersByTimeAsync(200);
    expect(passes.at(-1)).toEqual(['demo', false]);
    await sup.stop();
  });
});
