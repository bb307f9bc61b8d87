import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
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
import { startRegistry, type TestRegistry } from '../support/registry.js';

const engine = createImageEngine(createDockerClient());
const project = uniqueProject('img-batch');
let open: TestRegistry;
let secured: TestRegistry;
let dir: string;
const made = new Set<string>();
const creds = { username: 'helper-user', password: 'helper-pass-123' };

async function pushCopy(registry: TestRegistry, repo: string, tag: string, auth?: typeof creds) {
  const ref = `${registry.host}/${repo}:${tag}`;
  made.add(ref);
  await docker('tag', FIXTURE_IMAGE, ref);
  await engine.push(
    `${registry.host}/${repo}`,
    tag,
    auth ? { serveraddress: registry.host, ...auth } : undefined,
    () => undefined,
  );
  await docker('rmi', ref);
  return ref;
}

function request(
  service: string,
  image: string,
  extra: Partial<EnsureImageRequest> = {},
): EnsureImageRequest {
  made.add(image);
  return { service, image, pullPolicy: 'missing', project, env: {}, ...extra };
}

function buildOf(context: string, tags: string[]): DesiredBuild {
  return {
    context,
    args: {},
    labels: {},
    extra_hosts: [],
    cache_from: [],
    no_cache: false,
    pull: false,
    tags,
    platforms: [],
  };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'orc-img-batch-'));
  [open, secured] = await Promise.all([
    startRegistry(),
    startRegistry({ auth: { username: creds.username, password: creds.password } }),
  ]);
});

afterAll(async () => {
  for (const ref of made) await docker('rmi', '-f', ref).catch(() => undefined);
  await Promise.all([open?.stop(), secured?.stop()]);
  await rm(dir, { recursive: true, force: true });
});

describe('pull policies over time', () => {
  it('every_<duration> pulls again once the last pull is older, and records it in the pull log', async () => {
    const ref = await pushCopy(open, `${project}/refresh`, '1');
    const logPath = join(dir, 'state', 'pulls.json');
    let clock = Date.parse('2026-01-01T00:00:00Z');
    const images = createImageService({ engine, pullLogPath: logPath, now: () => clock });
    const req = request('refresh', ref, { pullPolicy: 'every_1h' });
    expect((await images.ensureImage(req, () => undefined)).action).toBe('pulled');
    const log = JSON.parse(await readFile(logPath, 'utf8')) as Record<string, string>;
    expect(log[ref]).toBe('2026-01-01T00:00:00.000Z');
    clock += 30 * 60_000;
    expect((await images.ensureImage(req, () => undefined)).action).toBe('present');
    clock += 31 * 60_000;
    expect((await images.ensureImage(req, () => undefined)).action).toBe('pulled');
    // A new service instance (daemon restart) reads the log back.
    const restarted = createImageService({ engine, pullLogPath: logPath, now: () => clock + 60_000 });
    expect((await restarted.ensureImage(req, () => undefined)).action).toBe('present');
  });
});

describe('ensureImages', () => {
  it('a service naming an image another service builds waits for that build instead of pulling', async () => {
    const ctx = join(dir, 'shared-ctx');
    await mkdir(ctx, { recursive: true });
    await writeFile(join(ctx, 'Dockerfile'), `FROM ${FIXTURE_IMAGE}\nRUN echo built > /b\n`);
    // Nothing serves this registry: a pull would fail.
    const image = `127.0.0.1:1/${project}/app:1`;
    const images = createImageService({ engine });
    const out = await images.ensureImages(
      [request('worker', image), request('web', image, { build: buildOf(ctx, [image]) })],
      () => undefined,
    );
    expect(out.failures).toEqual([]);
    const byService = Object.fromEntries(out.results.map((r) => [r.service, r]));
    expect(byService.web?.action).toBe('built');
    expect(byService.worker?.imageId).toBe(byService.web?.imageId);
  });
});

describe('pullImages', () => {
  it('pulls in parallel, reports each failure, and skips build-only images', async () => {
    const a = await pushCopy(open, `${project}/a`, '1');
    const b = await pushCopy(open, `${project}/b`, '1');
    const progress: ImageProgress[] = [];
    const images = createImageService({ engine });
    const out = await images.pullImages(
      [
        request('a', a),
        request('b', b),
        request('gone', `${open.host}/${project}/gone:1`),
        request('built', `${project}-built`, {
          build: buildOf(dir, [`${project}-built`]),
          pullPolicy: 'build',
        }),
      ],
      (p) => progress.push(p),
      undefined,
      { ignoreFailures: true, parallel: 2 },
    );
    expect(out.results.map((r) => r.service).sort()).toEqual(['a', 'b']);
    expect(out.failures.map((f) => [f.service, f.error.code])).toEqual([['gone', 'IMAGE_NOT_FOUND']]);
    expect(progress.some((p) => p.service === 'built' && p.state === 'skipped')).toBe(true);
    expect(progress.some((p) => p.service === 'gone' && p.state === 'warning')).toBe(true);
  });
});

describe('credential helpers', () => {
  it('pulls from an authenticated registry with credentials from a docker-credential helper', async () => {
    const ref = await pushCopy(secured, `${project}/helped`, '1', creds);
    const bin = join(dir, 'bin');
    await mkdir(bin, { recursive: true });
    const helper = join(bin, 'docker-credential-orctest');
    await writeFile(
      helper,
      `#!/bin/sh\nread server\n[ "$server" = "${secured.host}" ] || { echo "credentials not found in native keychain"; exit 1; }\necho '{"ServerURL":"${secured.host}","Username":"${creds.username}","Secret":"${creds.password}"}'\n`,
    );
    await chmod(helper, 0o755);
    const config = join(dir, 'docker-config');
    await mkdir(config, { recursive: true });
    await writeFile(
      join(config, 'config.json'),
      JSON.stringify({ credHelpers: { [secured.host]: 'orctest' } }),
    );
    const progress: ImageProgress[] = [];
    const images = createImageService({ engine, helperPath: bin });
    const res = await images.ensureImage(request('helped', ref, { env: { DOCKER_CONFIG: config } }), (p) =>
      progress.push(p),
    );
    expect(res.action).toBe('pulled');
    expect(JSON.stringify(progress)).not.toContain(creds.password);
  });
});

describe('build FROM a private registry', () => {
  it('sends the docker config credentials with the build, so FROM can pull', async () => {
    const base = await pushCopy(secured, `${project}/base`, '1', creds);
    const ctx = join(dir, 'private-from');
    await mkdir(ctx, { recursive: true });
    await writeFile(join(ctx, 'Dockerfile'), `FROM ${base}\nRUN echo from-private > /p\n`);
    const config = join(dir, 'private-config');
    await mkdir(config, { recursive: true });
    const auth = Buffer.from(`${creds.username}:${creds.password}`).toString('base64');
    await writeFile(join(config, 'config.json'), JSON.stringify({ auths: { [secured.host]: { auth } } }));
    const image = `${project}-private`;
    made.add(base);
    const images = createImageService({ engine });
    const progress: ImageProgress[] = [];
    const res = await images.ensureImage(
      request('private', image, { build: buildOf(ctx, [image]), env: { DOCKER_CONFIG: config } }),
      (p) => progress.push(p),
    );
    expect(res.action).toBe('built');
    expect(await docker('run', '--rm', image, 'cat', '/p')).toBe('from-private');
    expect(JSON.stringify(progress)).not.toContain(creds.password);
  });
});

describe('cancellation', () => {
  it('an aborted signal stops the work with CANCELLED', async () => {
    const ref = await pushCopy(open, `${project}/cancel`, '1');
    const images = createImageService({ engine });
    const ctl = new AbortController();
    ctl.abort();
    try {
      await images.ensureImage(request('cancel', ref), () => undefined, ctl.signal);
      expect.unreachable();
    } catch (err) {
      expect(isImageError(err, 'CANCELLED')).toBe(true);
    }
  });
});
