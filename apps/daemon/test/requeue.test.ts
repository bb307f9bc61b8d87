import { desiredState, Labels, loadProject } from '@orc/spec';
import { afterAll, describe, expect, it } from 'vitest';
import { createEventBus } from '../src/contract/event-bus.js';
import { createEngine } from '../src/engine/engine.js';
import { executePlan } from '../src/execute/executor.js';
import { observeProject } from '../src/observe/observe.js';
import { plan as planUp } from '../src/plan/index.js';
import type { RunContext } from '../src/verbs/converge.js';
import type { OperationScope } from '../src/verbs/operations.js';
import { runRequeued } from '../src/verbs/up-phases.js';
import { docker, FIXTURE_IMAGE, removeProject, uniqueProject } from './support/engine.js';

// Issue 14 item 2: the executor decides nothing. A create that meets a name taken since the plan was
// made ends as a stale step; `up` plans again from what exists, and the planner adopts the container.
describe('up plans again after a stale step', () => {
  const project = uniqueProject('requeue');
  const engine = createEngine();
  afterAll(async () => {
    await removeProject(project);
  });

  it('adopts a container of the project created between plan and execute, with no duplicate', async () => {
    const loaded = await loadProject({
      workingDir: `/tmp/${project}`,
      projectName: project,
      inline: [
        {
          name: 'compose.yaml',
          content: `services:\n  web:\n    image: ${FIXTURE_IMAGE}\n    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 86400 & wait"]\n`,
        },
      ],
      env: {},
    });
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
    const desired = desiredState(loaded.project);
    // The plan is made against an empty project...
    const stale = planUp(desired, await observeProject(engine, project, { desired }), {});
    // ...then someone (a crashed pass, a second client) creates the same container first.
    const first = await executePlan(stale, {
      engine,
      operationId: 'other',
      ensureImage: async () => undefined,
    });
    expect(first.ok).toBe(true);
    const id = await docker('inspect', '--format', '{{.Id}}', `${project}-web-1`);

    const warnings: string[] = [];
    const scope: OperationScope = {
      id: 'test',
      progress: () => undefined,
      setPlan: () => undefined,
      warn: (m) => warnings.push(m),
    };
    const run: RunContext = {
      engine,
      bus: createEventBus(),
      parallelism: 4,
      waitTimeoutMs: 30_000,
      ensureImage: async () => undefined,
    };
    let replans = 0;
    const last = await runRequeued(
      run,
      scope,
      stale,
      async () => {
        replans++;
        return planUp(desired, await observeProject(engine, project, { desired }), {});
      },
      async () => undefined,
    );
    expect(replans).toBe(1);
    expect(warnings.join('\n')).toMatch(
      /was taken since the plan was made[\s\S]*planning again from what exists/,
    );
    expect(last.operations.filter((o) => o.kind === 'create-container')).toEqual([]);
    const ids = (
      await docker('ps', '-aq', '--no-trunc', '--filter', `label=${Labels.project}=${project}`)
    ).split('\n');
    expect(ids).toEqual([id]);
    expect(await docker('inspect', '--format', '{{.State.Status}}', id)).toBe('running');
  });
});
