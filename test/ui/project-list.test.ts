/**
 * Issue 19: `GET /v1/projects` answers from one engine list, without inspecting containers, and still gives
 * the page a container's health and its `running n/m`. Real engine; the engine seam counts the calls.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../apps/daemon/src/engine/engine.js';
import {
  eventually,
  finish,
  inlineSource,
  startCore,
  type TestCore,
} from '../../apps/daemon/test/support/core.js';
import { projectCounts } from '../../apps/ui/src/status.js';
import { docker, FIXTURE_IMAGE, removeProject, uniqueProject } from '../support/engine.js';

/** The real engine, with a count of each method called. */
function countingEngine(): { engine: Engine; calls: Map<string, number> } {
  const real = createEngine();
  const calls = new Map<string, number>();
  const engine = new Proxy(real, {
    get(target, key, receiver) {
      const v = Reflect.get(target, key, receiver) as unknown;
      if (typeof v !== 'function' || typeof key !== 'string') return v;
      return (...args: unknown[]) => {
        calls.set(key, (calls.get(key) ?? 0) + 1);
        return (v as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { engine, calls };
}

const sleeper = `command: ["sh", "-c", "trap 'exit 0' TERM; sleep 86400 & wait"]`;
const yaml = `services:
  ok:
    image: ${FIXTURE_IMAGE}
    ${sleeper}
    healthcheck: { test: ["CMD", "true"], interval: 1s, timeout: 2s, retries: 1 }
  sick:
    image: ${FIXTURE_IMAGE}
    ${sleeper}
    healthcheck: { test: ["CMD", "false"], interval: 1s, timeout: 2s, retries: 1 }
  web:
    image: ${FIXTURE_IMAGE}
    ${sleeper}
    deploy: { replicas: 2 }
`;

describe('the light project list (issue 19)', () => {
  const project = uniqueProject('uilist');
  const { engine, calls } = countingEngine();
  let core: TestCore;
  let dispose: () => Promise<void> = async () => undefined;

  beforeAll(async () => {
    // No supervisor: nothing restarts the unhealthy service or the killed replica behind the test's back.
    ({ core, dispose } = await startCore({ engine, supervise: false }));
    const { record } = await finish(core, core.up(inlineSource(project, yaml), {}));
    expect(record.error).toBeUndefined();
    await docker('kill', `${project}-web-2`);
  });
  afterAll(async () => {
    await dispose();
    await removeProject(project);
  });

  const ours = async (detail?: boolean) =>
    (await core.listProjects(detail ? { detail: true } : {})).find((p) => p.name === project);

  it("shows each container's health and running n/m from one engine list, with no inspect", async () => {
    // The health checks settle within a few seconds; the wait reads the detailed view, not the one tested.
    await eventually(async () => {
      const p = await ours(true);
      const health = Object.fromEntries(p?.containers.map((c) => [c.Service, c.Health]) ?? []);
      return health.ok === 'healthy' && health.sick === 'unhealthy' ? true : undefined;
    });

    calls.clear();
    const light = await ours();
    expect(calls.get('listContainers')).toBe(1);
    expect(calls.get('inspectContainer') ?? 0).toBe(0);
    expect([...calls.keys()].sort()).toEqual(['listContainers']);

    expect(light).toBeDefined();
    if (!light) return;
    expect(light).toMatchObject({ registered: true, status: 'exited(1), running(3)' });
    expect(light.containers.map((c) => [c.Name, c.State, c.Health])).toEqual([
      [`${project}-ok-1`, 'running', 'healthy'],
      [`${project}-sick-1`, 'running', 'unhealthy'],
      [`${project}-web-1`, 'running', ''],
      [`${project}-web-2`, 'exited', ''],
    ]);
    // What the page's list row says: running 3/4, one unhealthy, one stopped.
    expect(projectCounts(light)).toEqual({
      running: 3,
      expected: 4,
      unhealthy: 1,
      restarting: 0,
      stopped: 1,
    });
    // Left to the project view: the probe output and the start time need an inspect.
    expect(light.containers.some((c) => c.HealthOutput !== undefined || c.StartedAt !== undefined)).toBe(
      false,
    );
  });

  it('detail=true is the old answer: an inspect per container, the same states, plus start times', async () => {
    calls.clear();
    const detailed = await ours(true);
    expect(calls.get('inspectContainer') ?? 0).toBeGreaterThanOrEqual(4);
    const light = await ours();
    if (!detailed || !light) throw new Error(`project ${project} missing from the list`);
    const states = (p: typeof light) => p.containers.map((c) => [c.Name, c.State, c.Health]);
    expect(states(detailed)).toEqual(states(light));
    expect(detailed.containers.every((c) => c.StartedAt !== undefined)).toBe(true);
    expect(projectCounts(detailed)).toEqual(projectCounts(light));
  });
});
