import { mkdir, mkdtemp, readdir, readFile, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { DesiredBuild } from '@orc/spec';
import { type ExtractOptions, extract } from 'tar-fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isImageError } from '../contract/image-errors.js';
import { createBuildContext, listContextFiles, parseIgnoreFile } from './context.js';

let root: string;

function buildOf(context: string, extra: Partial<DesiredBuild> = {}): DesiredBuild {
  return {
    context,
    args: {},
    labels: {},
    extra_hosts: [],
    cache_from: [],
    no_cache: false,
    pull: false,
    tags: ['x'],
    platforms: [],
    ...extra,
  };
}

async function tree(name: string, files: Record<string, string>): Promise<string> {
  const dir = join(root, name);
  for (const [path, content] of Object.entries(files)) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), content);
  }
  return dir;
}

/** Unpacks the context tar and lists what arrived. */
async function unpack(build: DesiredBuild): Promise<{ dir: string; files: string[]; dockerfile: string }> {
  const ctx = await createBuildContext(build, 'svc');
  const out = await mkdtemp(join(root, 'out-'));
  // Let links pointing outside through: the test checks they arrive as links, not as the files they name.
  const opts: ExtractOptions & { validateSymlinks: boolean } = { validateSymlinks: false };
  await pipeline(ctx.stream, extract(out, opts));
  const files = (await readdir(out, { recursive: true })).map((f) => f.toString()).sort();
  return { dir: out, files, dockerfile: ctx.dockerfile };
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'orc-ctx-'));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('parseIgnoreFile', () => {
  it('drops comments and blanks, normalises leading / and ./, keeps exceptions', () => {
    expect(parseIgnoreFile('# c\n\n/abs\n./dot\n!keep\n  spaced  \nd/../e\n')).toEqual([
      'abs',
      'dot',
      '!keep',
      'spaced',
      'e',
    ]);
  });
});

describe('listContextFiles', () => {
  it('honours patterns, exceptions inside ignored dirs, and kept files', async () => {
    const dir = await tree('list', {
      'a.txt': '',
      'node_modules/m/index.js': '',
      'docs/private/x.md': '',
      'docs/public/y.md': '',
      'build/Dockerfile': '',
      'build/other': '',
    });
    expect(
      await listContextFiles(dir, ['node_modules', 'docs', '!docs/public', 'build'], ['build/Dockerfile']),
    ).toEqual(['a.txt', 'build', 'build/Dockerfile', 'docs', 'docs/public', 'docs/public/y.md']);
  });
});

describe('createBuildContext', () => {
  it('sends the context without ignored files, the Dockerfile even when ignored, symlinks as links', async () => {
    const dir = await tree('ctx', {
      Dockerfile: 'FROM scratch\n',
      '.dockerignore': 'Dockerfile\n.env\nsecrets/\n',
      '.env': 'TOKEN=1',
      'secrets/key': 'k',
      'src/main.js': 'main',
    });
    await symlink('/etc/shadow', join(dir, 'escape'));
    const { dir: out, files, dockerfile } = await unpack(buildOf(dir));
    expect(dockerfile).toBe('Dockerfile');
    expect(files).toEqual(['.dockerignore', 'Dockerfile', 'escape', 'src', 'src/main.js']);
    expect(await readlink(join(out, 'escape'))).toBe('/etc/shadow');
  });

  it('prefers <Dockerfile>.dockerignore next to the Dockerfile', async () => {
    const dir = await tree('specific', {
      '.dockerignore': 'a.txt\n',
      'docker/app.Dockerfile': 'FROM scratch\n',
      'docker/app.Dockerfile.dockerignore': 'b.txt\n',
      'a.txt': 'a',
      'b.txt': 'b',
    });
    const { files, dockerfile } = await unpack(buildOf(dir, { dockerfile: 'docker/app.Dockerfile' }));
    expect(dockerfile).toBe('docker/app.Dockerfile');
    expect(files).toContain('a.txt');
    expect(files).not.toContain('b.txt');
  });

  it('adds dockerfile_inline (and a Dockerfile outside the context) under a content-derived name', async () => {
    const dir = await tree('inline', { 'f.txt': 'f' });
    const inline = await unpack(buildOf(dir, { dockerfile_inline: 'FROM scratch\nCOPY f.txt /\n' }));
    expect(inline.dockerfile).toMatch(/^\.orc-dockerfile-[0-9a-f]{16}$/);
    expect(await readFile(join(inline.dir, inline.dockerfile), 'utf8')).toBe('FROM scratch\nCOPY f.txt /\n');
    // The engine drops what .dockerignore names from `COPY .`: our Dockerfile, and the file we made.
    expect(await readFile(join(inline.dir, '.dockerignore'), 'utf8')).toBe(
      `.dockerignore\n${inline.dockerfile}\n`,
    );
    const again = await createBuildContext(
      buildOf(dir, { dockerfile_inline: 'FROM scratch\nCOPY f.txt /\n' }),
      's',
    );
    again.stream.destroy();
    expect(again.dockerfile).toBe(inline.dockerfile);

    await tree('outside-df', { 'Dockerfile.out': 'FROM scratch\n' });
    const outside = await unpack(buildOf(dir, { dockerfile: '../outside-df/Dockerfile.out' }));
    expect(outside.files).toContain(outside.dockerfile);
    expect(await readFile(join(outside.dir, outside.dockerfile), 'utf8')).toBe('FROM scratch\n');
  });

  it('refuses remote contexts, a missing context and a missing Dockerfile with located messages', async () => {
    for (const [context, code] of [
      ['git@github.com:o/r.git', 'NOT_SUPPORTED'],
      [join(root, 'missing'), 'BUILD_CONTEXT'],
      [await tree('nodf', { 'x.txt': '' }), 'BUILD_CONTEXT'],
    ] as const) {
      try {
        const ctx = await createBuildContext(buildOf(context), 'svc');
        ctx.stream.destroy();
        expect.unreachable(`${context} was accepted`);
      } catch (err) {
        expect(isImageError(err, code)).toBe(true);
        expect((err as Error).message).toContain('service svc');
      }
    }
  });
});
