import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContainerSummary } from '../../src/contract/types.js';
import { eventually, finish, inlineSource, recordEvents, startCore, type TestCore } from '../support/core.js';
import { docker, FIXTURE_IMAGE, removeProject, uniqueProject } from '../support/engine.js';

interface Inspected {
  RestartCount: number;
  State: { Status: string; ExitCode: number; StartedAt: string };
  HostConfig: { RestartPolicy: { Name: string; MaximumRetryCount: number } };
}

async function inspect(name: string): Promise<Inspected> {
  return JSON.parse(await docker('inspect', name))[0] as Inspected;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function container(core: TestCore, project: string, service: string): Promise<ContainerSummary> {
  const p = await core.getProject({ name: project });
  const c = p?.containers.find((x) => x.Service === service);
  if (!c) throw new Error(`no container for ${service}`);
  return c;
}

describe('restart: the engine policy (holds without the daemon)', () => {
  const project = uniqueProject('rs-engine');
  let core: TestCore;
  let dispose: () => Promise<void>;
  beforeAll(async () => {
    ({ core, dispose } = await startCore());
  });
  afterAll(async () => {
    await dispose?.().catch(() => undefined);
    await removeProject(project);
  });

  it('on-failure:2 gives up after exactly 2 restarts, and ps shows the exit code', async () => {
    const yaml = `
services:
  flaky:
    image: ${FIXTURE_IMAGE}
    command: ["sh", "-c", "echo try; exit 3"]
    restart: on-failure:2
  steady:
    image: ${FIXTURE_IMAGE}
    command: ["sh", "-c", "echo done; exit 0"]
    restart: always
  keeper:
    image: ${FIXTURE_IMAGE}
    command: ["sleep", "86400"]
    stop_grace_period: 1s
    restart: unless-stopped
  oneshot:
    image: ${FIXTURE_IMAGE}
    command: ["sh", "-c", "exit 5"]
`;
    const { record: r } = await finish(core, core.up(inlineSource(project, yaml), {}));
    expect(r.error).toBeUndefined();
    const name = `${project}-flaky-1`;
    const policy = (await inspect(name)).HostConfig.RestartPolicy;
    expect(policy).toEqual({ Name: 'on-failure', MaximumRetryCount: 2 });
    expect((await inspect(`${project}-keeper-1`)).HostConfig.RestartPolicy.Name).toBe('unless-stopped');
    expect((await inspect(`${project}-oneshot-1`)).HostConfig.RestartPolicy.Name).toBe('no');
    const done = await eventually(async () => {
      const i = await inspect(name);
      return i.State.Status === 'exited' && i.RestartCount === 2 ? i : undefined;
    });
    expect(done.State.ExitCode).toBe(3);
    // The engine's backoff is 100 ms, then 200 ms: well past it, the count must not have moved.
    await sleep(1500);
    const later = await inspect(name);
    expect(later.RestartCount).toBe(2);
    expect(later.State.Status).toBe('exited');
    const c = await container(core, project, 'flaky');
    expect(c).toMatchObject({ State: 'exited', ExitCode: 3, RestartCount: 2 });
    // restart: no (the default): exited once, never restarted, by the engine or by the daemon.
    expect(await container(core, project, 'oneshot')).toMatchObject({
      State: 'exited',
      ExitCode: 5,
      RestartCount: 0,
    });
  });

  it('always restarts a clean exit, and keeps doing it while the daemon is down', async () => {
    const name = `${project}-steady-1`;
    expect((await inspect(name)).HostConfig.RestartPolicy.Name).toBe('always');
    await eventually(async () => ((await inspect(name)).RestartCount >= 1 ? true : undefined));
    await dispose();
    const before = (await inspect(name)).RestartCount;
    // The engine doubles its delay after each quick exit (100 ms, 200 ms, …, at most one minute): by now,
    // after the tests above, the next restart can be tens of seconds away on a loaded machine (it failed
    // once at load ~90 with the 30 s default). The wait covers the engine's cap.
    await eventually(async () => ((await inspect(name)).RestartCount > before ? true : undefined), 75_000);
  });
});

describe('deploy.restart_policy: supervised by the daemon, with backoff', () => {
  const project = uniqueProject('rs-deploy');
  let core: TestCore;
  let dispose: () => Promise<void>;
  beforeAll(async () => {
    ({ core, dispose } = await startCore({
      restartBackoff: { floorMs: 100, capMs: 60_000, resetAfterMs: 10_000 },
    }));
  });
  afterAll(async () => {
    await dispose?.().catch(() => undefined);
    await removeProject(project);
  });

  it('restarts max_attempts times, spaced by at least delay (doubling), then gives up and stays down', async () => {
    const yaml = `
services:
  job:
    image: ${FIXTURE_IMAGE}
    command: ["sh", "-c", "echo run; exit 4"]
    deploy:
      restart_policy:
        condition: on-failure
        delay: 1s
        max_attempts: 2
`;
    const rec = recordEvents(core, project);
    try {
      const { record: r } = await finish(core, core.up(inlineSource(project, yaml), {}));
      expect(r.error).toBeUndefined();
      const name = `${project}-job-1`;
      // The engine must not restart it itself: the daemon does.
      expect((await inspect(name)).HostConfig.RestartPolicy.Name).toBe('no');

      // While a restart is pending, ps says so.
      const backoff = await eventually(async () => {
        if (!rec.events.some((e) => e.type === 'restart' && e.action === 'backoff')) return undefined;
        const c = await container(core, project, 'job');
        return c.State === 'restarting' && /^restarting \(backoff \d/.test(c.Status) ? c : undefined;
      });
      expect(backoff.RestartReason).toMatch(/exited with code 4; restart \d of 2/);

      const gaveUp = await eventually(
        async () => rec.events.find((e) => e.type === 'restart' && e.action === 'give-up'),
        60_000,
      );
      expect(gaveUp.reason).toMatch(/exited with code 4; gave up after 2 restarts \(max_attempts 2\)/);
      const restarts = rec.events.filter((e) => e.type === 'restart' && e.action === 'restart');
      expect(restarts).toHaveLength(2);
      expect(restarts.map((e) => e.attributes?.exitCode)).toEqual(['4', '4']);

      // Each restart comes at least its backoff after the death before it: 1 s, then 2 s.
      const dies = rec.events.filter((e) => e.type === 'container' && e.action === 'die');
      expect(dies).toHaveLength(3);
      const gaps = restarts.map((e, i) => Date.parse(e.time) - Date.parse(dies[i]?.time ?? ''));
      expect(gaps[0]).toBeGreaterThanOrEqual(1000);
      expect(gaps[1]).toBeGreaterThanOrEqual(2000);

      // The convergence loop does not fight the policy: a repair pass leaves it down.
      core.internals.supervisor?.poke(project, 'test: after give-up');
      await sleep(2000);
      const i = await inspect(name);
      expect(i.State.Status).toBe('exited');
      const c = await container(core, project, 'job');
      expect(c).toMatchObject({ State: 'exited', ExitCode: 4, RestartCount: 2 });
      expect(c.Status).toMatch(/gave up after 2 restarts/);
      expect(rec.events.filter((e) => e.type === 'restart' && e.action === 'restart')).toHaveLength(2);
    } finally {
      rec.stop();
    }
  });

  it('`orc stop` of a service under a policy keeps it stopped (no restart of a user stop)', async () => {
    const yaml = `
services:
  web:
    image: ${FIXTURE_IMAGE}
    command: ["sh", "-c", "sleep 86400"]
    deploy:
      restart_policy:
        condition: any
        delay: 500ms
`;
    const { record: r } = await finish(core, core.up(inlineSource(project, yaml), { removeOrphans: true }));
    expect(r.error).toBeUndefined();
    const rec = recordEvents(core, project);
    try {
      const { record: s } = await finish(
        core,
        core.serviceAction({ name: project }, 'stop', { timeoutSeconds: 1 }),
      );
      expect(s.error).toBeUndefined();
      await sleep(2000);
      expect((await inspect(`${project}-web-1`)).State.Status).toBe('exited');
      expect(rec.events.filter((e) => e.type === 'restart')).toEqual([]);
    } finally {
      rec.stop();
    }
  });
});
