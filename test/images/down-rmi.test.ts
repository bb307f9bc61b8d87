/**
 * `down --rmi local|all` on the real engine: local removes the build-only `<project>-<service>` image only;
 * all removes every service's image too; an image a foreign container still uses stays, with a warning.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OperationRecord, ProjectSource } from '../../apps/daemon/src/contract/types.js';
import { createCore } from '../../apps/daemon/src/verbs/core.js';
import type { OperationHandle } from '../../apps/daemon/src/verbs/types.js';
import { docker, FIXTURE_IMAGE, removeProject, uniqueProject } from '../support/engine.js';

const project = uniqueProject('rmi');
const tagged = `${project}-tagged:1`;
const used = `${project}-used:1`;
let dir: string;
let stateDir: string;
let core: ReturnType<typeof createCore>;
let foreign = '';

const compose = `
services:
  app:
    build: ./app
    command: sleep 1d
    stop_grace_period: 1s
  side:
    image: ${tagged}
    command: sleep 1d
    stop_grace_period: 1s
  busy:
    image: ${used}
    command: sleep 1d
    stop_grace_period: 1s
`;

const source = (): ProjectSource => ({
  workingDir: dir,
  projectName: project,
  files: ['compose.yaml'],
  env: { HOME: dir },
});

async function done(h: Promise<OperationHandle | { errors: unknown }>): Promise<OperationRecord> {
  const handle = await h;
  if (!('done' in handle)) throw new Error(`project did not load: ${JSON.stringify(handle.errors)}`);
  return handle.done;
}

const exists = (ref: string) =>
  docker('image', 'inspect', ref).then(
    () => true,
    () => false,
  );

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'orc-rmi-'));
  stateDir = await mkdtemp(join(tmpdir(), 'orc-rmi-state-'));
  await mkdir(join(dir, 'app'));
  await mkdir(join(dir, 'used'));
  await writeFile(join(dir, 'compose.yaml'), compose);
  await writeFile(join(dir, 'app', 'Dockerfile'), `FROM ${FIXTURE_IMAGE}\nRUN echo ${project} > /id\n`);
  await docker('tag', FIXTURE_IMAGE, tagged);
  // An image with one tag only, held by a container outside the project: removing it must fail softly.
  await writeFile(join(dir, 'used', 'Dockerfile'), `FROM ${FIXTURE_IMAGE}\nRUN echo ${project} used > /id\n`);
  await docker('build', '-q', '-t', used, join(dir, 'used'));
  foreign = await docker('create', '--name', `${project}-foreign`, used, 'true');
  core = createCore({ stateDir, supervise: false });
  await core.internals.ready;
});

afterAll(async () => {
  await core?.close();
  await removeProject(project);
  if (foreign) await docker('rm', '-f', foreign).catch(() => undefined);
  await docker('rmi', '-f', `${project}-app`, tagged, used).catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
  await rm(stateDir, { recursive: true, force: true });
});

describe('down --rmi', () => {
  it('local removes the built image only', async () => {
    expect((await done(core.up(source(), {}))).error).toBeUndefined();
    expect(await exists(`${project}-app`)).toBe(true);
    const r = await done(core.down({ source: source() }, { rmi: 'local', timeoutSeconds: 1 }));
    expect(r.error).toBeUndefined();
    expect(await exists(`${project}-app`)).toBe(false);
    expect(await exists(tagged)).toBe(true);
    expect(await exists(used)).toBe(true);
  });

  it('all removes every service image; one in use elsewhere stays with a warning, the down succeeds', async () => {
    expect((await done(core.up(source(), {}))).error).toBeUndefined();
    const r = await done(core.down({ source: source() }, { rmi: 'all', timeoutSeconds: 1 }));
    expect(r.state).toBe('succeeded');
    expect(await exists(`${project}-app`)).toBe(false);
    expect(await exists(tagged)).toBe(false);
    expect(await exists(FIXTURE_IMAGE)).toBe(true);
    expect(await exists(used)).toBe(true);
    expect(r.warnings.some((w) => w.includes(used))).toBe(true);
  });
});
