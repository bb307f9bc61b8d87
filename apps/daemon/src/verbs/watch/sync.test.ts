import { mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { containerPath, listTree, syncEntries } from './sync.js';

describe('watch sync entries', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('copies what exists (with its mode), removes what is gone, skips links', async () => {
    dir = mkdtempSync(join(tmpdir(), 'orc-sync-'));
    writeFileSync(join(dir, 'a.txt'), 'A', { mode: 0o640 });
    mkdirSync(join(dir, 'd'));
    symlinkSync('a.txt', join(dir, 'link'));
    const r = await syncEntries([
      { host: join(dir, 'a.txt'), container: '/app/a.txt' },
      { host: join(dir, 'd'), container: '/app/d' },
      { host: join(dir, 'gone.txt'), container: '/app/gone.txt' },
      { host: join(dir, 'link'), container: '/app/link' },
    ]);
    expect(r.entries.map((e) => [e.path, e.type, e.mode & 0o777, e.uid, e.content?.toString()])).toEqual([
      ['app/a.txt', 'file', 0o640, 0, 'A'],
      ['app/d', 'dir', statSync(join(dir, 'd')).mode & 0o777, 0, undefined],
    ]);
    expect(r.removed).toEqual(['/app/gone.txt']);
    expect(r.skipped).toEqual([join(dir, 'link')]);
  });

  it('maps host paths below the rule to the target; lists a tree without ignored directories', async () => {
    expect(containerPath('/app/src', 'a/b.js')).toBe('/app/src/a/b.js');
    expect(containerPath('/app/package.json', '')).toBe('/app/package.json');
    dir = mkdtempSync(join(tmpdir(), 'orc-sync-'));
    mkdirSync(join(dir, 'node_modules/x'), { recursive: true });
    mkdirSync(join(dir, 'lib'));
    writeFileSync(join(dir, 'node_modules/x/i.js'), '');
    writeFileSync(join(dir, 'lib/a.js'), '');
    writeFileSync(join(dir, 'lib/a.tmp'), '');
    const files = await listTree(
      dir,
      (p) => !p.endsWith('.tmp'),
      (d) => d.endsWith('node_modules'),
    );
    expect(files).toEqual([join(dir, 'lib/a.js')]);
  });
});
