import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProjectSource } from '../../apps/daemon/src/contract/types.js';
import { createCore } from '../../apps/daemon/src/verbs/core.js';
import type { OperationHandle } from '../../apps/daemon/src/verbs/types.js';
import { docker, FIXTURE_IMAGE, removeProject, uniqueProject } from '../support/engine.js';

const project = uniqueProject('img-up');
let dir: string;
let stateDir: string;
let core: ReturnType<typeof createCore>;
/** Image ids built here (the first one is left untagged by the rebuild): removed afterwards. */
const builtIds: string[] = [];

const compose = `
services:
  app:
    build:
      context: ./app
      args:
        VERSION: "1"
    command: sleep 1d
    stop_grace_period: 1s
`;

function source(): ProjectSource {
  return { workingDir: dir, projectName: project, files: ['compose.yaml'], env: { HOME: dir } };
}

async function up(opts: { build?: boolean } = {}) {
  const handle = await core.up(source(), opts);
  if (!('done' in handle)) throw new Error(`project did not load: ${JSON.stringify(handle.errors)}`);
  const record = await (handle as OperationHandle).done;
  expect(record.error).toBeUndefined();
  expect(record.state).toBe('succeeded');
}

async function container(): Promise<{ id: string; imageLabel: string; image: string }> {
  const out = await docker(
    'ps',
    '--filter',
    `label=com.docker.compose.project=${project}`,
    '--format',
    '{{.ID}}',
  );
  const id = out.split('\n')[0] ?? '';
  const fmt = '{{index .Config.Labels "com.docker.compose.image"}} {{.Image}}';
  const [imageLabel = '', image = ''] = (await docker('inspect', '--format', fmt, id)).split(' ');
  return { id, imageLabel, image };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'orc-img-up-'));
  stateDir = await mkdtemp(join(tmpdir(), 'orc-img-up-state-'));
  await mkdir(join(dir, 'app'));
  await writeFile(join(dir, 'compose.yaml'), compose);
  await writeFile(
    join(dir, 'app', 'Dockerfile'),
    `FROM ${FIXTURE_IMAGE}\nARG VERSION\nRUN echo "v$VERSION" > /version\n`,
  );
  core = createCore({ stateDir });
  await core.internals.ready;
});

afterAll(async () => {
  await core
    ?.down({ name: project }, { timeoutSeconds: 1 })
    .then((h) => h.done)
    .catch(() => undefined);
  await core?.close();
  await removeProject(project);
  await docker('rmi', '-f', `${project}-app`, ...builtIds).catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
  await rm(stateDir, { recursive: true, force: true });
});

describe('up with a build: the container runs the image built, and a rebuild recreates it', () => {
  it('pull_policy build with a chosen image name: every user up rebuilds it, and a changed Dockerfile recreates', async () => {
    const name = `${project}-chosen:1`;
    await writeFile(
      join(dir, 'compose.yaml'),
      `services:\n  app:\n    image: ${name}\n    pull_policy: build\n    build:\n      context: ./app\n    command: sleep 1d\n    stop_grace_period: 1s\n`,
    );
    await writeFile(join(dir, 'app', 'Dockerfile'), `FROM ${FIXTURE_IMAGE}\nRUN echo a > /version\n`);
    try {
      await up();
      const first = await container();
      builtIds.push(first.image);
      await writeFile(join(dir, 'app', 'Dockerfile'), `FROM ${FIXTURE_IMAGE}\nRUN echo b > /version\n`);
      // No --build: the policy says build, on a user's up (never on the supervisor's passes).
      await up();
      const second = await container();
      builtIds.push(second.image);
      expect(second.id).not.toBe(first.id);
      expect(second.imageLabel).toBe(second.image);
      expect(await docker('exec', second.id, 'cat', '/version')).toBe('b');
    } finally {
      await core
        .down({ name: project }, { timeoutSeconds: 1 })
        .then((h) => h.done)
        .catch(() => undefined);
      await docker('rmi', '-f', name).catch(() => undefined);
      await writeFile(join(dir, 'compose.yaml'), compose);
      await writeFile(
        join(dir, 'app', 'Dockerfile'),
        `FROM ${FIXTURE_IMAGE}\nARG VERSION\nRUN echo "v$VERSION" > /version\n`,
      );
    }
  });

  it('builds <project>-<service>, labels the container with the image id, recreates after a changed Dockerfile', async () => {
    await up();
    const first = await container();
    const builtId = await docker('image', 'inspect', '--format', '{{.Id}}', `${project}-app`);
    builtIds.push(builtId);
    expect(first.image).toBe(builtId);
    expect(first.imageLabel).toBe(builtId);
    expect(await docker('exec', first.id, 'cat', '/version')).toBe('v1');

    // Nothing changed: `up --build` hits the layer cache, same id, same container.
    await up({ build: true });
    expect((await container()).id).toBe(first.id);

    await writeFile(
      join(dir, 'app', 'Dockerfile'),
      `FROM ${FIXTURE_IMAGE}\nARG VERSION\nRUN echo "w$VERSION" > /version\n`,
    );
    await up({ build: true });
    const rebuiltId = await docker('image', 'inspect', '--format', '{{.Id}}', `${project}-app`);
    builtIds.push(rebuiltId);
    expect(rebuiltId).not.toBe(builtId);
    // One `up --build`: the image is built first, then planned against, so the container is recreated now.
    const second = await container();
    expect(second.image).toBe(rebuiltId);
    expect(second.imageLabel).toBe(second.image);
    expect(second.id).not.toBe(first.id);
    expect(await docker('exec', second.id, 'cat', '/version')).toBe('w1');
  });
});
