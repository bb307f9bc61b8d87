import { type ContainerCreateBody, Labels } from '@orc/spec';
import { afterAll, describe, expect, it } from 'vitest';
import type { ProgressEvent } from '../src/contract/types.js';
import { createEngine } from '../src/engine/engine.js';
import { executePlan } from '../src/execute/executor.js';
import { observeProject } from '../src/observe/observe.js';
import type { Operation, Plan } from '../src/plan/types.js';
import { docker, FIXTURE_IMAGE, removeProject, uniqueProject } from './support/engine.js';

const engine = createEngine();
const noImages = async () => undefined;

function containerBody(
  project: string,
  service: string,
  cmd: string[],
  extra: Partial<ContainerCreateBody> = {},
) {
  return {
    Image: FIXTURE_IMAGE,
    Cmd: cmd,
    Labels: {
      [Labels.project]: project,
      [Labels.service]: service,
      [Labels.containerNumber]: '1',
      [Labels.oneoff]: 'False',
      [Labels.configHash]: `hash-${service}`,
    },
    StopTimeout: 1,
    HostConfig: {},
    ...extra,
  } satisfies ContainerCreateBody;
}

function containerOps(
  project: string,
  service: string,
  body: ContainerCreateBody,
  after: string[],
): Operation[] {
  const name = `${project}-${service}-1`;
  return [
    {
      id: `create-container:${name}`,
      kind: 'create-container',
      name,
      createAs: name,
      number: 1,
      body,
      endpoints: [],
      after,
      cause: 'missing',
      service,
    },
    {
      id: `start-container:${name}`,
      kind: 'start-container',
      name,
      after: [`create-container:${name}`],
      cause: 'missing',
      service,
    },
  ];
}

describe('executor on the real engine', () => {
  const project = uniqueProject('exec');
  afterAll(() => removeProject(project));

  it('creates network, volume and containers in order, waits healthy, and fails dependents of a bad job', async () => {
    const net = `${project}_back`;
    const vol = `${project}_data`;
    const labels = { [Labels.project]: project };
    const db = containerBody(project, 'db', ['sh', '-c', 'touch /tmp/ready; sleep 600'], {
      Healthcheck: { Test: ['CMD-SHELL', 'test -f /tmp/ready'], Interval: 200_000_000, Retries: 30 },
      HostConfig: { NetworkMode: net, Mounts: [{ Type: 'volume', Source: vol, Target: '/data' }] },
      NetworkingConfig: { EndpointsConfig: { [net]: { Aliases: ['database'] } } },
    });
    const job = containerBody(project, 'job', ['sh', '-c', 'exit 3']);
    const after = containerBody(project, 'after', ['sleep', '600']);
    const ops: Operation[] = [
      {
        id: 'create-network:back',
        kind: 'create-network',
        name: net,
        key: 'back',
        body: { Name: net, Labels: { ...labels, [Labels.network]: 'back' } },
        after: [],
        cause: 'missing',
      },
      {
        id: 'create-volume:data',
        kind: 'create-volume',
        name: vol,
        key: 'data',
        body: { Name: vol, Labels: { ...labels, [Labels.volume]: 'data' } },
        after: [],
        cause: 'missing',
      },
      ...containerOps(project, 'db', db, ['create-network:back', 'create-volume:data']),
      {
        id: `wait:${project}-db-1`,
        kind: 'wait-container',
        name: `${project}-db-1`,
        until: 'healthy',
        required: true,
        after: [`start-container:${project}-db-1`],
        cause: 'depends_on',
        service: 'db',
      },
      ...containerOps(project, 'job', job, [`wait:${project}-db-1`]),
      {
        id: `wait:${project}-job-1`,
        kind: 'wait-container',
        name: `${project}-job-1`,
        until: 'exited-0',
        required: true,
        after: [`start-container:${project}-job-1`],
        cause: 'depends_on',
        service: 'job',
      },
      ...containerOps(project, 'after', after, [`wait:${project}-job-1`]),
    ];
    const plan: Plan = { project, operations: ops, warnings: [], errors: [] };
    const progress: ProgressEvent[] = [];
    const result = await executePlan(plan, {
      engine,
      operationId: 'op-1',
      ensureImage: noImages,
      onProgress: (e) => progress.push(e),
    });

    expect(result.ok).toBe(false);
    expect(result.failures.map((f) => f.op.id)).toEqual([`wait:${project}-job-1`]);
    expect(result.failures[0]?.message).toContain(
      `service job (container ${project}-job-1) exited with code 3`,
    );
    expect(result.skipped.map((op) => op.id)).toEqual([
      `create-container:${project}-after-1`,
      `start-container:${project}-after-1`,
    ]);

    const observed = await observeProject(engine, project, { detail: true });
    const byService = Object.fromEntries(observed.containers.map((c) => [c.service, c]));
    expect(Object.keys(byService).sort()).toEqual(['db', 'job']);
    expect(byService.db?.health).toBe('healthy');
    expect(byService.db?.networks[net]?.aliases).toContain('database');
    expect(byService.db?.mounts.find((m) => m.destination === '/data')?.name).toBe(vol);
    expect(byService.db?.imageLabel).toBe(byService.db?.imageId);
    expect(byService.job?.state).toBe('exited');
    expect(byService.job?.exitCode).toBe(3);
    expect(observed.networks.map((n) => n.key)).toEqual(['back']);
    expect(observed.volumes.map((v) => v.key)).toEqual(['data']);

    const dbEvents = progress
      .filter((e) => e.resource === `${project}-db-1`)
      .map((e) => `${e.action} ${e.state}`);
    expect(dbEvents).toEqual([
      'create working',
      'create done',
      'start working',
      'start done',
      'wait healthy working',
      'wait healthy done',
    ]);
  });

  it('decides nothing on a name conflict: a holder of this project is a stale plan, a foreign one is refused', async () => {
    const name = `${project}-dup-1`;
    const body = containerBody(project, 'dup', ['sleep', '600']);
    const plan = (): Plan => ({
      project,
      operations: containerOps(project, 'dup', body, []),
      warnings: [],
      errors: [],
    });
    expect((await executePlan(plan(), { engine, operationId: 'a', ensureImage: noImages })).ok).toBe(true);
    const firstId = await docker('inspect', '--format', '{{.Id}}', name);
    // The same plan again (as after a crash): the step ends as a stale plan, naming the holder, and the
    // container is left as it is; `up` plans again from what exists (verbs/up-phases.ts).
    const again = await executePlan(plan(), { engine, operationId: 'b', ensureImage: noImages });
    expect(again.ok).toBe(false);
    expect(again.failures.map((f) => f.code)).toEqual(['STALE_PLAN']);
    expect(again.failures[0]?.message).toContain(`container name ${name} was taken since the plan was made`);
    expect(await docker('inspect', '--format', '{{.Id}}', name)).toBe(firstId);

    const foreign = `${project}-foreign-1`;
    await docker('create', '--name', foreign, FIXTURE_IMAGE, 'sleep', '1');
    try {
      const ops = containerOps(project, 'foreign', containerBody(project, 'foreign', ['sleep', '600']), []);
      const r = await executePlan(
        { project, operations: ops, warnings: [], errors: [] },
        {
          engine,
          operationId: 'c',
          ensureImage: noImages,
        },
      );
      expect(r.failures[0]?.code).toBe('NAME_IN_USE');
      expect(r.failures[0]?.message).toContain(`container name ${foreign} is already used`);
      expect(
        await docker('inspect', '--format', '{{index .Config.Labels "com.docker.compose.project"}}', foreign),
      ).toBe('');
    } finally {
      await docker('rm', '-f', foreign);
    }
  });
});
