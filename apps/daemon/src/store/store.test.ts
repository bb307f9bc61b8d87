import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createProjectStore, defaultStateDir, type ProjectRecord } from './store.js';

const record = (name: string, env: Record<string, string> = {}): ProjectRecord => ({
  name,
  source: { workingDir: '/srv/app', env },
  runState: {},
  scale: {},
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
});

describe('project store', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'orc-store-'));
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('writes records 0600 in a 0700 directory and reads them back', async () => {
    const store = createProjectStore(join(root, 'state'));
    await store.put(record('demo', { SECRET: 's3' }));
    expect((await stat(join(root, 'state'))).mode & 0o777).toBe(0o700);
    expect((await stat(store.dir)).mode & 0o777).toBe(0o700);
    expect((await stat(join(store.dir, 'demo.json'))).mode & 0o777).toBe(0o600);
    expect((await store.get('demo'))?.source.env).toEqual({ SECRET: 's3' });
  });

  it('replaces a record atomically and leaves no temporary file', async () => {
    const store = createProjectStore(root);
    await store.put(record('demo'));
    await store.put({ ...record('demo'), runState: { web: 'stopped' } });
    expect((await store.get('demo'))?.runState).toEqual({ web: 'stopped' });
    expect(await readdir(store.dir)).toEqual(['demo.json']);
  });

  it('lists, removes, and answers undefined for unknown projects', async () => {
    const store = createProjectStore(root);
    await store.put(record('b'));
    await store.put(record('a'));
    expect((await store.list()).map((r) => r.name)).toEqual(['a', 'b']);
    await store.remove('a');
    await store.remove('a');
    expect(await store.get('a')).toBeUndefined();
    expect((await store.list()).map((r) => r.name)).toEqual(['b']);
  });

  it('refuses names that could leave the directory', async () => {
    const store = createProjectStore(root);
    await expect(store.get('../etc')).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
  });

  it('picks the state directory like the design says', () => {
    expect(defaultStateDir({ ORC_STATE_DIR: '/x' }, 0)).toBe('/x');
    expect(defaultStateDir({}, 0)).toBe('/var/lib/orc');
    expect(defaultStateDir({ XDG_STATE_HOME: '/xdg' }, 1000)).toBe('/xdg/orc');
    expect(defaultStateDir({ HOME: '/home/u' }, 1000)).toBe('/home/u/.local/state/orc');
  });
});
