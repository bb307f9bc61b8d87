import { describe, expect, it, vi } from 'vitest';
import { OrcError } from '../contract/errors.js';
import type { Engine } from '../engine/engine.js';
import type { EngineContainerDetails } from '../engine/types.js';
import type { Operation, Plan } from '../plan/types.js';
import { executePlan, summariseFailure } from './executor.js';
import { createLimiter } from './limiter.js';

/** An engine that records calls; `fail` names containers whose start fails, `exitCodes` what waits see. */
function fakeEngine(opts: { fail?: string[]; exitCodes?: Record<string, number>; delayMs?: number } = {}) {
  const calls: string[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const step = async (what: string) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    calls.push(what);
    await new Promise((r) => setTimeout(r, opts.delayMs ?? 1));
    inFlight--;
  };
  const details = (name: string): EngineContainerDetails => {
    const code = opts.exitCodes?.[name];
    return {
      Id: `id-${name}`,
      Name: `/${name}`,
      Created: '',
      Image: 'sha256:x',
      RestartCount: 0,
      State: {
        Status: code === undefined ? 'running' : 'exited',
        Running: code === undefined,
        Paused: false,
        Restarting: false,
        OOMKilled: false,
        Dead: false,
        Pid: 1,
        ExitCode: code ?? 0,
        Error: '',
        StartedAt: '',
        FinishedAt: '',
      },
      Config: { Image: 'img', Labels: {} },
      HostConfig: {},
      NetworkSettings: { Networks: {} },
      Mounts: [],
    };
  };
  const engine = {
    inspectImage: async () => ({ Id: 'sha256:img', RepoTags: [] }),
    createContainer: async (name: string) => {
      await step(`create ${name}`);
      return `id-${name}`;
    },
    startContainer: async (name: string) => {
      await step(`start ${name}`);
      if (opts.fail?.includes(name))
        throw new OrcError('PORT_ALLOCATED', `container ${name}: port 80 is already in use`);
    },
    inspectContainer: async (name: string) => details(name),
    connectNetwork: async (net: string, c: string) => step(`connect ${c} ${net}`),
  } as unknown as Engine;
  return { engine, calls, maxInFlight: () => maxInFlight };
}

const create = (name: string, after: string[] = []): Operation => ({
  id: `create:${name}`,
  kind: 'create-container',
  name,
  createAs: name,
  number: 1,
  body: { Image: 'img', Labels: {}, HostConfig: {} },
  endpoints: [],
  after,
  cause: 'missing',
  service: name,
});
const start = (name: string, after: string[] = []): Operation => ({
  id: `start:${name}`,
  kind: 'start-container',
  name,
  after: [`create:${name}`, ...after],
  cause: 'missing',
  service: name,
});
const wait = (name: string, until: 'running' | 'exited-0', required = true): Operation => ({
  id: `wait:${name}`,
  kind: 'wait-container',
  name,
  until,
  required,
  after: [`start:${name}`],
  cause: 'depends_on',
  service: name,
});
const plan = (operations: Operation[]): Plan => ({ project: 'p', operations, warnings: [], errors: [] });
const run = (engine: Engine, p: Plan, parallelism?: number) =>
  executePlan(p, {
    engine,
    operationId: 'op',
    ensureImage: async () => undefined,
    ...(parallelism ? { parallelism } : {}),
  });

describe('executePlan: the image id label', () => {
  /** Records the `com.docker.compose.image` label of each create and how often the image was inspected. */
  const labelling = () => {
    const labels: string[] = [];
    let inspects = 0;
    const engine = {
      inspectImage: async () => {
        inspects++;
        return { Id: 'sha256:inspected', RepoTags: [] };
      },
      createContainer: async (name: string, body: { Labels: Record<string, string> }) => {
        labels.push(body.Labels['com.docker.compose.image']!);
        return `id-${name}`;
      },
    } as unknown as Engine;
    return { engine, labels, inspects: () => inspects };
  };

  it('takes the id the planner observed: no second inspect of the image', async () => {
    const { engine, labels, inspects } = labelling();
    const planned = { ...create('a'), imageId: 'sha256:observed' } as Operation;
    expect((await run(engine, plan([planned]))).ok).toBe(true);
    expect(labels).toEqual(['sha256:observed']);
    expect(inspects()).toBe(0);
  });

  it('inspects once per image when the plan carries no id (it pulls or builds it)', async () => {
    const { engine, labels, inspects } = labelling();
    expect((await run(engine, plan([create('a'), create('b')]))).ok).toBe(true);
    expect(labels).toEqual(['sha256:inspected', 'sha256:inspected']);
    expect(inspects()).toBe(1);
  });
});

describe('executePlan', () => {
  it('runs operations after what they depend on', async () => {
    const { engine, calls } = fakeEngine();
    const r = await run(
      engine,
      plan([create('a'), start('a'), wait('a', 'running'), create('b'), start('b', ['wait:a'])]),
    );
    expect(r.ok).toBe(true);
    expect(calls.indexOf('start b')).toBeGreaterThan(calls.indexOf('start a'));
    expect(calls.indexOf('start a')).toBeGreaterThan(calls.indexOf('create a'));
  });

  it('skips what depends on a failure, carries on with independent branches', async () => {
    const { engine, calls } = fakeEngine({ fail: ['a'] });
    const r = await run(
      engine,
      plan([create('a'), start('a'), create('b'), start('b', ['start:a']), create('c'), start('c')]),
    );
    expect(r.ok).toBe(false);
    expect(r.failures.map((f) => [f.op.id, f.code])).toEqual([['start:a', 'PORT_ALLOCATED']]);
    expect(r.skipped.map((op) => op.id)).toEqual(['start:b']);
    expect(calls).toContain('start c');
    expect(calls).not.toContain('start b');
    const e = summariseFailure(r);
    expect(e.code).toBe('PORT_ALLOCATED');
    expect(e.message).toContain('not started because of this: b');
  });

  it('names the job and its exit code when a completed-successfully dependency fails', async () => {
    const { engine } = fakeEngine({ exitCodes: { job: 3 } });
    const r = await run(
      engine,
      plan([create('job'), start('job'), wait('job', 'exited-0'), create('app'), start('app', ['wait:job'])]),
    );
    expect(r.failures[0]?.message).toBe(
      'service job (container job) exited with code 3; its dependents need it to complete successfully (exit 0)',
    );
    expect(r.skipped.map((op) => op.id)).toEqual(['start:app']);
    expect(summariseFailure(r).code).toBe('DEPENDENCY_FAILED');
  });

  it('lets dependents of an optional (required: false) dependency start anyway', async () => {
    const { engine, calls } = fakeEngine({ exitCodes: { job: 1 } });
    const r = await run(
      engine,
      plan([
        create('job'),
        start('job'),
        wait('job', 'exited-0', false),
        create('app'),
        start('app', ['wait:job']),
      ]),
    );
    expect(r.ok).toBe(true);
    expect(r.warnings[0]).toContain('exited with code 1');
    expect(calls).toContain('start app');
  });

  it('keeps engine operations of plans running at once under one shared bound', async () => {
    const { engine, maxInFlight } = fakeEngine({ delayMs: 5 });
    const names = (prefix: string) => ['a', 'b', 'c', 'd'].map((n) => `${prefix}-${n}`);
    const planOf = (prefix: string): Plan => ({
      project: prefix,
      operations: names(prefix).flatMap((n) => [create(n), start(n)]),
      warnings: [],
      errors: [],
    });
    const engineLimit = createLimiter(3);
    const opts = (id: string) => ({
      engine,
      operationId: id,
      parallelism: 8,
      engineLimit,
      ensureImage: async () => {},
    });
    const results = await Promise.all([
      executePlan(planOf('p'), opts('1')),
      executePlan(planOf('q'), opts('2')),
    ]);
    expect(results.every((r) => r.ok)).toBe(true);
    expect(maxInFlight()).toBe(3);
  });

  it('runs the head of the longest chain first when slots are scarce', async () => {
    // Listed leaves first: a FIFO bound would create all of them before the service others wait on.
    const { engine, calls } = fakeEngine();
    const leaves = ['l1', 'l2', 'l3'].flatMap((n) => [create(n), start(n)]);
    const chain = [create('s0'), start('s0'), wait('s0', 'running'), create('s1'), start('s1', ['wait:s0'])];
    expect((await run(engine, plan([...leaves, ...chain]), 1)).ok).toBe(true);
    expect(calls.slice(0, 2)).toEqual(['create s0', 'start s0']);
  });

  it('gives waits no slot of the bound: a long wait does not hold back other creates', async () => {
    const { engine, calls } = fakeEngine({ exitCodes: {} });
    let released = false;
    const slowEngine = {
      ...engine,
      inspectContainer: async (name: string) => {
        // s0 is not running until the leaves' creates are done: with the wait in the bounded queue
        // (parallelism 1) nothing else could run meanwhile and the plan would hang.
        while (!released) await new Promise((r) => setTimeout(r, 2));
        return engine.inspectContainer(name);
      },
    } as Engine;
    const p = plan([create('s0'), start('s0'), wait('s0', 'running'), create('l1'), create('l2')]);
    const done = run(slowEngine, p, 1);
    while (!(calls.includes('create l1') && calls.includes('create l2')))
      await new Promise((r) => setTimeout(r, 2));
    released = true;
    expect((await done).ok).toBe(true);
  });

  it('keeps at most `parallelism` operations in flight', async () => {
    const { engine, maxInFlight } = fakeEngine({ delayMs: 5 });
    const ops = Array.from({ length: 20 }, (_, i) => create(`c${i}`));
    expect((await run(engine, plan(ops), 3)).ok).toBe(true);
    expect(maxInFlight()).toBe(3);
  });

  it('connects the other endpoints after create, before start', async () => {
    const { engine, calls } = fakeEngine();
    const c = create('a') as Extract<Operation, { kind: 'create-container' }>;
    c.endpoints = [
      { key: 'front', name: 'p_front', aliases: [], priority: 1 },
      { key: 'back', name: 'p_back', aliases: ['x'], priority: 0 },
    ];
    await run(engine, plan([c, start('a')]));
    expect(calls).toEqual(['create a', 'connect id-a p_back', 'start a']);
  });

  it('reports an unreachable operation instead of hanging', async () => {
    const { engine } = fakeEngine();
    const r = await run(engine, plan([create('a', ['create:b']), create('b', ['create:a'])]));
    expect(r.ok).toBe(false);
    expect(r.failures.map((f) => f.message)).toEqual([
      'operation create:a was never reachable (cycle in the plan)',
      'operation create:b was never reachable (cycle in the plan)',
    ]);
  });
});

describe('remove-network', () => {
  const removeOp: Operation = {
    id: 'remove-network:n1',
    kind: 'remove-network',
    name: 'p_default',
    networkId: 'n1',
    after: [],
    cause: 'down',
  };
  /** `holder` null: the network lists no container at all (only a stale endpoint holds it). */
  const engineWith = (
    holder: { name: string; project?: string; exists: boolean } | null,
    failures: number,
  ) => {
    let calls = 0;
    return {
      calls: () => calls,
      engine: {
        removeNetwork: async () => {
          calls++;
          if (calls <= failures) throw new OrcError('CONFLICT', 'network n1 is still used by containers');
        },
        inspectNetwork: async () => ({
          Id: 'n1',
          Name: 'p_default',
          Created: '',
          Driver: 'bridge',
          Labels: {},
          Containers: holder ? { e: { Name: holder.name } } : {},
        }),
        inspectContainer: async () =>
          holder?.exists
            ? { Config: { Labels: holder.project ? { 'com.docker.compose.project': holder.project } : {} } }
            : undefined,
      } as unknown as Engine,
    };
  };

  it('retries while only a departing container of ours still holds the endpoint', async () => {
    const { engine, calls } = engineWith({ name: 'p-web-1', exists: false }, 2);
    expect((await run(engine, plan([removeOp]))).ok).toBe(true);
    expect(calls()).toBe(3);
  });

  /** Runs the network's removal to its end, its retries' waits skipped. */
  const removeWithoutWaiting = async (engine: Engine) => {
    vi.useFakeTimers();
    try {
      const result = run(engine, plan([removeOp]));
      await vi.runAllTimersAsync();
      return await result;
    } finally {
      vi.useRealTimers();
    }
  };

  it("says the engine's stale endpoint is what holds an empty network after every retry", async () => {
    for (const holder of [{ name: 'p-web-1', exists: false }, null]) {
      const { engine, calls } = engineWith(holder, 100);
      const r = await removeWithoutWaiting(engine);
      expect(r.failures[0]?.message).toContain(
        'no container uses it, but the engine still holds an endpoint',
      );
      expect(r.failures[0]?.message).not.toContain('stop or disconnect');
      expect(calls()).toBe(10);
    }
  });

  it("keeps the engine's refusal when a container of ours still holds the network after every retry", async () => {
    const { engine, calls } = engineWith({ name: 'p-web-1', project: 'p', exists: true }, 100);
    const r = await removeWithoutWaiting(engine);
    expect(r.failures[0]?.message).toContain('network n1 is still used by containers');
    expect(calls()).toBe(10);
  });

  it('names a foreign container that holds the network, without retrying', async () => {
    const { engine, calls } = engineWith({ name: 'someone-else', exists: true }, 5);
    const r = await run(engine, plan([removeOp]));
    expect(r.failures[0]?.message).toContain('network p_default is still used by someone-else');
    expect(calls()).toBe(1);
  });
});
