import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
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

  it('reads an unchanged record file once, and a file written by anyone else again', async () => {
    const store = createProjectStore(join(root, 'state'));
    await store.put({ ...record('kept', { A: '1' }), services: undefined });
    const first = await store.get('kept');
    // The object written, as JSON keeps it (no undefined member), served without a parse.
    expect(first && 'services' in first).toBe(false);
    expect(await store.get('kept')).toBe(first);
    expect((await store.list())[0]).toBe(first);
    // Another writer (same length, same second): the file is another one, read again.
    const file = join(store.dir, 'kept.json');
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace('"A": "1"', '"A": "2"'));
    expect((await store.get('kept'))?.source.env).toEqual({ A: '2' });
    await store.remove('kept');
    expect(await store.get('kept')).toBeUndefined();
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

describe('records are versioned and checked on read', () => {
  const record = (name: string) => ({
    name,
    source: { workingDir: '/srv/x', env: {} },
    runState: {},
    scale: {},
    createdAt: 't',
    updatedAt: 't',
  });

  it('writes the version; reads records from before versions; sets a bad one aside and goes on', async () => {
    const root = await mkdtemp(join(tmpdir(), 'orc-store-v-'));
    const bad: string[] = [];
    const store = createProjectStore(root, { onBadRecord: (b) => bad.push(`${b.project}: ${b.reason}`) });
    await store.put(record('good') as ProjectRecord);
    expect(JSON.parse(await readFile(join(root, 'projects', 'good.json'), 'utf8')).version).toBe(1);
    await writeFile(join(root, 'projects', 'legacy.json'), JSON.stringify(record('legacy')));
    await writeFile(join(root, 'projects', 'garbage.json'), '\u0000\u0001 not json');
    await writeFile(join(root, 'projects', 'renamed.json'), JSON.stringify(record('other')));
    await writeFile(
      join(root, 'projects', 'future.json'),
      JSON.stringify({ ...record('future'), version: 2 }),
    );
    await writeFile(
      join(root, 'projects', 'scaled.json'),
      JSON.stringify({ ...record('scaled'), scale: { web: -1 } }),
    );
    expect((await store.list()).map((r) => r.name)).toEqual(['good', 'legacy']);
    expect(bad.sort()).toEqual([
      expect.stringMatching(/^future: written by a newer orc/),
      expect.stringMatching(/^garbage: not JSON/),
      expect.stringMatching(/^renamed: its name "other" is not its file's/),
      expect.stringMatching(/^scaled: scale is not a map of replica counts/),
    ]);
    const files = await readdir(join(root, 'projects'));
    expect(files.filter((f) => f.includes('.bad-'))).toHaveLength(4);
    // Set aside once: the next read does not see them again.
    bad.length = 0;
    expect((await store.list()).map((r) => r.name)).toEqual(['good', 'legacy']);
    expect(bad).toEqual([]);
    expect((await store.get('good'))?.name).toBe('good');
    expect(await store.get('garbage')).toBeUndefined();
  });
});
