import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DesiredBuild } from '@orc/spec';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImageError, isImageError } from '../contract/image-errors.js';
import type { EngineBuildOptions, ImageEngine, LocalImage } from '../engine/images.js';
import type { ImageProgress } from './progress.js';
import { createImageService, type EnsureImageRequest } from './service.js';

/**
 * An in-memory engine: enough of the Engine's behaviour (tags → ids, pulls that can fail, builds that
 * consume the context and report messages) to exercise the service's decisions without Docker.
 */
function fakeEngine(opts: { pullable?: Record<string, string>; buildFails?: boolean } = {}) {
  const tags = new Map<string, string>();
  const calls: string[] = [];
  const buildArgs: Array<Record<string, string>> = [];
  let builds = 0;
  const norm = (ref: string) => (ref.includes(':', ref.lastIndexOf('/') + 1) ? ref : `${ref}:latest`);
  const info = (id: string): LocalImage => ({
    id,
    repoTags: [],
    repoDigests: [],
    labels: {},
    os: 'linux',
    architecture: 'amd64',
    created: '',
  });
  const engine: ImageEngine = {
    async inspect(ref) {
      const id = tags.get(norm(ref)) ?? (ref.startsWith('sha256:') ? ref : undefined);
      return id ? info(id) : undefined;
    },
    async pull(name, tag, auth, onMessage) {
      calls.push(`pull ${name}:${tag}${auth ? ' with auth' : ''}`);
      const id = opts.pullable?.[`${name}:${tag}`];
      if (!id) {
        throw new ImageError('IMAGE_NOT_FOUND', `pull ${name}:${tag}: no such image`, { registry: 'r' });
      }
      onMessage({ status: 'Downloading', id: 'layer1', progressDetail: { current: 1, total: 2 } });
      tags.set(`${name}:${tag}`, id);
    },
    async build(context, o: EngineBuildOptions, _auths, onMessage) {
      builds++;
      calls.push(
        `build ${o.tags.join(',')}${o.target ? ` target=${o.target}` : ''}${o.nocache ? ' nocache' : ''}${o.pull ? ' pull' : ''}`,
      );
      buildArgs.push({ ...o.buildargs });
      for await (const _ of context) {
        // consume the tar like the engine does
      }
      onMessage({ stream: 'Step 1/2 : FROM base\n' });
      onMessage({ stream: 'Step 2/2 : RUN make\n' });
      onMessage({ stream: 'make: *** broken\n' });
      if (opts.buildFails)
        throw new ImageError('BUILD_FAILED', "The command '/bin/sh -c make' returned a non-zero code: 2");
      const id = `sha256:built${builds}`;
      for (const t of o.tags) tags.set(norm(t), id);
      return id;
    },
    async tag(source, name, tag) {
      calls.push(`tag ${source} ${name}:${tag}`);
      tags.set(`${name}:${tag}`, tags.get(norm(source)) ?? source);
    },
    async push() {},
    async remove(ref) {
      calls.push(`remove ${ref}`);
      tags.delete(norm(ref));
    },
    async platform() {
      return { os: 'linux', architecture: 'x86_64' };
    },
  };
  return { engine, calls, tags, buildArgs, builds: () => builds };
}

let ctx: string;

beforeAll(async () => {
  ctx = await mkdtemp(join(tmpdir(), 'orc-svc-'));
  await writeFile(join(ctx, 'Dockerfile'), 'FROM base\nRUN make\n');
});

afterAll(async () => {
  await rm(ctx, { recursive: true, force: true });
});

function buildOf(extra: Partial<DesiredBuild> = {}): DesiredBuild {
  return {
    context: ctx,
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

function req(service: string, extra: Partial<EnsureImageRequest> = {}): EnsureImageRequest {
  const image = extra.image ?? `p-${service}`;
  return {
    service,
    image,
    pullPolicy: 'missing',
    project: 'p',
    env: {},
    ...extra,
    ...(extra.build
      ? { build: { ...extra.build, tags: extra.build.tags.length ? extra.build.tags : [image] } }
      : {}),
  };
}

describe('ensureImage', () => {
  it('uses a present image, pulls a missing one, builds a build-only one', async () => {
    const f = fakeEngine({ pullable: { 'reg.example/app:1': 'sha256:pulled' } });
    f.tags.set('reg.example/present:1', 'sha256:here');
    const images = createImageService({ engine: f.engine });
    const none = () => undefined;
    expect(await images.ensureImage(req('a', { image: 'reg.example/present:1' }), none)).toMatchObject({
      action: 'present',
      imageId: 'sha256:here',
    });
    expect(await images.ensureImage(req('b', { image: 'reg.example/app:1' }), none)).toMatchObject({
      action: 'pulled',
      imageId: 'sha256:pulled',
    });
    expect(await images.ensureImage(req('c', { pullPolicy: 'build', build: buildOf() }), none)).toMatchObject(
      { action: 'built', imageId: 'sha256:built1' },
    );
    expect(f.calls).toEqual(['pull reg.example/app:1', 'build p-c']);
  });

  it('falls back to building when a pull of an image it can build fails, and says so', async () => {
    const f = fakeEngine();
    const images = createImageService({ engine: f.engine });
    const progress: ImageProgress[] = [];
    const res = await images.ensureImage(
      req('web', { image: 'reg.example/web:2', pullPolicy: 'always', build: buildOf() }),
      (p) => progress.push(p),
    );
    expect(res.action).toBe('built');
    expect(res.warnings.join('\n')).toContain('building it instead');
    expect(progress.some((p) => p.state === 'warning')).toBe(true);
    expect(f.calls).toEqual(['pull reg.example/web:2', 'build reg.example/web:2']);
  });

  it('a build failure names the step and shows its output', async () => {
    const f = fakeEngine({ buildFails: true });
    const images = createImageService({ engine: f.engine });
    try {
      await images.ensureImage(req('web', { pullPolicy: 'build', build: buildOf() }), () => undefined);
      expect.unreachable();
    } catch (err) {
      expect(isImageError(err, 'BUILD_FAILED')).toBe(true);
      const e = err as ImageError;
      expect(e.message).toContain('service web: build failed at Step 2/2 : RUN make');
      expect(e.message).toContain('make: *** broken');
      expect(e.details).toMatchObject({
        service: 'web',
        step: 'Step 2/2 : RUN make',
        output: ['make: *** broken'],
      });
    }
  });

  it('concurrent identical builds run once; each service gets its own tag', async () => {
    const f = fakeEngine();
    const images = createImageService({ engine: f.engine });
    const results = await Promise.all(
      ['one', 'two', 'three'].map((s) =>
        images.ensureImage(req(s, { pullPolicy: 'build', build: buildOf({ target: 't' }) }), () => undefined),
      ),
    );
    expect(f.builds()).toBe(1);
    expect(new Set(results.map((r) => r.imageId))).toEqual(new Set(['sha256:built1']));
    expect(f.tags.get('p-two:latest')).toBe('sha256:built1');
    expect(f.tags.get('p-three:latest')).toBe('sha256:built1');
  });

  it('different args are different builds', async () => {
    const f = fakeEngine();
    const images = createImageService({ engine: f.engine });
    await Promise.all([
      images.ensureImage(
        req('a', { pullPolicy: 'build', build: buildOf({ args: { V: '1' } }) }),
        () => undefined,
      ),
      images.ensureImage(
        req('b', { pullPolicy: 'build', build: buildOf({ args: { V: '2' } }) }),
        () => undefined,
      ),
    ]);
    expect(f.builds()).toBe(2);
  });

  it('refuses a foreign platform before building', async () => {
    const f = fakeEngine();
    const images = createImageService({ engine: f.engine });
    await expect(
      images.ensureImage(
        req('a', { build: buildOf({ platforms: ['linux/amd64', 'linux/arm64'] }) }),
        () => undefined,
      ),
    ).rejects.toMatchObject({
      code: 'PLATFORM_UNSUPPORTED',
      message: expect.stringContaining('linux/arm64'),
    });
    // x86_64 is amd64: the engine's own platform is accepted.
    await images.ensureImage(req('b', { build: buildOf({ platforms: ['linux/amd64'] }) }), () => undefined);
    expect(f.builds()).toBe(1);
  });
});

describe('build args', () => {
  it('args without a value come from the client env when set there, never override a given value', async () => {
    const f = fakeEngine();
    const images = createImageService({ engine: f.engine });
    await images.ensureImage(
      req('a', {
        pullPolicy: 'build',
        build: buildOf({ args: { GIVEN: 'file' }, args_from_env: ['FROM_ENV', 'UNSET', 'GIVEN'] }),
        env: { FROM_ENV: 'client', GIVEN: 'client', HOME: '/h' },
      }),
      () => undefined,
    );
    expect(f.buildArgs).toEqual([{ GIVEN: 'file', FROM_ENV: 'client' }]);
  });
});

describe('build overrides', () => {
  it('--no-cache and --pull override the build section, and make a different build', async () => {
    const f = fakeEngine();
    const images = createImageService({ engine: f.engine });
    await Promise.all([
      images.ensureImage(req('a', { pullPolicy: 'build', build: buildOf() }), () => undefined),
      images.ensureImage(
        req('b', { pullPolicy: 'build', build: buildOf(), buildOverrides: { noCache: true, pull: true } }),
        () => undefined,
      ),
    ]);
    expect(f.calls.sort()).toEqual(['build p-a', 'build p-b nocache pull']);
  });
});

describe('removeImages', () => {
  it('local removes only build-only images; all removes every service image', async () => {
    const f = fakeEngine();
    f.tags.set('p-web:latest', 'sha256:w');
    f.tags.set('reg.example/db:1', 'sha256:d');
    const images = createImageService({ engine: f.engine });
    const reqs = [req('web', { build: buildOf() }), req('db', { image: 'reg.example/db:1' })];
    expect((await images.removeImages(reqs, 'local', () => undefined)).removed).toEqual(['p-web']);
    f.tags.set('p-web:latest', 'sha256:w');
    expect((await images.removeImages(reqs, 'all', () => undefined)).removed.sort()).toEqual([
      'p-web',
      'reg.example/db:1',
    ]);
  });
});

describe('pushImage (the Swarm target: every node pulls what the manager built)', () => {
  it('pushes with the client’s credentials for the image’s registry and answers the digest', async () => {
    const home = await mkdtemp(join(tmpdir(), 'orc-push-'));
    try {
      await writeFile(
        join(home, 'config.json'),
        JSON.stringify({ auths: { 'reg.example:5000': { auth: Buffer.from('ci:pw').toString('base64') } } }),
      );
      const f = fakeEngine();
      const pushed: string[] = [];
      f.engine.push = async (name, tag, auth, onMessage) => {
        pushed.push(`${name}:${tag} as ${auth?.username ?? 'nobody'}@${auth?.serveraddress ?? ''}`);
        onMessage({ status: 'Pushed', id: 'layer1' });
        onMessage({ status: '1: digest: sha256:feed size: 527' });
        onMessage({ aux: { Tag: tag, Digest: `sha256:${'fe'.repeat(32)}`, Size: 527 } });
      };
      const images = createImageService({ engine: f.engine });
      const progress: ImageProgress[] = [];
      const r = await images.pushImage(
        req('web', { image: 'reg.example:5000/team/web:1', env: { DOCKER_CONFIG: home } }),
        (p) => progress.push(p),
      );
      expect(pushed).toEqual(['reg.example:5000/team/web:1 as ci@reg.example:5000']);
      expect(r.digest).toBe(`sha256:${'fe'.repeat(32)}`);
      expect(r.pinned).toBe(`reg.example:5000/team/web:1@sha256:${'fe'.repeat(32)}`);
      expect(progress.at(-1)).toMatchObject({ action: 'push', state: 'done' });
      // The same credentials are what a service create forwards to the nodes.
      expect(await images.authFor('reg.example:5000/team/web:1', { DOCKER_CONFIG: home })).toEqual({
        serveraddress: 'reg.example:5000',
        username: 'ci',
        password: 'pw',
      });
      expect(await images.authFor('other.example/web:1', { DOCKER_CONFIG: home })).toBeUndefined();
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });

  it('takes the digest from the image when the stream names none, and fails clearly without one', async () => {
    const f = fakeEngine({ pullable: { 'reg:5000/web:1': 'sha256:img1' } });
    const images = createImageService({ engine: f.engine });
    await images.ensureImage(req('web', { image: 'reg:5000/web:1' }), () => undefined);
    await expect(
      images.pushImage(req('web', { image: 'reg:5000/web:1' }), () => undefined),
    ).rejects.toMatchObject({ code: 'PUSH_FAILED' });
    const inspect = f.engine.inspect;
    f.engine.inspect = async (ref) => {
      const info = await inspect(ref);
      return info && { ...info, repoDigests: ['reg:5000/other@sha256:aa', 'reg:5000/web@sha256:bb'] };
    };
    expect((await images.pushImage(req('web', { image: 'reg:5000/web:1' }), () => undefined)).pinned).toBe(
      'reg:5000/web:1@sha256:bb',
    );
    expect(await images.localDigest('reg:5000/web:1')).toEqual({ id: 'sha256:img1', digest: 'sha256:bb' });
    expect(await images.localDigest('reg:5000/absent:1')).toBeUndefined();
  });
});
