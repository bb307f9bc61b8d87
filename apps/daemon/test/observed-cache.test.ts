/**
 * The observed state kept from the engine's events (src/observe/cache.ts) on the real engine: containers
 * changed behind the daemon's back (stop, rename, rm -f, one created by hand with our labels) are seen by
 * `ps` without a list of the project, and by a no-op `up`, which puts them back; an image reference
 * moved by a build is seen by the next `up` though its old id was kept; the lease a `down` checks is read
 * from memory too.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContainerSummary } from '../src/contract/types.js';
import { createEngine, type Engine } from '../src/engine/engine.js';
import type { EngineFilters } from '../src/engine/types.js';
import { leaseVolume } from '../src/verbs/lease.js';
import { eventually, finish, inlineSource, startCore, type TestCore } from './support/core.js';
import { docker, FIXTURE_IMAGE, PROJECT_LABEL, removeProject, uniqueProject } from './support/engine.js';

const project = uniqueProject('p17cache');

const yaml = `
services:
  db:
    image: ${FIXTURE_IMAGE}
    init: true
    command: ["sleep", "86400"]
  web:
    image: ${FIXTURE_IMAGE}
    init: true
    command: ["sleep", "86400"]
    scale: 2
`;

/** The engine, counting the lists of this project's containers (what the kept state spares). */
function countingEngine(): { engine: Engine; lists: () => number } {
  const real = createEngine();
  let lists = 0;
  const listContainers = (f: EngineFilters) => {
    if (f.label?.includes(`${PROJECT_LABEL}=${project}`)) lists++;
    return real.listContainers(f);
  };
  return { engine: { ...real, listContainers }, lists: () => lists };
}

/** What the engine says, as `ps` should: name → state and exit code. */
async function truth(): Promise<Record<string, string>> {
  const out = await docker(
    'ps',
    '-a',
    '--filter',
    `label=${PROJECT_LABEL}=${project}`,
    '--format',
    '{{.Names}} {{.State}}',
  );
  const rows = out.split('\n').filter(Boolean);
  const entries = await Promise.all(
    rows.map(async (row) => {
      const [name = '', state = ''] = row.split(' ');
      const code = await docker('inspect', '-f', '{{.State.ExitCode}}', name);
      return [name, `${state} ${code}`] as const;
    }),
  );
  return Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : 1)));
}

const asRows = (cs: ContainerSummary[]) =>
  Object.fromEntries(cs.map((c) => [c.Name, `${c.State} ${c.ExitCode}`]));

describe('observed state kept from events, on the real engine', () => {
  let core: TestCore;
  let dispose: () => Promise<void>;
  let lists: () => number;
  const ps = async () => (await core.getProject({ name: project }, { detail: false }))?.containers ?? [];
  /** `ps` until it agrees with the engine (events arrive a moment after the change). */
  const psAgrees = async () => {
    let last = '';
    try {
      return await eventually(async () => {
        const [mine, theirs] = await Promise.all([ps(), truth()]);
        last = `ps ${JSON.stringify(asRows(mine))} engine ${JSON.stringify(theirs)}`;
        return JSON.stringify(asRows(mine)) === JSON.stringify(theirs) ? mine : undefined;
      }, 10_000);
    } catch (err) {
      throw new Error(`${(err as Error).message}; last: ${last}`);
    }
  };

  beforeAll(async () => {
    const counting = countingEngine();
    lists = counting.lists;
    ({ core, dispose } = await startCore({ engine: counting.engine }));
    // Not kept (no record): the supervisor does not repair this project, so every change stays until `up`.
    const { record } = await finish(core, core.up(inlineSource(project, yaml), { keep: false }));
    expect(record.error).toBeUndefined();
  });
  afterAll(async () => {
    await dispose?.();
    await removeProject(project);
  });

  it('answers ps from memory once read: no list of the project', async () => {
    await psAgrees();
    // The first read listed; the containers are inspected in the background, after which none is listed.
    await eventually(async () => {
      const before = lists();
      await ps();
      return lists() === before ? true : undefined;
    });
    const before = lists();
    const rows = await ps();
    expect(lists()).toBe(before);
    expect(rows.map((c) => c.Name).sort()).toEqual([
      `${project}-db-1`,
      `${project}-web-1`,
      `${project}-web-2`,
    ]);
    for (const c of rows) {
      expect(c.State).toBe('running');
      expect(c.Status).toMatch(/^Up /);
      expect(c.StartedAt).toBeTruthy();
    }
  });

  it('sees containers changed behind its back, still without listing', async () => {
    const before = lists();
    await docker('stop', '-t', '1', `${project}-web-2`);
    let rows = await psAgrees();
    const stopped = rows.find((c) => c.Name === `${project}-web-2`);
    expect(stopped?.State).toBe('exited');
    expect(stopped?.Status).toMatch(/^Exited \(\d+\) /);

    await docker('rename', `${project}-web-1`, `${project}-renamed`);
    rows = await psAgrees();
    expect(rows.some((c) => c.Name === `${project}-renamed` && c.Service === 'web' && c.Number === 1)).toBe(
      true,
    );

    await docker('rm', '-f', `${project}-db-1`);
    rows = await psAgrees();
    expect(rows.some((c) => c.Service === 'db')).toBe(false);

    // A container made by hand with the project's labels is the project's (number 3 of web).
    await docker(
      'create',
      '--name',
      `${project}-web-3`,
      '--label',
      `${PROJECT_LABEL}=${project}`,
      '--label',
      'com.docker.compose.service=web',
      '--label',
      'com.docker.compose.container-number=3',
      '--label',
      'com.docker.compose.oneoff=False',
      FIXTURE_IMAGE,
      'sleep',
      '86400',
    );
    rows = await psAgrees();
    expect(rows.find((c) => c.Name === `${project}-web-3`)?.State).toBe('created');
    expect(lists()).toBe(before);
  });

  it('a no-op up plans from what is there now: puts each change back', async () => {
    const { record } = await finish(core, core.up(inlineSource(project, yaml), { keep: false }));
    expect(record.error).toBeUndefined();
    const plan = (record.plan ?? []).join('\n');
    expect(plan).toContain(`${project}-db-1`);
    expect(plan).toContain(`${project}-web-2`);
    expect(plan).toContain(`${project}-web-3`);
    expect(await truth()).toEqual({
      [`${project}-db-1`]: 'running 0',
      [`${project}-web-1`]: 'running 0',
      [`${project}-web-2`]: 'running 0',
    });
    const rows = await psAgrees();
    expect(rows.every((c) => c.State === 'running')).toBe(true);
  });

  it('lists again when the event stream is gone (nothing kept is trusted)', async () => {
    await core.internals.supervisor?.stop();
    const before = lists();
    await ps();
    expect(lists()).toBe(before + 1);
  });
});

describe('an image id kept from events, on the real engine', () => {
  const p2 = uniqueProject('p17img');
  // The project's own reference, so that moving it touches no other test.
  const ref = `${p2}-img:1`;
  const yaml2 = `services:\n  app:\n    image: ${ref}\n    init: true\n    command: ["sleep", "86400"]\n`;
  let core: TestCore;
  let dispose: () => Promise<void>;
  let dir: string;
  const imageOf = (name: string) => docker('inspect', '--format', '{{.Image}}', name);
  const up = (o: { dryRun?: boolean } = {}) =>
    finish(core, core.up(inlineSource(p2, yaml2), { keep: false, ...o }));

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'orc-retag-'));
    await docker('tag', FIXTURE_IMAGE, ref);
    ({ core, dispose } = await startCore());
    expect((await up()).record.error).toBeUndefined();
  });
  afterAll(async () => {
    await dispose?.();
    await removeProject(p2);
    await docker('image', 'rm', ref).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  });

  it('a build that moves the reference: the next up recreates on the new image', async () => {
    // Two no-op ups: the second answers the image's id from memory.
    for (let i = 0; i < 2; i++) expect((await up()).record.plan).toEqual([]);
    const old = await imageOf(`${p2}-app-1`);
    await writeFile(join(dir, 'Dockerfile'), `FROM ${FIXTURE_IMAGE}\nLABEL moved=${p2}\n`);
    const moved = await docker('build', '-q', '-t', ref, dir);
    expect(moved).not.toBe(old);
    // The build's events reach the daemon a moment after it returns: wait for the plan to say so.
    await eventually(async () => {
      const { record } = await up({ dryRun: true });
      return record.plan?.some((l) => l.includes(`${p2}-app-1`)) ? true : undefined;
    }, 10_000);
    const { record } = await up();
    expect(record.error).toBeUndefined();
    expect(await imageOf(`${p2}-app-1`)).toBe(moved);
    expect((await up()).record.plan).toEqual([]);
  });
});

describe('the lease a down checks, kept from events, on the real engine', () => {
  const p3 = uniqueProject('p17lease');
  const yaml3 = `services:\n  app:\n    image: ${FIXTURE_IMAGE}\n    init: true\n    command: ["sleep", "86400"]\n`;
  let core: TestCore;
  let dispose: () => Promise<void>;
  let leaseReads = 0;

  beforeAll(async () => {
    const real = createEngine();
    const inspectVolume = (name: string) => {
      if (name === leaseVolume(p3)) leaseReads++;
      return real.inspectVolume(name);
    };
    ({ core, dispose } = await startCore({ engine: { ...real, inspectVolume } }));
  });
  afterAll(async () => {
    await dispose?.();
    await removeProject(p3);
  });

  it('down reads the lease from memory once a no-op up kept it, and still drops it', async () => {
    expect(
      (await finish(core, core.up(inlineSource(p3, yaml3), { keep: false }))).record.error,
    ).toBeUndefined();
    // The up created the lease: its event reaches the daemon a moment later; no-op ups until one reads
    // the lease without an inspect (kept).
    await eventually(async () => {
      const before = leaseReads;
      const { record } = await finish(core, core.up(inlineSource(p3, yaml3), { keep: false }));
      expect(record.plan).toEqual([]);
      return leaseReads === before ? true : undefined;
    }, 10_000);
    const before = leaseReads;
    const { record } = await finish(core, core.down({ name: p3 }, {}));
    expect(record.error).toBeUndefined();
    expect(leaseReads).toBe(before);
    expect(await docker('volume', 'ls', '-q', '--filter', `name=${leaseVolume(p3)}`)).toBe('');
    expect(await docker('ps', '-aq', '--filter', `label=${PROJECT_LABEL}=${p3}`)).toBe('');
  });
});
