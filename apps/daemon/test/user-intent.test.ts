/**
 * What the user did by hand stays done: a killed service stays exited and a removed one stays removed,
 * through the supervisor's passes, until the next `up` (or `start`). Real engine.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, finish, inlineSource, startCore, type TestCore } from './support/core.js';
import { docker, FIXTURE_IMAGE, removeProject, uniqueProject } from './support/engine.js';

const project = uniqueProject('intent');

// web: the engine's restart policy; worker: the daemon's (deploy.restart_policy); db: the drift we make.
const yaml = `
services:
  db:
    image: ${FIXTURE_IMAGE}
    command: ["sleep", "86400"]
    stop_grace_period: 1s
  web:
    image: ${FIXTURE_IMAGE}
    command: ["sleep", "86400"]
    stop_grace_period: 1s
    restart: always
    depends_on: [db]
  worker:
    image: ${FIXTURE_IMAGE}
    command: ["sleep", "86400"]
    stop_grace_period: 1s
    depends_on: [db]
    deploy:
      restart_policy:
        condition: any
        delay: 100ms
`;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function states(): Promise<Record<string, string>> {
  const out = await docker(
    'ps',
    '-a',
    '--filter',
    `label=com.docker.compose.project=${project}`,
    '--format',
    '{{.Names}} {{.State}}',
  );
  return Object.fromEntries(
    out
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split(' ') as [string, string]),
  );
}

/** Makes the supervisor run a full pass (db removed behind its back) and waits until it repaired it. */
async function supervisorPass(): Promise<void> {
  const before = await docker('inspect', '--format', '{{.Id}}', `${project}-db-1`);
  await docker('rm', '-f', `${project}-db-1`);
  await eventually(async () => {
    const s = await states();
    if (s[`${project}-db-1`] !== 'running') return undefined;
    const now = await docker('inspect', '--format', '{{.Id}}', `${project}-db-1`);
    return now !== before ? true : undefined;
  }, 120_000);
  // Past the restarter's delay (100 ms floor) and the engine's own (100 ms): a restart would have happened.
  await sleep(3000);
}

describe('user intent survives supervision', () => {
  let core: TestCore;
  let dispose: () => Promise<void>;
  beforeAll(async () => {
    ({ core, dispose } = await startCore());
    const { record } = await finish(core, core.up(inlineSource(project, yaml), {}));
    expect(record.error).toBeUndefined();
  });
  afterAll(async () => {
    await dispose?.().catch(() => undefined);
    await removeProject(project);
  });

  it('kill leaves the services exited (engine and daemon restart policies alike) until start', async () => {
    const { record } = await finish(
      core,
      core.serviceAction({ source: inlineSource(project, yaml) }, 'kill', { services: ['web', 'worker'] }),
    );
    expect(record.error).toBeUndefined();
    await supervisorPass();
    const s = await states();
    expect(s[`${project}-web-1`]).toBe('exited');
    expect(s[`${project}-worker-1`]).toBe('exited');
    const summary = await core.getProject({ name: project });
    expect(summary?.services.find((x) => x.name === 'web')?.desired).toBe('stopped');

    const { record: started } = await finish(
      core,
      core.serviceAction({ name: project }, 'start', { services: ['web', 'worker'] }),
    );
    expect(started.error).toBeUndefined();
    const after = await states();
    expect(after[`${project}-web-1`]).toBe('running');
    expect(after[`${project}-worker-1`]).toBe('running');
  });

  it('rm -s -f leaves the services removed until the next up', async () => {
    const { record } = await finish(
      core,
      core.serviceAction({ source: inlineSource(project, yaml) }, 'rm', {
        services: ['web', 'worker'],
        stop: true,
      }),
    );
    expect(record.error).toBeUndefined();
    await supervisorPass();
    const s = await states();
    expect(s[`${project}-web-1`]).toBeUndefined();
    expect(s[`${project}-worker-1`]).toBeUndefined();

    const { record: up } = await finish(core, core.up(inlineSource(project, yaml), {}));
    expect(up.error).toBeUndefined();
    const after = await states();
    expect(after[`${project}-web-1`]).toBe('running');
    expect(after[`${project}-worker-1`]).toBe('running');
  });

  it('rm without -s leaves a running service running and in the converged set', async () => {
    const { record } = await finish(
      core,
      core.serviceAction({ name: project }, 'rm', { services: ['worker'] }),
    );
    expect(record.error).toBeUndefined();
    expect(record.warnings.some((w) => w.includes(`${project}-worker-1`))).toBe(true);
    expect((await states())[`${project}-worker-1`]).toBe('running');
    const stored = await core.internals.store.get(project);
    expect(stored?.services ?? ['worker']).toContain('worker');
  });

  it('rm -s -f of a dependency leaves it removed: its dependents do not pull it back', async () => {
    const { record } = await finish(
      core,
      core.serviceAction({ name: project }, 'rm', { services: ['db'], stop: true }),
    );
    expect(record.error).toBeUndefined();
    // Drift on web (removed behind the daemon's back) makes the supervisor run a pass.
    await docker('rm', '-f', `${project}-web-1`);
    await eventually(
      async () => ((await states())[`${project}-web-1`] === 'running' ? true : undefined),
      120_000,
    );
    await sleep(3000);
    expect((await states())[`${project}-db-1`]).toBeUndefined();
  });
});
