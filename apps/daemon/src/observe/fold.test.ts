import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../engine/types.js';
import {
  applyEvent,
  applyFill,
  applyInspect,
  beginFill,
  type CacheState,
  connected,
  disconnected,
  drained,
  emptyCache,
  inspectFailed,
  keepLists,
  nextRead,
  served,
  takeStale,
} from './fold.js';
import type { ObservedContainer, ObservedNetwork } from './types.js';

const P = 'demo';
const labels = { 'com.docker.compose.project': P, 'com.docker.compose.service': 'web' };

const ev = (
  Type: string,
  Action: string,
  ID: string,
  Attributes: Record<string, string> = {},
): EngineEvent => ({
  Type,
  Action,
  Actor: { ID, Attributes },
  time: 0,
  timeNano: 0,
});
const cev = (Action: string, id: string, attrs: Record<string, string> = labels) =>
  ev('container', Action, id, attrs);

const container = (id: string, over: Partial<ObservedContainer> = {}): ObservedContainer => ({
  id,
  name: `demo-web-${id}`,
  service: 'web',
  number: 1,
  oneoff: false,
  configHash: 'h',
  imageId: 'sha256:i',
  image: 'busybox',
  state: 'running',
  exitCode: 0,
  restartCount: 0,
  created: '',
  startedAt: '2026-01-01T00:00:00Z',
  finishedAt: '',
  networks: {},
  mounts: [],
  labels,
  ...over,
});
const net: ObservedNetwork = { id: 'n1', name: 'demo_default', key: 'default', labels: {}, created: '' };

/** A live cache with `demo` filled from a list of `ids`, each then inspected. */
function filled(ids: string[]): CacheState {
  const s = emptyCache();
  connected(s);
  const { epoch } = beginFill(s, P);
  applyFill(s, P, epoch, { ids, networks: [net], volumes: [] }, { networks: 0, volumes: 0 });
  const p = s.projects.get(P);
  if (!p) throw new Error('no entry');
  takeStale(p, ids);
  for (const id of ids) applyInspect(s, P, epoch, id, container(id));
  drained(p);
  return s;
}

describe('observed state kept from events: the fold', () => {
  it('lists while the stream is down, fills on the first read, serves from memory once inspected', () => {
    const s = emptyCache();
    expect(nextRead(s, P)).toEqual({ kind: 'list' });
    connected(s);
    expect(nextRead(s, P)).toEqual({ kind: 'fill' });
    const { epoch } = beginFill(s, P);
    applyFill(s, P, epoch, { ids: ['a', 'b'], networks: [net], volumes: [] }, { networks: 0, volumes: 0 });
    // Listed but not inspected: nothing is served from memory yet.
    expect(nextRead(s, P)).toEqual({
      kind: 'serve',
      inspect: ['a', 'b'],
      listNetworks: false,
      listVolumes: false,
    });
    expect(served(s, P)).toBeUndefined();
    const p = s.projects.get(P);
    if (!p) throw new Error('no entry');
    takeStale(p, ['a', 'b']);
    applyInspect(s, P, epoch, 'a', container('a'));
    applyInspect(s, P, epoch, 'b', container('b'));
    expect(served(s, P)?.containers.map((c) => c.id)).toEqual(['a', 'b']);
    expect(nextRead(s, P)).toEqual({ kind: 'serve', inspect: [], listNetworks: false, listVolumes: false });
  });

  it('a gap forgets everything: after a break or a reconnect the next read lists again', () => {
    const s = filled(['a']);
    disconnected(s);
    expect(served(s, P)).toBeUndefined();
    expect(nextRead(s, P)).toEqual({ kind: 'list' });
    // Events while down are not folded (there is nothing to fold them into).
    applyEvent(s, cev('start', 'x'));
    connected(s);
    expect(nextRead(s, P)).toEqual({ kind: 'fill' });
    const again = filled(['a']);
    connected(again);
    expect(nextRead(again, P)).toEqual({ kind: 'fill' });
  });

  it('a read begun before a gap keeps nothing', () => {
    const s = emptyCache();
    connected(s);
    const { epoch } = beginFill(s, P);
    disconnected(s);
    connected(s);
    expect(
      applyFill(s, P, epoch, { ids: ['a'], networks: [], volumes: [] }, { networks: 0, volumes: 0 }),
    ).toBe(false);
    expect(nextRead(s, P)).toEqual({ kind: 'fill' });
    const fresh = filled(['a']);
    const old = fresh.epoch;
    disconnected(fresh);
    connected(fresh);
    beginFill(fresh, P);
    applyInspect(fresh, P, old, 'a', container('a'));
    expect(fresh.projects.get(P)?.containers.size).toBe(0);
  });

  it('an event marks its container stale (to inspect before the next answer); destroy removes it', () => {
    const s = filled(['a', 'b']);
    applyEvent(s, cev('die', 'a'));
    applyEvent(s, cev('rename', 'b', { ...labels, name: 'new', oldName: '/demo-web-b' }));
    expect(nextRead(s, P)).toMatchObject({ kind: 'serve', inspect: ['a', 'b'] });
    expect(served(s, P)).toBeUndefined();
    applyEvent(s, cev('destroy', 'b'));
    expect(nextRead(s, P)).toMatchObject({ inspect: ['a'] });
    const p = s.projects.get(P);
    if (!p) throw new Error('no entry');
    takeStale(p, ['a']);
    applyInspect(s, P, s.epoch, 'a', container('a', { state: 'exited', exitCode: 137 }));
    expect(served(s, P)?.containers).toEqual([container('a', { state: 'exited', exitCode: 137 })]);
  });

  it('a container created by hand with our labels is read; one of another project or an exec is not', () => {
    const s = filled(['a']);
    applyEvent(s, cev('create', 'z'));
    applyEvent(s, cev('create', 'other', { 'com.docker.compose.project': 'elsewhere' }));
    applyEvent(s, cev('exec_die', 'a'));
    // A healthcheck's probe, every interval: the engine writes the command after the action.
    applyEvent(s, cev('exec_create: /bin/sh -c true', 'a'));
    applyEvent(s, cev('exec_start: /bin/sh -c true', 'a'));
    applyEvent(s, cev('create', 'nolabel', {}));
    expect(nextRead(s, P)).toMatchObject({ inspect: ['z'] });
    expect(s.projects.has('elsewhere')).toBe(false);
  });

  it('an unknown action marks stale too (only known-harmless actions are skipped)', () => {
    const s = filled(['a']);
    applyEvent(s, cev('health_status: unhealthy', 'a'));
    expect(nextRead(s, P)).toMatchObject({ inspect: ['a'] });
    const t = filled(['a']);
    applyEvent(t, cev('something-new', 'a'));
    expect(nextRead(t, P)).toMatchObject({ inspect: ['a'] });
  });

  it('an inspect answered before a destroy does not bring the container back', () => {
    const s = filled(['a']);
    applyEvent(s, cev('stop', 'a'));
    const p = s.projects.get(P);
    if (!p) throw new Error('no entry');
    takeStale(p, ['a']);
    // The inspect is in flight; the container is destroyed; then the (older) answer lands.
    applyEvent(s, cev('destroy', 'a'));
    applyInspect(s, P, s.epoch, 'a', container('a', { state: 'exited' }));
    expect(served(s, P)?.containers).toEqual([]);
    drained(p);
    expect(p.gone.size).toBe(0);
  });

  it('an event during an inspect leaves the container stale for the next read', () => {
    const s = filled(['a']);
    applyEvent(s, cev('stop', 'a'));
    const p = s.projects.get(P);
    if (!p) throw new Error('no entry');
    takeStale(p, ['a']);
    applyEvent(s, cev('start', 'a'));
    applyInspect(s, P, s.epoch, 'a', container('a', { state: 'exited' }));
    expect(nextRead(s, P)).toMatchObject({ inspect: ['a'] });
  });

  it('a 404 removes it; a failed inspect keeps it stale', () => {
    const s = filled(['a', 'b']);
    applyEvent(s, cev('die', 'a'));
    applyEvent(s, cev('die', 'b'));
    const p = s.projects.get(P);
    if (!p) throw new Error('no entry');
    takeStale(p, ['a', 'b']);
    applyInspect(s, P, s.epoch, 'a', undefined);
    inspectFailed(s, P, s.epoch, 'b');
    expect([...p.containers.keys()]).toEqual(['b']);
    expect(nextRead(s, P)).toMatchObject({ inspect: ['b'] });
  });

  it('events during the first list: a destroyed container stays stale (its inspect says 404), a new one is read', () => {
    const s = emptyCache();
    connected(s);
    const { epoch } = beginFill(s, P);
    applyEvent(s, cev('destroy', 'a'));
    applyEvent(s, cev('create', 'c'));
    applyFill(s, P, epoch, { ids: ['a', 'b'], networks: [], volumes: [] }, { networks: 0, volumes: 0 });
    expect(new Set((nextRead(s, P) as { inspect: string[] }).inspect)).toEqual(new Set(['a', 'b', 'c']));
  });

  it('network connect/disconnect marks the container; network and volume create/destroy drop the lists', () => {
    const s = filled(['a']);
    applyEvent(
      s,
      ev('network', 'disconnect', 'n1', { container: 'a', name: 'demo_default', type: 'bridge' }),
    );
    expect(nextRead(s, P)).toMatchObject({ inspect: ['a'], listNetworks: false });
    const t = filled(['a']);
    applyEvent(t, ev('network', 'destroy', 'n1', { name: 'demo_default', type: 'bridge' }));
    expect(nextRead(t, P)).toMatchObject({ inspect: [], listNetworks: true, listVolumes: false });
    applyEvent(t, ev('volume', 'mount', 'v1', { container: 'a' }));
    expect(nextRead(t, P)).toMatchObject({ listVolumes: false });
    applyEvent(t, ev('volume', 'destroy', 'v1', { driver: 'local' }));
    expect(nextRead(t, P)).toMatchObject({ listVolumes: true });
  });

  it('a network list read while a network event came is not kept', () => {
    const s = filled(['a']);
    applyEvent(s, ev('network', 'create', 'n2', { name: 'x' }));
    const p = s.projects.get(P);
    if (!p) throw new Error('no entry');
    const versions = { networks: p.networksVersion, volumes: p.volumesVersion };
    applyEvent(s, ev('network', 'destroy', 'n2', { name: 'x' }));
    keepLists(p, { networks: [net] }, versions);
    expect(p.networks).toBeUndefined();
    keepLists(p, { networks: [net] }, { networks: p.networksVersion, volumes: p.volumesVersion });
    expect(p.networks).toEqual([net]);
  });
});
