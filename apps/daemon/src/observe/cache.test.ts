import type { DesiredState } from '@orc/spec';
import { describe, expect, it } from 'vitest';
import type { Engine } from '../engine/engine.js';
import type {
  EngineContainerDetails,
  EngineContainerListItem,
  EngineEvent,
  EngineVolume,
} from '../engine/types.js';
import { createObservedCache } from './cache.js';

const P = 'demo';
const labels = (n: number) => ({
  'com.docker.compose.project': P,
  'com.docker.compose.service': 'web',
  'com.docker.compose.container-number': String(n),
});

/** A scripted engine: containers by id, and a count of every call. */
function fakeEngine() {
  const containers = new Map<string, { n: number; status: string; startedAt: string }>();
  const calls = { list: 0, inspect: 0, networks: 0, volumes: 0 };
  const details = (id: string): EngineContainerDetails | undefined => {
    const c = containers.get(id);
    if (!c) return undefined;
    return {
      Id: id,
      Name: `/demo-web-${c.n}`,
      Created: '2026-12-04T12:00:00Z',
      Image: 'sha256:i',
      RestartCount: 0,
      State: {
        Status: c.status,
        Running: c.status === 'running',
        Paused: false,
        Restarting: false,
        OOMKilled: false,
        Dead: false,
        Pid: 1,
        ExitCode: c.status === 'exited' ? 137 : 0,
        Error: '',
        StartedAt: c.startedAt,
        FinishedAt: c.status === 'exited' ? '2026-12-04T12:00:05Z' : '0001-01-01T00:00:00Z',
      },
      Config: { Image: 'busybox', Labels: labels(c.n) },
      HostConfig: {},
      NetworkSettings: { Networks: {} },
      Mounts: [],
    };
  };
  const engine = {
    listContainers: async (f: { label?: string[] }) => {
      calls.list++;
      if (!f.label?.includes(`com.docker.compose.project=${P}`)) return [];
      return [...containers.entries()].map(
        ([id, c]): EngineContainerListItem => ({
          Id: id,
          Names: [`/demo-web-${c.n}`],
          Image: 'busybox',
          ImageID: 'sha256:i',
          Command: 'sleep',
          Created: 0,
          Ports: [],
          Labels: labels(c.n),
          State: c.status,
          Status: c.status === 'running' ? 'Up 1 second' : 'Exited (137) 1 second ago',
        }),
      );
    },
    listNetworks: async () => {
      calls.networks++;
      return [];
    },
    listVolumes: async () => {
      calls.volumes++;
      return [];
    },
    inspectContainer: async (id: string) => {
      calls.inspect++;
      await new Promise((r) => setTimeout(r, 1));
      return details(id);
    },
  } as unknown as Engine;
  return { engine, containers, calls };
}

const ev = (Action: string, id: string): EngineEvent => ({
  Type: 'container',
  Action,
  Actor: { ID: id, Attributes: { 'com.docker.compose.project': P } },
  time: 0,
  timeNano: 0,
});

describe('observed cache: reads from memory while the stream is up', () => {
  it('lists once, inspects each container once, then answers without the engine', async () => {
    const { engine, containers, calls } = fakeEngine();
    containers.set('a', { n: 1, status: 'running', startedAt: '2026-12-04T12:00:00Z' });
    const cache = createObservedCache({ engine, now: () => Date.parse('2026-12-04T12:02:00Z') });
    cache.connected();
    // An empty project first (as `up`'s first look at a new project): a drain with nothing to do.
    expect((await cache.read('empty')).containers).toEqual([]);
    expect((await cache.read(P)).containers.map((c) => c.name)).toEqual(['demo-web-1']);
    expect(calls.list).toBe(2);
    const second = await cache.read(P);
    expect(calls).toMatchObject({ list: 2, inspect: 1 });
    expect(second.containers[0]?.status).toBe('Up 2 minutes');
    await cache.read(P);
    await cache.read('empty');
    expect(calls).toMatchObject({ list: 2, inspect: 1, networks: 2, volumes: 2 });
  });

  it('inspects only what an event named; forgets at a gap and lists again', async () => {
    const { engine, containers, calls } = fakeEngine();
    containers.set('a', { n: 1, status: 'running', startedAt: '2026-12-04T12:00:00Z' });
    containers.set('b', { n: 2, status: 'running', startedAt: '2026-12-04T12:00:00Z' });
    const cache = createObservedCache({ engine });
    cache.connected();
    await cache.read(P);
    await cache.read(P);
    expect(calls).toMatchObject({ list: 1, inspect: 2 });
    containers.set('b', { n: 2, status: 'exited', startedAt: '2026-12-04T12:00:00Z' });
    cache.event(ev('die', 'b'));
    containers.set('c', { n: 3, status: 'running', startedAt: '2026-12-04T12:00:00Z' });
    cache.event(ev('create', 'c'));
    containers.delete('a');
    cache.event(ev('destroy', 'a'));
    const after = await cache.read(P);
    expect(after.containers.map((c) => `${c.name} ${c.state}`)).toEqual([
      'demo-web-2 exited',
      'demo-web-3 running',
    ]);
    expect(calls).toMatchObject({ list: 1, inspect: 4 });
    cache.disconnected();
    await cache.read(P);
    expect(calls.list).toBe(2);
    cache.connected();
    await cache.read(P);
    expect(calls.list).toBe(3);
  });

  it('more stale containers than one round of inspects: one list answers, the inspects go on behind it', async () => {
    const { engine, containers, calls } = fakeEngine();
    const cache = createObservedCache({ engine, concurrency: 2, backgroundDelayMs: 20 });
    cache.connected();
    await cache.read(P);
    await cache.read(P);
    expect(calls).toMatchObject({ list: 1, inspect: 0 });
    // An up created and started three containers: each event marks one stale.
    for (const id of ['a', 'b', 'c']) {
      containers.set(id, { n: id.charCodeAt(0), status: 'running', startedAt: '2026-12-04T12:00:00Z' });
      cache.event(ev('create', id));
    }
    const after = await cache.read(P);
    expect(after.containers).toHaveLength(3);
    expect(calls.list).toBe(2);
    // The inspects wait for their delay (the reader's operation calls the engine first): a read before
    // then lists again, and starts no second round of them.
    expect((await cache.read(P)).containers).toHaveLength(3);
    expect(calls).toMatchObject({ list: 3, inspect: 0 });
    await new Promise((r) => setTimeout(r, 60));
    expect(calls.inspect).toBe(3);
    // From then on the kept state answers: no list.
    const later = await cache.read(P);
    expect(later.containers).toHaveLength(3);
    expect(calls).toMatchObject({ list: 3, inspect: 3 });
    // Within one round, the named containers are inspected, not listed.
    cache.event(ev('die', 'a'));
    cache.event(ev('die', 'b'));
    await cache.read(P);
    expect(calls).toMatchObject({ list: 3, inspect: 5 });
  });

  it('a project first read empty (an up before its containers exist) still sees the containers made next', async () => {
    const { engine, containers, calls } = fakeEngine();
    const cache = createObservedCache({ engine });
    cache.connected();
    expect((await cache.read(P)).containers).toEqual([]);
    await cache.read(P);
    containers.set('a', { n: 1, status: 'running', startedAt: '2026-12-04T12:00:00Z' });
    cache.event(ev('create', 'a'));
    cache.event(ev('start', 'a'));
    expect((await cache.read(P)).containers.map((c) => c.name)).toEqual(['demo-web-1']);
    // From the inspect the events asked for, not from a list.
    expect(calls).toMatchObject({ list: 1, inspect: 1 });
  });
});

describe('observed cache: image ids and one volume kept until an event says otherwise', () => {
  const desired = {
    services: [{ image: 'busybox', containers: [] }],
    networks: [],
    volumes: [],
  } as unknown as DesiredState;
  const imageEvent = (Action: string): EngineEvent => ({
    Type: 'image',
    Action,
    Actor: { ID: 'sha256:new', Attributes: { name: 'busybox' } },
    time: 0,
    timeNano: 0,
  });
  const volumeEvent = (Action: string, name: string): EngineEvent => ({
    Type: 'volume',
    Action,
    Actor: { ID: name, Attributes: { driver: 'local' } },
    time: 0,
    timeNano: 0,
  });

  /** The fake engine with images (reference → id) and volumes by name, each inspect counted. */
  function withImagesAndVolumes() {
    const f = fakeEngine();
    const images = new Map([['busybox', 'sha256:old']]);
    const volumes = new Map<string, EngineVolume>();
    const counted = { image: 0, volume: 0 };
    /** Runs once inside the next image inspect, before it answers (an event that crosses the read). */
    let duringInspect: (() => void) | undefined;
    Object.assign(f.engine, {
      inspectImage: async (ref: string) => {
        counted.image++;
        // The engine's answer is what the reference named when the inspect was served.
        const id = images.get(ref);
        await new Promise((r) => setTimeout(r, 1));
        duringInspect?.();
        duringInspect = undefined;
        return id ? { Id: id } : undefined;
      },
      inspectVolume: async (name: string) => {
        counted.volume++;
        return volumes.get(name);
      },
    });
    return { ...f, images, volumes, counted, crossWith: (fn: () => void) => (duringInspect = fn) };
  }

  it('reads an image id once, and again only after an image event', async () => {
    const { engine, images, counted } = withImagesAndVolumes();
    const cache = createObservedCache({ engine });
    cache.connected();
    await cache.read(P, { desired }); // the fill lists (and inspects the image as observeProject does)
    expect((await cache.read(P, { desired })).images).toEqual({ busybox: 'sha256:old' });
    const before = counted.image;
    expect((await cache.read(P, { desired })).images).toEqual({ busybox: 'sha256:old' });
    expect(counted.image).toBe(before);
    images.set('busybox', 'sha256:new');
    cache.event(imageEvent('tag'));
    expect((await cache.read(P, { desired })).images).toEqual({ busybox: 'sha256:new' });
    expect(counted.image).toBe(before + 1);
  });

  it('does not keep an id read while an image event came, nor while the stream is down', async () => {
    const { engine, images, counted, crossWith } = withImagesAndVolumes();
    const cache = createObservedCache({ engine });
    cache.connected();
    await cache.read(P, { desired });
    crossWith(() => {
      images.set('busybox', 'sha256:new');
      cache.event(imageEvent('pull'));
    });
    // This read's answer is the engine's (old: it was read before the pull ended); it is not kept.
    expect((await cache.read(P, { desired })).images).toEqual({ busybox: 'sha256:old' });
    const before = counted.image;
    expect((await cache.read(P, { desired })).images).toEqual({ busybox: 'sha256:new' });
    expect(counted.image).toBe(before + 1);
    cache.disconnected();
    await cache.read(P, { desired });
    await cache.read(P, { desired });
    expect(counted.image).toBe(before + 3);
  });

  it('reads a volume once, and again after a volume is created or removed or the stream broke', async () => {
    const { engine, volumes, counted } = withImagesAndVolumes();
    const cache = createObservedCache({ engine });
    expect(await cache.volume('orc-lease.demo')).toBeUndefined();
    expect(await cache.volume('orc-lease.demo')).toBeUndefined();
    expect(counted.volume).toBe(2); // not live yet: nothing is kept
    cache.connected();
    expect(await cache.volume('orc-lease.demo')).toBeUndefined();
    expect(await cache.volume('orc-lease.demo')).toBeUndefined();
    expect(counted.volume).toBe(3); // absence is kept too
    const lease = { Name: 'orc-lease.demo', Driver: 'local', Labels: { a: 'b' }, Mountpoint: '/m' };
    volumes.set('orc-lease.demo', lease);
    cache.event(volumeEvent('create', 'orc-lease.demo'));
    expect(await cache.volume('orc-lease.demo')).toEqual(lease);
    expect(await cache.volume('orc-lease.demo')).toEqual(lease);
    expect(counted.volume).toBe(4);
    cache.event(volumeEvent('mount', 'orc-lease.demo')); // changes nothing an inspect says
    await cache.volume('orc-lease.demo');
    expect(counted.volume).toBe(4);
    volumes.delete('orc-lease.demo');
    cache.event(volumeEvent('destroy', 'orc-lease.demo'));
    expect(await cache.volume('orc-lease.demo')).toBeUndefined();
    cache.disconnected();
    cache.connected();
    await cache.volume('orc-lease.demo');
    expect(counted.volume).toBe(6);
  });
});
