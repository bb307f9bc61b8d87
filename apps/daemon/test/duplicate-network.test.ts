import { Labels } from '@orc/spec';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../src/engine/engine.js';
import { finish, inlineSource, startCore, type TestCore } from './support/core.js';
import { docker, FIXTURE_IMAGE, removeProject, uniqueProject } from './support/engine.js';

// Engine 20.10 lets two networks share a name (CheckDuplicate is advisory); a crash between "create
// network" and recording it can leave such a pair. The next pass must end with exactly one, in use.
describe('core: duplicate networks of ours', () => {
  const project = uniqueProject('dupnet');
  const yaml = `services:\n  web:\n    image: ${FIXTURE_IMAGE}\n    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 86400 & wait"]\n`;
  let core: TestCore;
  let dispose: () => Promise<void>;
  beforeAll(async () => {
    ({ core, dispose } = await startCore({ supervise: false }));
  });
  afterAll(async () => {
    await dispose?.();
    await removeProject(project);
  });

  it('removes the duplicate it made and keeps the one in use', async () => {
    const { record } = await finish(core, core.up(inlineSource(project, yaml), {}));
    expect(record.error).toBeUndefined();
    const name = `${project}_default`;
    const inUse = await docker('network', 'inspect', '--format', '{{.Id}}', name);
    await createEngine().createNetwork({
      Name: name,
      CheckDuplicate: false,
      Labels: { [Labels.project]: project, [Labels.network]: 'default' },
    });
    expect(
      (await docker('network', 'ls', '-q', '--filter', `label=${Labels.project}=${project}`)).split('\n'),
    ).toHaveLength(2);

    const again = await finish(core, core.up(inlineSource(project, yaml), {}));
    expect(again.record.error).toBeUndefined();
    const left = (
      await docker('network', 'ls', '--no-trunc', '-q', '--filter', `label=${Labels.project}=${project}`)
    ).split('\n');
    expect(left).toEqual([inUse]);
    expect(await docker('inspect', '--format', '{{.State.Status}}', `${project}-web-1`)).toBe('running');
  });
});
