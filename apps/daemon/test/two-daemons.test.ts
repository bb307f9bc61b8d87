import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  eventually,
  finish,
  inlineSource,
  isHandle,
  recordEvents,
  startCore,
  type TestCore,
} from './support/core.js';
import { docker, FIXTURE_IMAGE, removeProject, uniqueProject } from './support/engine.js';

const yaml = `services:\n  web:\n    image: ${FIXTURE_IMAGE}\n    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 86400 & wait"]\n`;

// Issue 16 item 2: two daemons (two state directories) on one engine must not fight over a project.
describe('two daemons on one engine: one keeper per project', () => {
  const project = uniqueProject('twod');
  const lease = `orc-lease.${project}`;
  let a: { core: TestCore; dispose(): Promise<void> };
  let b: { core: TestCore; dispose(): Promise<void> };
  beforeAll(async () => {
    a = await startCore({ resyncIntervalMs: 500 });
    b = await startCore({ resyncIntervalMs: 500 });
  });
  afterAll(async () => {
    await a?.dispose();
    await b?.dispose();
    await removeProject(project);
    await docker('volume', 'rm', '-f', lease).catch(() => undefined);
  });

  it('refuses a second keeper, names the first, and hands over cleanly with --force', async () => {
    const { record: upA } = await finish(a.core, a.core.up(inlineSource(project, yaml), {}));
    expect(upA.error).toBeUndefined();
    const id = await docker('inspect', '--format', '{{.Id}}', `${project}-web-1`);
    const labels = JSON.parse(await docker('volume', 'inspect', '--format', '{{json .Labels}}', lease));
    expect(labels['dev.orc.lease.pid']).toBe(String(process.pid));

    // B's up and down are refused, with who keeps it; nothing changes.
    await expect(b.core.up(inlineSource(project, yaml), {})).rejects.toMatchObject({
      code: 'PROJECT_KEPT_ELSEWHERE',
      message: expect.stringMatching(
        /kept by another orc daemon [0-9a-f]{16} \(state dir .+, pid \d+, host .+\)/,
      ),
    });
    await expect(b.core.down({ name: project }, {})).rejects.toMatchObject({
      code: 'PROJECT_KEPT_ELSEWHERE',
    });
    expect(await docker('inspect', '--format', '{{.Id}}', `${project}-web-1`)).toBe(id);

    // With --force, B takes it down; A does not bring it back, and says why.
    const aEvents = recordEvents(a.core, project);
    const down = await b.core.down({ name: project }, { force: true });
    expect((await down.done).error).toBeUndefined();
    const released = await eventually(async () => aEvents.events.find((e) => e.action === 'released'));
    expect(released.reason).toMatch(/lease .* is gone.*no longer converges it/);
    await new Promise((r) => setTimeout(r, 1500)); // a few of A's resync passes
    expect(await docker('ps', '-aq', '--filter', `label=com.docker.compose.project=${project}`)).toBe('');
    expect(aEvents.events.filter((e) => e.type === 'repair' && e.action === 'repair')).toEqual([]);
    aEvents.stop();

    // A's `up` keeps it again (the released mark goes), and it is converged again.
    const again = await finish(a.core, a.core.up(inlineSource(project, yaml), {}));
    expect(again.record.error).toBeUndefined();
    expect(await docker('inspect', '--format', '{{.State.Status}}', `${project}-web-1`)).toBe('running');
  });

  it('takes over from a keeper that is gone, and says so', async () => {
    // A lease naming a process that has exited (its pid no longer runs, or runs something else).
    const gone = spawnSync('true').pid;
    await docker('volume', 'rm', '-f', lease);
    await docker(
      'volume',
      'create',
      '--label',
      `dev.orc.lease=${project}`,
      '--label',
      'dev.orc.lease.owner=0123456789abcdef',
      '--label',
      `dev.orc.lease.host=${(await import('node:os')).hostname()}`,
      '--label',
      `dev.orc.lease.pid=${gone}`,
      '--label',
      'dev.orc.lease.proc-start=1',
      '--label',
      'dev.orc.lease.state-dir=/gone',
      lease,
    );
    const handle = await b.core.up(inlineSource(project, yaml), {});
    if (!isHandle(handle)) throw new Error('did not load');
    const done = await handle.done;
    expect(done.error).toBeUndefined();
    expect(done.warnings.join('\n')).toMatch(
      /took the project over from orc daemon 0123456789abcdef \(state dir \/gone/,
    );
    const labels = JSON.parse(await docker('volume', 'inspect', '--format', '{{json .Labels}}', lease));
    expect(labels['dev.orc.lease.state-dir']).not.toBe('/gone');
  });
});
