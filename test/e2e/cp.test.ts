/** `orc cp` (compose's), both ways, through the built CLI and the daemon on the real engine. */

import { execFile } from 'node:child_process';
import { chownSync, lstatSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docker, FIXTURE_IMAGE, removeProject, uniqueProject } from '../support/engine.js';
import { assertBuilt, explain, ORC_BIN, type OrcEnv, orc, orcEnv, stopDaemon } from './orc.js';

const run = promisify(execFile);

describe('orc cp', () => {
  const o: OrcEnv = orcEnv('cp');
  const project = uniqueProject('cp');
  const dir = join(o.dir, 'app');
  const out = join(o.dir, 'out');
  const container = `${project}-web-1`;
  const inContainer = async (...cmd: string[]) => (await docker('exec', container, ...cmd)).trim();
  /** `orc` through a shell, for `-` and redirections. */
  const shell = (line: string) =>
    run('sh', ['-c', `"${ORC_BIN}" -p ${project} ${line}`], { cwd: dir, env: o.env }).then(
      (r) => ({ code: 0, ...r }),
      (e: { code: number; stdout: string; stderr: string }) => e,
    );

  beforeAll(async () => {
    assertBuilt();
    mkdirSync(dir, { recursive: true });
    mkdirSync(out, { recursive: true });
    writeFileSync(
      join(dir, 'compose.yaml'),
      [
        'services:',
        '  web:',
        `    image: ${FIXTURE_IMAGE}`,
        '    command:',
        '      - sh',
        '      - -c',
        `      - "mkdir -p /data/dir/sub && echo hello > /data/hello.txt && ln -s /data/hello.txt /data/link && ln -s dir /data/todir && echo a > /data/dir/a.txt && echo b > /data/dir/sub/b.txt && trap 'exit 0' TERM; sleep 300 & wait"`,
        '  pair:',
        `    image: ${FIXTURE_IMAGE}`,
        '    scale: 2',
        `    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 300 & wait"]`,
        '',
      ].join('\n'),
    );
    const up = await orc(o, ['-p', project, 'up', '-d'], { cwd: dir });
    expect(up.code, explain(up)).toBe(0);
    // The command writes the files once started.
    for (let i = 0; i < 50; i++) {
      const ls = await docker('exec', container, 'ls', '/data/dir/sub').catch(() => '');
      if (ls.includes('b.txt')) break;
      await new Promise((r) => setTimeout(r, 100));
    }
  });

  afterAll(async () => {
    await stopDaemon(o);
    await removeProject(project);
  });

  it('copies a file out: to a new name, and into an existing directory', async () => {
    const renamed = await orc(o, ['-p', project, 'cp', 'web:/data/hello.txt', join(out, 'greeting.txt')], {
      cwd: dir,
    });
    expect(renamed.code, explain(renamed)).toBe(0);
    expect(readFileSync(join(out, 'greeting.txt'), 'utf8')).toBe('hello\n');
    const inside = await orc(o, ['-p', project, 'cp', 'web:/data/hello.txt', out], { cwd: dir });
    expect(inside.code, explain(inside)).toBe(0);
    expect(readFileSync(join(out, 'hello.txt'), 'utf8')).toBe('hello\n');
  });

  it('copies a directory out: to a new name, into a directory, and its contents with SRC/.', async () => {
    const renamed = await orc(o, ['-p', project, 'cp', 'web:/data/dir', join(out, 'copy')], { cwd: dir });
    expect(renamed.code, explain(renamed)).toBe(0);
    expect(readFileSync(join(out, 'copy', 'a.txt'), 'utf8')).toBe('a\n');
    expect(readFileSync(join(out, 'copy', 'sub', 'b.txt'), 'utf8')).toBe('b\n');
    const inside = await orc(o, ['-p', project, 'cp', 'web:/data/dir', out], { cwd: dir });
    expect(inside.code, explain(inside)).toBe(0);
    expect(readFileSync(join(out, 'dir', 'sub', 'b.txt'), 'utf8')).toBe('b\n');
    mkdirSync(join(out, 'contents'));
    const contents = await orc(o, ['-p', project, 'cp', 'web:/data/dir/.', join(out, 'contents')], {
      cwd: dir,
    });
    expect(contents.code, explain(contents)).toBe(0);
    expect(readFileSync(join(out, 'contents', 'a.txt'), 'utf8')).toBe('a\n');
    expect(readFileSync(join(out, 'contents', 'sub', 'b.txt'), 'utf8')).toBe('b\n');
  });

  it('copies a file and a directory in, by the same rules', async () => {
    const local = join(o.dir, 'local');
    mkdirSync(join(local, 'tree', 'deep'), { recursive: true });
    writeFileSync(join(local, 'note.txt'), 'note\n');
    writeFileSync(join(local, 'tree', 'deep', 'x.txt'), 'x\n');
    const file = await orc(o, ['-p', project, 'cp', join(local, 'note.txt'), 'web:/tmp/renamed.txt'], {
      cwd: dir,
    });
    expect(file.code, explain(file)).toBe(0);
    expect(await inContainer('cat', '/tmp/renamed.txt')).toBe('note');
    const intoDir = await orc(o, ['-p', project, 'cp', join(local, 'note.txt'), 'web:/tmp'], { cwd: dir });
    expect(intoDir.code, explain(intoDir)).toBe(0);
    expect(await inContainer('cat', '/tmp/note.txt')).toBe('note');
    const tree = await orc(o, ['-p', project, 'cp', join(local, 'tree'), 'web:/tmp/copied'], { cwd: dir });
    expect(tree.code, explain(tree)).toBe(0);
    expect(await inContainer('cat', '/tmp/copied/deep/x.txt')).toBe('x');
    const treeInside = await orc(o, ['-p', project, 'cp', join(local, 'tree'), 'web:/tmp'], { cwd: dir });
    expect(treeInside.code, explain(treeInside)).toBe(0);
    expect(await inContainer('cat', '/tmp/tree/deep/x.txt')).toBe('x');
    // A destination that is a symlink to a directory is followed.
    const viaLink = await orc(o, ['-p', project, 'cp', join(local, 'note.txt'), 'web:/data/todir'], {
      cwd: dir,
    });
    expect(viaLink.code, explain(viaLink)).toBe(0);
    expect(await inContainer('cat', '/data/dir/note.txt')).toBe('note');
    // Names with the characters GNU tar's --transform and regular expressions care about.
    writeFileSync(join(local, 'we[i]r.d&,*$.txt'), 'odd\n');
    const odd = await orc(o, ['-p', project, 'cp', join(local, 'we[i]r.d&,*$.txt'), 'web:/tmp/a&b,[c].txt'], {
      cwd: dir,
    });
    expect(odd.code, explain(odd)).toBe(0);
    expect(await inContainer('cat', '/tmp/a&b,[c].txt')).toBe('odd');
    // Without -a the files belong to root in the container, whoever owns them here.
    expect(await inContainer('stat', '-c', '%u:%g', '/tmp/tree/deep/x.txt')).toBe('0:0');
  });

  it('`-` streams a tar to stdout, and reads one from stdin', async () => {
    const tarFile = join(o.dir, 'dir.tar');
    const outward = await shell(`cp web:/data/dir - > "${tarFile}"`);
    expect(outward.code, outward.stderr).toBe(0);
    const listing = (await run('tar', ['tf', tarFile])).stdout.split('\n');
    expect(listing).toEqual(expect.arrayContaining(['dir/', 'dir/a.txt', 'dir/sub/b.txt']));

    const staged = join(o.dir, 'staged');
    mkdirSync(staged, { recursive: true });
    writeFileSync(join(staged, 'piped.txt'), 'piped\n');
    const inTar = join(o.dir, 'in.tar');
    await run('tar', ['-cf', inTar, '-C', staged, 'piped.txt']);
    const inward = await shell(`cp - web:/tmp < "${inTar}"`);
    expect(inward.code, inward.stderr).toBe(0);
    expect(await inContainer('cat', '/tmp/piped.txt')).toBe('piped');
  });

  it('-L follows a symlink source (either way); --all copies to every replica; -a keeps the tar’s owners', async () => {
    const linked = await orc(o, ['-p', project, 'cp', '-L', 'web:/data/link', join(out, 'linked.txt')], {
      cwd: dir,
    });
    expect(linked.code, explain(linked)).toBe(0);
    expect(lstatSync(join(out, 'linked.txt')).isFile()).toBe(true);
    expect(readFileSync(join(out, 'linked.txt'), 'utf8')).toBe('hello\n');
    const asLink = await orc(o, ['-p', project, 'cp', 'web:/data/link', join(out, 'aslink')], { cwd: dir });
    expect(asLink.code, explain(asLink)).toBe(0);
    expect(lstatSync(join(out, 'aslink')).isSymbolicLink()).toBe(true);

    const local = join(o.dir, 'linkdir');
    mkdirSync(local, { recursive: true });
    writeFileSync(join(local, 'real.txt'), 'real\n');
    symlinkSync(join(local, 'real.txt'), join(local, 'alias.txt'));
    const followed = await orc(o, ['-p', project, 'cp', '-L', join(local, 'alias.txt'), 'web:/tmp'], {
      cwd: dir,
    });
    expect(followed.code, explain(followed)).toBe(0);
    expect(await inContainer('cat', '/tmp/alias.txt')).toBe('real');
    expect(await inContainer('ls', '-l', '/tmp/alias.txt')).toMatch(/^-/);

    const all = await orc(o, ['-p', project, 'cp', '--all', join(local, 'real.txt'), 'pair:/tmp'], {
      cwd: dir,
    });
    expect(all.code, explain(all)).toBe(0);
    for (const n of [1, 2]) {
      expect((await docker('exec', `${project}-pair-${n}`, 'cat', '/tmp/real.txt')).trim()).toBe('real');
    }

    const owned = join(o.dir, 'owned.tar');
    await run('tar', [
      '-cf',
      owned,
      '--owner=4321',
      '--group=4321',
      '--numeric-owner',
      '-C',
      local,
      'real.txt',
    ]);
    const keep = await shell(`cp -a - pair:/var < "${owned}"`);
    expect(keep.code, keep.stderr).toBe(0);
    expect((await docker('exec', `${project}-pair-1`, 'stat', '-c', '%u:%g', '/var/real.txt')).trim()).toBe(
      '4321:4321',
    );
    // Without --index a copy in reaches every replica (compose's rule); with it, that one only.
    const every = await orc(o, ['-p', project, 'cp', join(local, 'real.txt'), 'pair:/var/plain.txt'], {
      cwd: dir,
    });
    expect(every.code, explain(every)).toBe(0);
    const one = await orc(
      o,
      ['-p', project, 'cp', '--index', '2', join(local, 'real.txt'), 'pair:/var/two.txt'],
      {
        cwd: dir,
      },
    );
    expect(one.code, explain(one)).toBe(0);
    for (const n of [1, 2]) {
      expect((await docker('exec', `${project}-pair-${n}`, 'cat', '/var/plain.txt')).trim()).toBe('real');
    }
    expect((await docker('exec', `${project}-pair-2`, 'cat', '/var/two.txt')).trim()).toBe('real');
    await expect(docker('exec', `${project}-pair-1`, 'cat', '/var/two.txt')).rejects.toThrow();

    // A local file's owner goes with -a only; without it the files are root's (docker cp's rule).
    if (process.getuid?.() === 0) {
      chownSync(join(local, 'real.txt'), 4321, 4321);
      const plain = await orc(o, ['-p', project, 'cp', join(local, 'real.txt'), 'pair:/root'], { cwd: dir });
      expect(plain.code, explain(plain)).toBe(0);
      expect(
        (await docker('exec', `${project}-pair-1`, 'stat', '-c', '%u:%g', '/root/real.txt')).trim(),
      ).toBe('0:0');
      const kept = await orc(o, ['-p', project, 'cp', '-a', join(local, 'real.txt'), 'pair:/tmp'], {
        cwd: dir,
      });
      expect(kept.code, explain(kept)).toBe(0);
      expect((await docker('exec', `${project}-pair-1`, 'stat', '-c', '%u:%g', '/tmp/real.txt')).trim()).toBe(
        '4321:4321',
      );
    }
  });

  it('a missing path is a clear error, exit 1, both ways', async () => {
    const outMissing = await orc(o, ['-p', project, 'cp', 'web:/nope/missing.txt', out], { cwd: dir });
    expect(outMissing.code, explain(outMissing)).toBe(1);
    expect(outMissing.stderr).toContain('no such file or directory');
    expect(outMissing.stderr).toContain('/nope/missing.txt');
    const inMissing = await orc(o, ['-p', project, 'cp', join(o.dir, 'absent.txt'), 'web:/tmp'], {
      cwd: dir,
    });
    expect(inMissing.code, explain(inMissing)).toBe(1);
    expect(inMissing.stderr).toContain('no such file or directory');
    const destMissing = await orc(o, ['-p', project, 'cp', '-', 'web:/no/such/dir'], { cwd: dir });
    expect(destMissing.code, explain(destMissing)).toBe(1);
    expect(destMissing.stderr).toContain('/no/such/dir');
  });
});
