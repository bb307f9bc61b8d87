/**
 * What one `up` says is what the daemon keeps: replicas (file + that up's --scale; `orc scale` lasts until
 * the next up) and profiles (services left out by profiles are not orphans). Real engine.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProjectSource } from '../src/contract/types.js';
import { finish, inlineSource, startCore, type TestCore } from './support/core.js';
import { docker, FIXTURE_IMAGE, removeProject, uniqueProject } from './support/engine.js';

const project = uniqueProject('upscale');

const yaml = `
services:
  api:
    image: ${FIXTURE_IMAGE}
    command: ["sleep", "86400"]
    stop_grace_period: 1s
  debug:
    image: ${FIXTURE_IMAGE}
    command: ["sleep", "86400"]
    stop_grace_period: 1s
    profiles: [debug]
`;

const source = (profiles: string[] = []): ProjectSource => ({
  ...inlineSource(project, yaml),
  ...(profiles.length ? { profiles } : {}),
});

async function names(): Promise<string[]> {
  const out = await docker(
    'ps',
    '-a',
    '--filter',
    `label=com.docker.compose.project=${project}`,
    '--format',
    '{{.Names}}',
  );
  return out.split('\n').filter(Boolean).sort();
}

describe('up decides the replicas and the profiles', () => {
  let core: TestCore;
  let dispose: () => Promise<void>;
  beforeAll(async () => {
    ({ core, dispose } = await startCore());
  });
  afterAll(async () => {
    await dispose?.().catch(() => undefined);
    await removeProject(project);
  });

  it('up without --scale goes back to the file; orc scale lasts until the next up; the record says so', async () => {
    const a = await finish(core, core.up(source(), { scale: { api: 2 } }));
    expect(a.record.error).toBeUndefined();
    expect(await names()).toEqual([`${project}-api-1`, `${project}-api-2`]);

    const b = await finish(core, core.up(source(), { forceRecreate: true }));
    expect(b.record.error).toBeUndefined();
    expect(await names()).toEqual([`${project}-api-1`]);
    let stored = await core.internals.store.get(project);
    expect(stored?.scale).toEqual({});
    expect(stored?.desired?.services.find((s) => s.name === 'api')?.containers).toHaveLength(1);

    const c = await finish(core, core.scale({ name: project }, { api: 3 }));
    expect(c.record.error).toBeUndefined();
    stored = await core.internals.store.get(project);
    expect(stored?.scale).toEqual({ api: 3 });
    expect(stored?.desired?.services.find((s) => s.name === 'api')?.containers).toHaveLength(3);

    const d = await finish(core, core.up(source(), {}));
    expect(d.record.error).toBeUndefined();
    expect(await names()).toEqual([`${project}-api-1`]);
    expect((await core.internals.store.get(project))?.scale).toEqual({});
  });

  it('--remove-orphans leaves the containers of services a profile left out', async () => {
    const a = await finish(core, core.up(source(['debug']), {}));
    expect(a.record.error).toBeUndefined();
    expect(await names()).toEqual([`${project}-api-1`, `${project}-debug-1`]);

    const b = await finish(core, core.up(source(), { removeOrphans: true }));
    expect(b.record.error).toBeUndefined();
    expect(await names()).toEqual([`${project}-api-1`, `${project}-debug-1`]);
  });
});
