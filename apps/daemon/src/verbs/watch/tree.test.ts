import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { watchTree } from './tree.js';

const until = async (ok: () => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  while (!ok() && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  return ok();
};

describe('watchTree', () => {
  let dir = '';
  let close: () => void = () => undefined;
  afterEach(() => {
    close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('skips ignored trees before watching them, bounds the directories, follows new ones', async () => {
    dir = mkdtempSync(join(tmpdir(), 'orc-watch-'));
    for (const d of ['a', 'a/b', 'node_modules/x/y', '.git/objects'])
      mkdirSync(join(dir, d), { recursive: true });
    const seen = new Set<string>();
    const problems: string[] = [];
    const w = watchTree({
      roots: [dir],
      skipDir: (d) => d.endsWith('/node_modules') || d.endsWith('/.git'),
      onChange: (p) => seen.add(p),
      onProblem: (m) => problems.push(m),
    });
    close = () => w.close();
    await w.ready;
    expect(w.dirs).toBe(3); // root, a, a/b
    writeFileSync(join(dir, 'a/b/f.txt'), 'x');
    expect(await until(() => seen.has(join(dir, 'a/b/f.txt')))).toBe(true);
    // A directory made with files already in it: the files are reported when it is walked.
    mkdirSync(join(dir, 'new/deep'), { recursive: true });
    writeFileSync(join(dir, 'new/deep/g.txt'), 'y');
    expect(await until(() => seen.has(join(dir, 'new/deep/g.txt')))).toBe(true);
    writeFileSync(join(dir, 'node_modules/x/y/z.js'), 'z');
    await new Promise((r) => setTimeout(r, 200));
    expect([...seen].some((p) => p.includes('node_modules/x'))).toBe(false);
    expect(problems).toEqual([]);

    const bounded = watchTree({
      roots: [dir],
      skipDir: () => false,
      onChange: () => undefined,
      onProblem: (m) => problems.push(m),
      maxDirs: 2,
    });
    await bounded.ready;
    bounded.close();
    expect(bounded.dirs).toBe(0);
    expect(problems[0]).toMatch(/watching 2 directories already/);
  });
});
