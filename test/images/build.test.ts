import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DesiredBuild } from '@orc/spec';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDockerClient } from '../../apps/daemon/src/engine/client.js';
import { createImageEngine } from '../../apps/daemon/src/engine/images.js';
import {
  createImageService,
  type EnsureImageRequest,
  type ImageProgress,
  isImageError,
} from '../../apps/daemon/src/images/index.js';
import { docker, FIXTURE_IMAGE, uniqueProject } from '../support/engine.js';

const engine = createImageEngine(createDockerClient());
const project = uniqueProject('img-build');
let root: string;
/** Tags and ids the tests made: removed afterwards, even on failure (never the fixture). */
const made = new Set<string>();

function buildOf(context: string, extra: Partial<DesiredBuild> = {}): DesiredBuild {
  return {
    context,
    args: {},
    labels: {},
    extra_hosts: [],
    cache_from: [],
    no_cache: false,
    pull: false,
    tags: [],
    platforms: [],
    ...extra,
  };
}

function request(
  service: string,
  build: DesiredBuild,
  extra: Partial<EnsureImageRequest> = {},
): EnsureImageRequest {
  const image = `${project}-${service}`;
  made.add(image);
  for (const t of build.tags) made.add(t);
  return {
    service,
    image,
    pullPolicy: 'build',
    project,
    build: { ...build, tags: build.tags.length ? build.tags : [image] },
    env: {},
    ...extra,
  };
}

async function context(name: string, files: Record<string, string>): Promise<string> {
  const dir = join(root, name);
  for (const [path, content] of Object.entries(files)) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), content);
  }
  return dir;
}

/** Runs a command in a throwaway container of the image and returns its output. */
async function runIn(image: string, script: string): Promise<string> {
  return docker('run', '--rm', image, 'sh', '-c', script);
}

async function expectError(p: Promise<unknown>, code: string): Promise<Error> {
  try {
    await p;
  } catch (err) {
    expect(isImageError(err)).toBe(true);
    expect((err as { code: string }).code).toBe(code);
    return err as Error;
  }
  throw new Error(`expected ${code}, but it succeeded`);
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'orc-img-build-'));
});

afterAll(async () => {
  // Never the fixture: a build step that added nothing to it (FROM) has its id. Names are untagged;
  // ids (full or short) are removed only when they resolve to something else.
  const fixtureId = await docker('image', 'inspect', '--format', '{{.Id}}', FIXTURE_IMAGE);
  for (const ref of made) {
    const id = await docker('image', 'inspect', '--format', '{{.Id}}', ref).catch(() => '');
    if (!id) continue;
    const isId = /^(sha256:)?[0-9a-f]{12,64}$/.test(ref);
    if (isId && id === fixtureId) continue;
    await docker('rmi', ...(isId ? ['-f'] : []), ref).catch(() => undefined);
  }
  await rm(root, { recursive: true, force: true });
});

describe('ensureImage: build', () => {
  it('builds FROM the fixture with args, target and labels; the result has them', async () => {
    const dir = await context('args', {
      Dockerfile: [
        `FROM ${FIXTURE_IMAGE} AS base`,
        'ARG GREETING',
        'ARG FROM_ENV',
        'RUN echo "$GREETING" > /greeting && echo "$FROM_ENV" > /from-env',
        'FROM base AS extra',
        'RUN echo extra > /extra',
        '',
      ].join('\n'),
    });
    const progress: ImageProgress[] = [];
    const images = createImageService({ engine });
    const res = await images.ensureImage(
      request(
        'args',
        buildOf(dir, { args: { GREETING: 'hello orc' }, target: 'base', labels: { 'dev.orc.test': 'yes' } }),
        { envArgs: ['FROM_ENV'], env: { FROM_ENV: 'from the client' } },
      ),
      (p) => progress.push(p),
    );
    made.add(res.imageId);
    expect(res.action).toBe('built');
    const image = `${project}-args`;
    expect(await docker('image', 'inspect', '--format', '{{.Id}}', image)).toBe(res.imageId);
    expect(
      await runIn(image, 'cat /greeting /from-env; test -e /extra && echo has-extra || echo no-extra'),
    ).toBe('hello orc\nfrom the client\nno-extra');
    expect(
      await docker('image', 'inspect', '--format', '{{index .Config.Labels "dev.orc.test"}}', image),
    ).toBe('yes');
    expect(progress.some((p) => p.action === 'build' && p.status?.startsWith('Step '))).toBe(true);
  });

  it('leaves out what .dockerignore lists (and keeps its exceptions); symlinks stay links', async () => {
    const dir = await context('ignore', {
      Dockerfile: `FROM ${FIXTURE_IMAGE}\nCOPY . /ctx\n`,
      '.dockerignore': 'secret.txt\nlogs\n*.tmp\n!keep.tmp\n',
      'secret.txt': 'do not ship',
      'logs/app.log': 'noise',
      'a.tmp': 'tmp',
      'keep.tmp': 'kept',
      'app.txt': 'the app',
    });
    await symlink('/etc/passwd', join(dir, 'outside-link'));
    const images = createImageService({ engine });
    const res = await images.ensureImage(request('ignore', buildOf(dir)), () => undefined);
    made.add(res.imageId);
    const listing = await runIn(`${project}-ignore`, 'cd /ctx && ls -A | sort; readlink outside-link');
    expect(listing.split('\n')).toEqual([
      '.dockerignore',
      'Dockerfile',
      'app.txt',
      'keep.tmp',
      'outside-link',
      '/etc/passwd',
    ]);
  });

  it('a changed Dockerfile gives a new image id; an unchanged one keeps it', async () => {
    const dir = await context('change', { Dockerfile: `FROM ${FIXTURE_IMAGE}\nRUN echo one > /v\n` });
    const images = createImageService({ engine });
    const first = await images.ensureImage(request('change', buildOf(dir)), () => undefined);
    made.add(first.imageId);
    const same = await images.ensureImage(
      request('change', buildOf(dir), { forceBuild: true }),
      () => undefined,
    );
    expect(same.imageId).toBe(first.imageId);
    await writeFile(join(dir, 'Dockerfile'), `FROM ${FIXTURE_IMAGE}\nRUN echo two > /v\n`);
    const second = await images.ensureImage(
      request('change', buildOf(dir), { forceBuild: true }),
      () => undefined,
    );
    made.add(second.imageId);
    expect(second.action).toBe('built');
    expect(second.imageId).not.toBe(first.imageId);
    expect(await runIn(`${project}-change`, 'cat /v')).toBe('two');
  });

  it('dockerfile_inline builds without a Dockerfile on disk', async () => {
    const dir = await context('inline', { 'data.txt': 'inline data' });
    const images = createImageService({ engine });
    const res = await images.ensureImage(
      request('inline', buildOf(dir, { dockerfile_inline: `FROM ${FIXTURE_IMAGE}\nCOPY . /ctx\n` })),
      () => undefined,
    );
    made.add(res.imageId);
    // The Dockerfile orc added to the context is not part of `COPY .` (nor is the .dockerignore naming it).
    expect(await runIn(`${project}-inline`, 'cd /ctx && ls -A; cat data.txt')).toBe('data.txt\ninline data');
  });

  it('a failing step is named, with its output', async () => {
    const dir = await context('fail', {
      Dockerfile: `FROM ${FIXTURE_IMAGE}\nRUN echo preparing\nRUN echo about to break >&2; exit 7\n`,
    });
    const images = createImageService({ engine });
    const progress: ImageProgress[] = [];
    const err = await expectError(
      images.ensureImage(request('fail', buildOf(dir)), (p) => progress.push(p)),
      'BUILD_FAILED',
    );
    // The steps that worked stay as cache images (` ---> <id>`): ours to remove afterwards.
    for (const p of progress) {
      const m = / ---> ([0-9a-f]{12})$/.exec(p.message ?? '');
      if (m?.[1]) made.add(m[1]);
    }
    expect(err.message).toContain('Step 3/3 : RUN echo about to break');
    expect(err.message).toContain('about to break');
    expect(err.message).toContain('non-zero code: 7');
    expect(err.message).not.toContain('preparing');
  });

  it('services sharing one build are built once and each gets its name', async () => {
    const dir = await context('shared', { Dockerfile: `FROM ${FIXTURE_IMAGE}\nRUN echo shared > /s\n` });
    const progress: ImageProgress[] = [];
    const images = createImageService({ engine });
    const reqs = ['one', 'two', 'three'].map((s) =>
      request(`shared-${s}`, buildOf(dir), { forceBuild: true }),
    );
    const out = await images.buildImages(reqs, (p) => progress.push(p));
    expect(out.failures).toEqual([]);
    const ids = new Set(out.results.map((r) => r.imageId));
    expect(ids.size).toBe(1);
    for (const r of out.results) {
      made.add(r.imageId);
      expect(await docker('image', 'inspect', '--format', '{{.Id}}', r.image)).toBe(r.imageId);
    }
    const stepOnes = progress.filter((p) => p.action === 'build' && p.message?.startsWith('Step 1/2'));
    expect(stepOnes).toHaveLength(1);
  });

  it('refuses git contexts, missing contexts and foreign platforms clearly', async () => {
    const images = createImageService({ engine });
    const git = await expectError(
      images.ensureImage(request('git', buildOf('https://github.com/o/r.git#main')), () => undefined),
      'NOT_SUPPORTED',
    );
    expect(git.message).toContain('not supported yet');
    await expectError(
      images.ensureImage(request('nodir', buildOf(join(root, 'does-not-exist'))), () => undefined),
      'BUILD_CONTEXT',
    );
    const dir = await context('platform', { Dockerfile: `FROM ${FIXTURE_IMAGE}\n` });
    const plat = await expectError(
      images.ensureImage(request('platform', buildOf(dir, { platforms: ['linux/s390x'] })), () => undefined),
      'PLATFORM_UNSUPPORTED',
    );
    expect(plat.message).toContain('linux/s390x');
  });
});
