import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContainerSummary, DaemonEvent } from '../../src/contract/types.js';
import { eventually, finish, inlineSource, startCore, type TestCore } from '../support/core.js';
import { docker, FIXTURE_IMAGE, removeProject, uniqueProject } from '../support/engine.js';

const project = uniqueProject('health');
/** An image with its own HEALTHCHECK, built for this run only. */
const healthImage = `${project}-hcimage:1`;

interface HealthConfig {
  Test?: string[];
  Interval?: number;
  Timeout?: number;
  Retries?: number;
  StartPeriod?: number;
}

async function inspect(name: string): Promise<{
  Config: { Healthcheck?: HealthConfig };
  State: { StartedAt: string; Health?: { Status: string } };
}> {
  return JSON.parse(await docker('inspect', name))[0];
}

const s = 1_000_000_000;

const yaml = `
services:
  cmd:
    image: ${FIXTURE_IMAGE}
    command: ["sleep", "86400"]
    healthcheck:
      test: ["CMD", "true"]
      interval: 2s
      timeout: 3s
      retries: 4
      start_period: 5s
  shell:
    image: ${FIXTURE_IMAGE}
    command: ["sleep", "86400"]
    healthcheck:
      test: echo probe-says-no; exit 1
      interval: 1s
      timeout: 2s
      retries: 1
  none:
    image: ${healthImage}
    command: ["sleep", "86400"]
    healthcheck:
      test: ["NONE"]
  disabled:
    image: ${healthImage}
    command: ["sleep", "86400"]
    healthcheck:
      disable: true
  inherited:
    image: ${healthImage}
    command: ["sleep", "86400"]
  unhealthy-restart:
    image: ${FIXTURE_IMAGE}
    command: ["sleep", "86400"]
    healthcheck:
      test: ["CMD-SHELL", "echo still-broken; exit 1"]
      interval: 1s
      timeout: 2s
      retries: 1
    stop_grace_period: 1s
    x-orc:
      restart_on_unhealthy: true
  label-restart:
    image: ${FIXTURE_IMAGE}
    command: ["sleep", "86400"]
    stop_grace_period: 1s
    labels:
      dev.orc.restart-on-unhealthy: "true"
    healthcheck:
      test: ["CMD-SHELL", "exit 1"]
      interval: 1s
      timeout: 2s
      retries: 1
    deploy:
      restart_policy:
        condition: any
        delay: 1s
        max_attempts: 1
`;

describe('healthchecks: mapping, state in ps and events, restart on unhealthy', () => {
  let core: TestCore;
  let dispose: () => Promise<void>;
  let dir: string;
  const events: DaemonEvent[] = [];
  const ac = new AbortController();
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'orc-hc-'));
    await writeFile(
      join(dir, 'Dockerfile'),
      `FROM ${FIXTURE_IMAGE}\nHEALTHCHECK --interval=1s --timeout=2s --retries=2 CMD echo image-probe\n`,
    );
    await docker('build', '-q', '-t', healthImage, dir);
    ({ core, dispose } = await startCore());
    void (async () => {
      for await (const e of core.events({ project }, ac.signal)) events.push(e);
    })();
    const { record } = await finish(core, core.up(inlineSource(project, yaml), {}));
    expect(record.error).toBeUndefined();
  });
  afterAll(async () => {
    ac.abort();
    await dispose?.();
    await removeProject(project);
    await docker('rmi', '-f', healthImage).catch(() => undefined);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const summary = async (service: string): Promise<ContainerSummary> => {
    const p = await core.getProject({ name: project });
    const c = p?.containers.find((x) => x.Service === service);
    if (!c) throw new Error(`no container for ${service}`);
    return c;
  };

  it('maps test/interval/timeout/retries/start_period exactly (docker inspect)', async () => {
    expect((await inspect(`${project}-cmd-1`)).Config.Healthcheck).toMatchObject({
      Test: ['CMD', 'true'],
      Interval: 2 * s,
      Timeout: 3 * s,
      Retries: 4,
      StartPeriod: 5 * s,
    });
    expect((await inspect(`${project}-shell-1`)).Config.Healthcheck).toMatchObject({
      Test: ['CMD-SHELL', 'echo probe-says-no; exit 1'],
      Interval: 1 * s,
      Timeout: 2 * s,
      Retries: 1,
    });
  });

  it('NONE and disable: true switch off the image’s own HEALTHCHECK; without healthcheck the image’s applies', async () => {
    expect((await inspect(`${project}-none-1`)).Config.Healthcheck?.Test).toEqual(['NONE']);
    expect((await inspect(`${project}-disabled-1`)).Config.Healthcheck?.Test).toEqual(['NONE']);
    expect((await inspect(`${project}-inherited-1`)).Config.Healthcheck?.Test).toEqual([
      'CMD-SHELL',
      'echo image-probe',
    ]);
    const inherited = await eventually(async () => {
      const c = await summary('inherited');
      return c.Health === 'healthy' ? c : undefined;
    });
    expect(inherited.HealthOutput).toBe('image-probe');
    expect((await summary('none')).Health).toBe('');
    expect((await summary('disabled')).Health).toBe('');
  });

  it('a failing healthcheck shows unhealthy, with the probe output, in the summary and in events', async () => {
    const c = await eventually(async () => {
      const x = await summary('shell');
      return x.Health === 'unhealthy' ? x : undefined;
    });
    expect(c.HealthOutput).toBe('probe-says-no');
    expect(c.Status).toMatch(/unhealthy/);
    const event = await eventually(async () =>
      events.find((e) => e.type === 'health' && e.service === 'shell' && e.action === 'unhealthy'),
    );
    expect(event.reason).toBe('probe-says-no');
    const p = await core.getProject({ name: project });
    expect(p?.status).toMatch(/running/);
    // Not opted in: an unhealthy container is reported, never restarted.
    expect(events.filter((e) => e.type === 'restart' && e.service === 'shell')).toEqual([]);
  });

  it('restart_on_unhealthy: the unhealthy container is restarted, with its reason in events and ps', async () => {
    const first = (await inspect(`${project}-unhealthy-restart-1`)).State.StartedAt;
    const restart = await eventually(async () =>
      events.find((e) => e.type === 'restart' && e.service === 'unhealthy-restart' && e.action === 'restart'),
    );
    expect(restart.reason).toMatch(/^unhealthy \(last probe: still-broken\); restart 1 after 1s/);
    expect(restart.attributes?.trigger).toBe('unhealthy');
    expect((await inspect(`${project}-unhealthy-restart-1`)).State.StartedAt).not.toBe(first);
    const c = await summary('unhealthy-restart');
    expect(c.RestartCount).toBeGreaterThanOrEqual(1);
    expect(c.RestartReason).toMatch(/unhealthy \(last probe: still-broken\)/);
  });

  it('the label alternative works too, and max_attempts bounds unhealthy restarts', async () => {
    const gaveUp = await eventually(
      async () =>
        events.find((e) => e.type === 'restart' && e.service === 'label-restart' && e.action === 'give-up'),
      60_000,
    );
    expect(gaveUp.reason).toMatch(/^unhealthy; gave up after 1 restarts \(max_attempts 1\)/);
    const restarts = events.filter(
      (e) => e.type === 'restart' && e.service === 'label-restart' && e.action === 'restart',
    );
    expect(restarts).toHaveLength(1);
    // Given up: it keeps running, unhealthy, and reported as such.
    const c = await summary('label-restart');
    expect(c).toMatchObject({ State: 'running', Health: 'unhealthy', RestartCount: 1 });
  });
});
