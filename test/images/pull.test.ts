import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
const project = uniqueProject('img-pull');
let open: TestRegistry;
let secured: TestRegistry;
let home: string;
/** Every local tag a test made: removed afterwards, even on failure (never the fixture itself). */
const made = new Set<string>();

async function pushCopy(registry: TestRegistry, repo: string, tag: string, auth?: Record<string, string>) {
  const ref = `${registry.host}/${repo}:${tag}`;
  made.add(ref);
  await docker('tag', FIXTURE_IMAGE, ref);
  const creds = auth
    ? { serveraddress: registry.host, username: auth.username, password: auth.password }
    : undefined;
  await engine.push(`${registry.host}/${repo}`, tag, creds, () => undefined);
  await docker('rmi', ref);
  return ref;
}

function request(image: string, extra: Partial<EnsureImageRequest> = {}): EnsureImageRequest {
  return { service: 'app', image, pullPolicy: 'missing', project, env: { HOME: home }, ...extra };
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
  home = await mkdtemp(join(tmpdir(), 'orc-img-home-'));
  [open, secured] = await Promise.all([
    startRegistry(),
    startRegistry({ auth: { username: 'orc', password: 's3cret-pass' } }),
  ]);
});

afterAll(async () => {
  for (const ref of made) await docker('rmi', '-f', ref).catch(() => undefined);
  await Promise.all([open?.stop(), secured?.stop()]);
  await rm(home, { recursive: true, force: true });
});

describe('ensureImage: pull from a local registry', () => {
  it('pulls an image that is missing locally, with per-layer progress, and returns its id', async () => {
    const ref = await pushCopy(open, `${project}/bb`, '1');
    const progress: ImageProgress[] = [];
    const images = createImageService({ engine });
    const res = await images.ensureImage(request(ref), (p) => progress.push(p));
    expect(res.action).toBe('pulled');
    expect(res.imageId).toBe(await docker('image', 'inspect', '--format', '{{.Id}}', ref));
    expect(res.imageId).toBe(await docker('image', 'inspect', '--format', '{{.Id}}', FIXTURE_IMAGE));
    expect(progress.some((p) => p.action === 'pull' && p.layer && p.status)).toBe(true);
    // Present now: the default policy uses it without pulling again.
    const again = await images.ensureImage(request(ref), () => undefined);
    expect(again).toMatchObject({ action: 'present', imageId: res.imageId });
  });

  it('passes the service platform to the pull (the engine accepts it for its own platform)', async () => {
    const ref = await pushCopy(open, `${project}/plat`, '1');
    const images = createImageService({ engine });
    const res = await images.ensureImage(request(ref, { platform: 'linux/amd64' }), () => undefined);
    expect(res.action).toBe('pulled');
  });

  it('pull_policy never with a missing image fails clearly', async () => {
    const images = createImageService({ engine });
    const ref = `${open.host}/${project}/never:1`;
    const err = await expectError(
      images.ensureImage(request(ref, { pullPolicy: 'never' }), () => undefined),
      'IMAGE_MISSING',
    );
    expect(err.message).toContain(ref);
    expect(err.message).toContain('pull_policy is never');
  });

  it('a missing tag and a missing repository say so', async () => {
    await pushCopy(open, `${project}/tagged`, '1');
    const images = createImageService({ engine });
    const e1 = await expectError(
      images.ensureImage(request(`${open.host}/${project}/tagged:nope`), () => undefined),
      'IMAGE_NOT_FOUND',
    );
    expect(e1.message).toContain(`registry ${open.host}`);
    await expectError(
      images.ensureImage(request(`${open.host}/${project}/absent:1`), () => undefined),
      'IMAGE_NOT_FOUND',
    );
  });

  it('an unreachable registry says it cannot reach it', async () => {
    const images = createImageService({ engine });
    // Port 1 on loopback: nothing listens there.
    const err = await expectError(
      images.ensureImage(request('127.0.0.1:1/x/y:1'), () => undefined),
      'REGISTRY_UNREACHABLE',
    );
    expect(err.message).toContain('127.0.0.1:1');
  });
});

describe('ensureImage: registry auth', () => {
  it('without credentials the failure names the registry', async () => {
    const images = createImageService({ engine });
    const ref = `${secured.host}/${project}/private:1`;
    const err = await expectError(
      images.ensureImage(request(ref), () => undefined),
      'REGISTRY_AUTH',
    );
    expect(err.message).toContain(secured.host);
  });

  it('pulls with credentials from a temp DOCKER_CONFIG, and never shows them', async () => {
    const creds = { username: 'orc', password: 's3cret-pass' };
    const ref = await pushCopy(secured, `${project}/private`, '2', creds);
    const configDir = await mkdtemp(join(tmpdir(), 'orc-docker-config-'));
    try {
      const auth = Buffer.from(`${creds.username}:${creds.password}`).toString('base64');
      await writeFile(
        join(configDir, 'config.json'),
        JSON.stringify({ auths: { [secured.host]: { auth } } }),
      );
      const progress: ImageProgress[] = [];
      const images = createImageService({ engine });
      const res = await images.ensureImage(request(ref, { env: { DOCKER_CONFIG: configDir } }), (p) =>
        progress.push(p),
      );
      expect(res.action).toBe('pulled');
      expect(JSON.stringify(progress)).not.toContain(creds.password);
      expect(JSON.stringify(res)).not.toContain(creds.password);
    } finally {
      await rm(configDir, { recursive: true, force: true });
    }
  });

  it('wrong credentials fail as an auth error naming the registry, without the password', async () => {
    const configDir = await mkdtemp(join(tmpdir(), 'orc-docker-config-'));
    try {
      const auth = Buffer.from('orc:wrong-password').toString('base64');
      await writeFile(
        join(configDir, 'config.json'),
        JSON.stringify({ auths: { [`http://${secured.host}`]: { auth } } }),
      );
      const images = createImageService({ engine });
      const err = await expectError(
        images.ensureImage(
          request(`${secured.host}/${project}/private:2`, {
            env: { DOCKER_CONFIG: configDir },
            pull: 'always',
          }),
          () => undefined,
        ),
        'REGISTRY_AUTH',
      );
      expect(err.message).toContain(secured.host);
      expect(err.message).not.toContain('wrong-password');
      expect(JSON.stringify(err)).not.toContain('wrong-password');
    } finally {
      await rm(configDir, { recursive: true, force: true });
    }
  });
});
