import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DaemonEvent, LogLine } from '../src/contract/types.js';
import { eventually, finish, inlineSource, startCore, type TestCore } from './support/core.js';
import { docker, FIXTURE_IMAGE, removeProject, uniqueProject } from './support/engine.js';

const project = uniqueProject('life');

const yaml = (greeting: string, replicas = 1) => `
services:
  db:
    image: ${FIXTURE_IMAGE}
    command: ["sh", "-c", "trap 'exit 0' TERM; echo db says ${greeting}; sleep 86400 & wait"]
  app:
    image: ${FIXTURE_IMAGE}
    command: ["sh", "-c", "trap 'exit 0' TERM; echo app says ${greeting}; echo oops >&2; sleep 86400 & wait"]
    scale: ${replicas}
    depends_on: [db]
`;

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

async function collect<T>(iter: AsyncIterable<T>, stopWhen: (items: T[]) => boolean, ac: AbortController) {
  const items: T[] = [];
  for await (const item of iter) {
    items.push(item);
    if (stopWhen(items)) {
      ac.abort();
      break;
    }
  }
  return items;
}

describe('core: service actions, supervision, logs, exec, events', () => {
  let core: TestCore;
  let stateDir: string;
  let dispose: () => Promise<void>;
  beforeAll(async () => {
    ({ core, stateDir, dispose } = await startCore());
    const { record } = await finish(core, core.up(inlineSource(project, yaml('hello')), {}));
    expect(record.error).toBeUndefined();
  });
  afterAll(async () => {
    await dispose?.();
    await removeProject(project);
  });

  it('replays an operation’s progress after it ended', async () => {
    const { record, progress } = await finish(
      core,
      core.up(inlineSource(project, yaml('hello')), { dryRun: true }),
    );
    expect(record.state).toBe('succeeded');
    expect(record.plan).toEqual([]);
    expect(progress).toEqual([]);
    expect(core.getOperation(record.id)?.state).toBe('succeeded');
  });

  it('shows what a change would do with dryRun, changing nothing; --wait returns once services run', async () => {
    const before = await states();
    const { record } = await finish(core, core.up(inlineSource(project, yaml('changed')), { dryRun: true }));
    expect(record.state).toBe('succeeded');
    expect(record.plan?.some((l) => l.includes(`${project}-app-1`) && l.includes('command'))).toBe(true);
    expect(await states()).toEqual(before);

    const { record: waited } = await finish(
      core,
      core.up(inlineSource(project, yaml('hello')), { wait: true }),
    );
    expect(waited.error).toBeUndefined();
    expect(Object.values(await states())).toEqual(['running', 'running']);
  });

  it('keeps a service the user stopped stopped, through events and resyncs', async () => {
    const { record } = await finish(
      core,
      core.serviceAction({ name: project }, 'stop', { services: ['app'] }),
    );
    expect(record.error).toBeUndefined();
    expect((await states())[`${project}-app-1`]).toBe('exited');
    // A repair pass triggered by another drift must not start it again.
    await docker('rm', '-f', `${project}-db-1`);
    await eventually(async () => ((await states())[`${project}-db-1`] === 'running' ? true : undefined));
    expect((await states())[`${project}-app-1`]).toBe('exited');
    const summary = await core.getProject({ name: project });
    expect(summary?.services.find((s) => s.name === 'app')?.desired).toBe('stopped');

    const { record: started } = await finish(
      core,
      core.serviceAction({ name: project }, 'start', { services: ['app'] }),
    );
    expect(started.error).toBeUndefined();
    expect((await states())[`${project}-app-1`]).toBe('running');
  });

  it('publishes lifecycle and repair events with a reason', async () => {
    const ac = new AbortController();
    const events = core.events({ project }, ac.signal);
    const seen = collect<DaemonEvent>(events, (items) => items.some((e) => e.type === 'repair'), ac);
    await docker('kill', `${project}-app-1`);
    await docker('rm', `${project}-app-1`);
    const items = await seen;
    expect(items.some((e) => e.type === 'container' && e.action === 'destroy' && e.service === 'app')).toBe(
      true,
    );
    const repair = items.find((e) => e.type === 'repair');
    expect(repair?.reason).toContain(`container ${project}-app-1`);
    await eventually(async () => ((await states())[`${project}-app-1`] === 'running' ? true : undefined));
  });

  it('pauses and unpauses, scales up and down', async () => {
    await finish(core, core.serviceAction({ name: project }, 'pause', { services: ['db'] }));
    expect((await states())[`${project}-db-1`]).toBe('paused');
    await finish(core, core.serviceAction({ name: project }, 'unpause', { services: ['db'] }));
    expect((await states())[`${project}-db-1`]).toBe('running');

    const { record: up3 } = await finish(core, core.scale({ name: project }, { app: 3 }));
    expect(up3.error).toBeUndefined();
    expect(Object.keys(await states()).sort()).toEqual(
      [`${project}-app-1`, `${project}-app-2`, `${project}-app-3`, `${project}-db-1`].sort(),
    );
    const { record: down1 } = await finish(core, core.scale({ name: project }, { app: 1 }));
    expect(down1.error).toBeUndefined();
    expect(Object.keys(await states()).sort()).toEqual([`${project}-app-1`, `${project}-db-1`].sort());
  });

  it('shows logs of the services merged, with streams, and follows across a recreate', async () => {
    const lines: LogLine[] = [];
    for await (const l of core.logs({ name: project }, {}, new AbortController().signal)) lines.push(l);
    expect(lines.some((l) => l.service === 'db' && l.line === 'db says hello' && l.stream === 'stdout')).toBe(
      true,
    );
    expect(lines.some((l) => l.service === 'app' && l.line === 'oops' && l.stream === 'stderr')).toBe(true);
    const times = lines.map((l) => l.time);
    expect(times).toEqual([...times].sort());

    const ac = new AbortController();
    const follow = collect<LogLine>(
      core.logs({ name: project }, { services: ['app'], follow: true, tail: 0 }, ac.signal),
      (items) => items.some((l) => l.line === 'app says again'),
      ac,
    );
    const { record } = await finish(core, core.up(inlineSource(project, yaml('again')), {}));
    expect(record.error).toBeUndefined();
    const got = await follow;
    expect(got.find((l) => l.line === 'app says again')?.container).toBe(`${project}-app-1`);
  });

  it('runs a command in a service container and reports its exit code', async () => {
    const session = await core.exec(
      { name: project },
      { service: 'db', cmd: ['sh', '-c', 'echo out; exit 7'] },
    );
    let raw = Buffer.alloc(0);
    session.stream.on('data', (d: Buffer) => {
      raw = Buffer.concat([raw, d]);
    });
    expect(await session.exitCode()).toBe(7);
    expect(raw.toString('utf8')).toContain('out');
    await expect(core.exec({ name: project }, { service: 'nope', cmd: ['true'] })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('resizes a TTY exec session', async () => {
    const session = await core.exec(
      { name: project },
      { service: 'db', cmd: ['sh', '-c', 'read line; stty size'], tty: true, interactive: true },
    );
    let out = '';
    session.stream.on('data', (d: Buffer) => {
      out += d.toString('utf8');
    });
    await session.resize(33, 101);
    session.stream.write('go\n');
    expect(await session.exitCode()).toBe(0);
    expect(out).toContain('33 101');
  });

  it('does not bring back a service removed with rm, until the next up', async () => {
    await finish(core, core.serviceAction({ name: project }, 'stop', { services: ['app'] }));
    const { record } = await finish(core, core.serviceAction({ name: project }, 'rm', { services: ['app'] }));
    expect(record.error).toBeUndefined();
    expect((await states())[`${project}-app-1`]).toBeUndefined();
    // Drift elsewhere makes the supervisor run a pass; app must stay gone.
    await docker('rm', '-f', `${project}-db-1`);
    await eventually(async () => ((await states())[`${project}-db-1`] === 'running' ? true : undefined));
    expect((await states())[`${project}-app-1`]).toBeUndefined();
    const { record: up } = await finish(core, core.up(inlineSource(project, yaml('again')), {}));
    expect(up.error).toBeUndefined();
    expect((await states())[`${project}-app-1`]).toBe('running');
  });

  it('brings a registered stack back when a new core starts (a reboot), in dependency order', async () => {
    await core.close();
    await docker('stop', '-t', '1', `${project}-app-1`, `${project}-db-1`);
    const { createCore } = await import('../src/verbs/core.js');
    core = createCore({ stateDir });
    await core.internals.ready;
    const s = await states();
    expect(s[`${project}-db-1`]).toBe('running');
    expect(s[`${project}-app-1`]).toBe('running');
    const started = async (name: string) =>
      Date.parse(await docker('inspect', '--format', '{{.State.StartedAt}}', name));
    expect(await started(`${project}-app-1`)).toBeGreaterThanOrEqual(await started(`${project}-db-1`));
    const { record } = await finish(core, core.down({ name: project }, {}));
    expect(record.error).toBeUndefined();
    expect(await states()).toEqual({});
    await core.close();
  });
});
