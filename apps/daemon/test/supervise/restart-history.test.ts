import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../../src/verbs/core.js';
import { eventually, finish, inlineSource, recordEvents, type TestCore } from '../support/core.js';
import { docker, FIXTURE_IMAGE, removeProject, uniqueProject } from '../support/engine.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const startedAt = async (name: string) => docker('inspect', '--format', '{{.State.StartedAt}}', name);

// Issue 14 item 8 / issue 16: the daemon's restart history is kept with the project, so a daemon restart
// neither forgets a give-up (the startup pass used to start the container again) nor grants new attempts.
describe('restart history outlives the daemon', () => {
  const project = uniqueProject('keephist');
  const yaml = `services:
  crashy:
    image: ${FIXTURE_IMAGE}
    command: ["sh", "-c", "exit 7"]
    deploy:
      restart_policy:
        condition: on-failure
        delay: 100ms
        max_attempts: 1
`;
  const name = `${project}-crashy-1`;
  let stateDir: string;
  let core: TestCore | undefined;
  beforeAll(async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'orc-keephist-'));
  });
  afterAll(async () => {
    await core?.close();
    await removeProject(project);
    await rm(stateDir, { recursive: true, force: true });
  });

  it('keeps a give-up across a daemon restart, and starts over when someone starts the container', async () => {
    core = createCore({ stateDir });
    await core.internals.ready;
    const first = recordEvents(core, project);
    const { record: op } = await finish(core, core.up(inlineSource(project, yaml), {}));
    expect(op.error).toBeUndefined();
    await eventually(async () => (first.events.some((e) => e.action === 'give-up') ? true : undefined));
    first.stop();
    expect(first.events.filter((e) => e.action === 'restart')).toHaveLength(1);
    await core.close();
    core = undefined;

    const ledgerFile = join(stateDir, 'restarts', `${project}.json`);
    const kept = JSON.parse(await readFile(ledgerFile, 'utf8'));
    expect(Object.values(kept.containers)).toMatchObject([
      { service: 'crashy', total: 1, gaveUp: expect.any(String) },
    ]);
    const before = await startedAt(name);

    // A new daemon on the same state: its startup pass starts exited containers, but not this one.
    core = createCore({ stateDir });
    const second = recordEvents(core, project);
    await core.internals.ready;
    await sleep(3000);
    expect(await docker('inspect', '--format', '{{.State.Status}}', name)).toBe('exited');
    expect(await startedAt(name)).toBe(before);
    expect(second.events.filter((e) => e.type === 'restart')).toEqual([]);
    const summary = await core.getProject({ name: project });
    const crashy = summary?.containers.find((c) => c.Service === 'crashy');
    expect(crashy?.RestartReason).toMatch(/gave up after 1 restarts/);

    // Started by hand: a fresh start, as after `docker start`: one more restart, then a give-up again.
    await docker('start', name);
    await eventually(async () => (second.events.some((e) => e.action === 'give-up') ? true : undefined));
    second.stop();
    expect(second.events.filter((e) => e.action === 'restart')).toHaveLength(1);

    // `down` forgets the history with the project.
    const { record: gone } = await finish(core, core.down({ name: project }, {}));
    expect(gone.error).toBeUndefined();
    expect(existsSync(ledgerFile)).toBe(false);
  });
});
