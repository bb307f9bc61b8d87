/**
 * Lifecycle hooks in plans, fed by the real spec pipeline and applied with the simulator: when
 * pre_start steps run (once per definition), where post_start and pre_stop go, and that the edges
 * they add never make a cycle.
 */
import { Labels } from '@orc/spec';
import { describe, expect, it } from 'vitest';
import { desiredFromCompose, nothingObserved } from '../../test/support/plan/fixtures.js';
import { applyPlan } from '../../test/support/plan/simulate.js';
import type { ObservedProject } from '../observe/types.js';
import { planServiceAction } from './actions.js';
import { planDown } from './down.js';
import { renderPlan } from './render.js';
import type { Plan } from './types.js';
import { plan } from './up.js';

const desiredFrom = desiredFromCompose;

const IMAGE = 'orc-fixture/busybox:1';
const nothing = () => nothingObserved();

const compose = (opts: { step?: string; env?: string; replicas?: number } = {}) => `
services:
  db:
    image: ${IMAGE}
    healthcheck: {test: ["CMD", "true"]}
  web:
    image: ${IMAGE}
    command: ["httpd", "-f"]
    environment: {GREETING: ${opts.env ?? 'hello'}}
    volumes: [data:/data]
    depends_on: {db: {condition: service_healthy}}
    deploy: {replicas: ${opts.replicas ?? 1}}
    pre_start:
      - command: ${opts.step ?? "sh -c 'echo one >> /data/log'"}
      - image: other/image:2
        command: ["true"]
        environment: {STEP: two}
    post_start:
      - command: sh -c 'echo started'
    pre_stop:
      - command: sh -c 'echo bye'
volumes:
  data: {}
`;

const ids = (p: Plan, prefix: string) =>
  p.operations.filter((op) => op.id.startsWith(prefix)).map((op) => op.id);
const after = (p: Plan, id: string) => [...(p.operations.find((op) => op.id === id)?.after ?? [])].sort();

/** Marks every container of the simulated state as having run (the simulator does not keep StartedAt). */
function ran(o: ObservedProject): ObservedProject {
  return {
    ...o,
    containers: o.containers.map((c) => ({
      ...c,
      startedAt: c.state === 'created' ? '' : '2026-12-04T00:00:00Z',
    })),
  };
}

describe('pre_start', () => {
  it('runs its steps in order after the create and the dependency waits, before the first start', async () => {
    const desired = await desiredFrom(compose());
    const p = plan(desired, nothing());
    const lines = renderPlan(p);
    expect(lines).toContain(
      'run pre_start[0] of web in demo-web-1-pre_start-1 (orc-fixture/busybox:1: sh -c "echo one >> /data/log") (before the first start)',
    );
    expect(lines).toContain(
      'run pre_start[1] of web in demo-web-1-pre_start-2 (other/image:2: true) (before the first start)',
    );
    expect(after(p, 'run-init:demo-web-1-pre_start-1')).toEqual([
      'create-container:demo-web-1',
      'wait-container:demo-db-1:healthy',
    ]);
    expect(after(p, 'run-init:demo-web-1-pre_start-2')).toEqual(['run-init:demo-web-1-pre_start-1']);
    expect(after(p, 'start-container:demo-web-1')).toContain('run-init:demo-web-1-pre_start-2');
    // db has no hooks.
    expect(ids(p, 'run-init:demo-db')).toEqual([]);
    expect(p.errors).toEqual([]);
  });

  it('gives the init container the service mounts and environment, not its aliases or ports', async () => {
    const desired = await desiredFrom(compose());
    const web = desired.services.find((s) => s.name === 'web');
    const [one, two] = web?.hooks?.pre_start ?? [];
    expect(one?.create.HostConfig.Binds ?? one?.create.HostConfig.Mounts).toBeDefined();
    expect(JSON.stringify(one?.create.HostConfig)).toContain('demo_data');
    expect(one?.create.Env).toContain('GREETING=hello');
    expect(two?.create.Env).toEqual(expect.arrayContaining(['GREETING=hello', 'STEP=two']));
    expect(two?.create.Image).toBe('other/image:2');
    expect(one?.create.Labels[Labels.oneoff]).toBe('True');
    expect(one?.create.Labels[Labels.orcHook]).toBe('pre_start');
    expect(one?.endpoints.every((e) => e.aliases.length === 0)).toBe(true);
    expect(JSON.stringify(one?.create.NetworkingConfig)).not.toContain('"web"');
    expect(one?.create.Healthcheck).toBeUndefined();
    expect(web?.containers[0]?.create.Labels[Labels.orcPreStart]).toBe(web?.hooks?.pre_start_hash);
  });

  it('does not run again on a no-op up, a scale-up or a recreate for another reason; runs again when the steps change', async () => {
    const first = await desiredFrom(compose());
    const state = ran(applyPlan(nothing(), plan(first, nothing())));
    expect(plan(first, state).operations).toEqual([]);

    const scaled = await desiredFrom(compose({ replicas: 3 }));
    const up = plan(scaled, state);
    expect(ids(up, 'start-container:demo-web')).toHaveLength(2);
    expect(ids(up, 'run-init')).toEqual([]);

    const otherEnv = await desiredFrom(compose({ env: 'bonjour' }));
    const recreate = plan(otherEnv, state);
    expect(ids(recreate, 'create-container:demo-web-1')).toHaveLength(1);
    expect(ids(recreate, 'run-init')).toEqual([]);

    // --force-recreate starts from scratch, steps included.
    const forced = plan(first, state, { forceRecreate: true });
    expect(ids(forced, 'run-init')).toHaveLength(2);

    const otherStep = await desiredFrom(compose({ step: '["true"]' }));
    const rerun = plan(otherStep, state);
    expect(ids(rerun, 'run-init')).toEqual([
      'run-init:demo-web-1-pre_start-1',
      'run-init:demo-web-1-pre_start-2',
    ]);
    expect(() => applyPlan(state, rerun)).not.toThrow();
  });

  it('runs again for a container left created by a failed step (it never started)', async () => {
    const desired = await desiredFrom(compose());
    const first = plan(desired, nothing());
    const created = applyPlan(nothing(), {
      ...first,
      operations: first.operations.filter(
        (op) => !(op.kind === 'start-container' && op.service === 'web') && op.kind !== 'exec-hook',
      ),
    });
    expect(created.containers.find((c) => c.name === 'demo-web-1')?.state).toBe('created');
    const again = plan(desired, ran(created));
    expect(ids(again, 'run-init')).toHaveLength(2);
    expect(ids(again, 'create-container:demo-web')).toEqual([]);
  });

  it('with several replicas, runs once, before every first start, and makes no cycle with update groups', async () => {
    const desired = await desiredFrom(compose({ replicas: 3 }));
    const p = plan(desired, nothing());
    expect(ids(p, 'run-init')).toHaveLength(2);
    for (const n of [1, 2, 3])
      expect(after(p, `start-container:demo-web-${n}`)).toContain('run-init:demo-web-1-pre_start-2');
    expect(() => applyPlan(nothing(), p)).not.toThrow();
  });
});

describe('post_start and pre_stop', () => {
  it('post_start follows each start; what waits for the container waits for the hook', async () => {
    const yaml = `${compose()}
  app:
    image: ${IMAGE}
    depends_on: [web]
`.replace('volumes:\n  data: {}\n', '');
    const desired = await desiredFrom(`${yaml}volumes:\n  data: {}\n`);
    const p = plan(desired, nothing());
    expect(renderPlan(p)).toContain(
      'run post_start[0] in container demo-web-1 (sh -c "echo started") (after start)',
    );
    expect(after(p, 'exec-hook:post_start:demo-web-1:1')).toEqual(['start-container:demo-web-1']);
    expect(after(p, 'wait-container:demo-web-1:running')).toContain('exec-hook:post_start:demo-web-1:1');
  });

  it('pre_stop runs before down stops a running container, and not for a stopped one', async () => {
    const desired = await desiredFrom(compose({ replicas: 2 }));
    const state = ran(applyPlan(nothing(), plan(desired, nothing())));
    state.containers = state.containers.map((c) => (c.name === 'demo-web-2' ? { ...c, state: 'exited' } : c));
    const down = planDown(desired, state);
    expect(ids(down, 'exec-hook')).toEqual(['exec-hook:pre_stop:demo-web-1:1']);
    expect(after(down, 'stop-container:demo-web-1')).toContain('exec-hook:pre_stop:demo-web-1:1');
    expect(renderPlan(down)).toContain(
      'run pre_stop[0] in container demo-web-1 (sh -c "echo bye") (before down)',
    );
    expect(() => applyPlan(state, down)).not.toThrow();
  });

  it('start and restart run post_start; stop runs pre_stop; none run a pre_start step for a container that ran', async () => {
    const desired = await desiredFrom(compose());
    const state = ran(applyPlan(nothing(), plan(desired, nothing())));
    const stop = planServiceAction(desired, state, 'stop', { services: ['web'] });
    expect(ids(stop, 'exec-hook')).toEqual(['exec-hook:pre_stop:demo-web-1:1']);
    const stopped = ran(applyPlan(state, stop));
    const start = planServiceAction(desired, stopped, 'start', { services: ['web'] });
    expect(ids(start, 'exec-hook')).toEqual(['exec-hook:post_start:demo-web-1:1']);
    expect(ids(start, 'run-init')).toEqual([]);
    const restart = planServiceAction(desired, state, 'restart', { services: ['web'] });
    expect(ids(restart, 'exec-hook')).toEqual(['exec-hook:post_start:demo-web-1:1']);
  });
});

describe('a failed pre_start step', () => {
  it('is not retried by the supervisor’s passes (startExited false), only by the user’s up', async () => {
    const desired = await desiredFrom(compose());
    const first = plan(desired, nothing());
    const created = applyPlan(nothing(), {
      ...first,
      operations: first.operations.filter(
        (op) => !(op.kind === 'start-container' && op.service === 'web') && op.kind !== 'exec-hook',
      ),
    });
    const web = desired.services.find((s) => s.name === 'web');
    const step = web?.hooks?.pre_start[1];
    const base = created.containers.find((c) => c.name === 'demo-web-1');
    if (!step || !base) throw new Error('fixture');
    const failed = {
      ...base,
      id: 'f'.repeat(64),
      name: step.name,
      oneoff: true,
      number: 0,
      state: 'exited' as const,
      exitCode: 3,
      labels: step.create.Labels,
    };
    const observed = ran({ ...created, containers: [...created.containers, failed] });
    const pass = plan(desired, observed, { startExited: false });
    expect(ids(pass, 'start-container:demo-web')).toEqual([]);
    expect(ids(pass, 'run-init')).toEqual([]);
    const up = plan(desired, observed);
    expect(ids(up, 'run-init')).toHaveLength(2);
    expect(ids(up, 'start-container:demo-web')).toEqual(['start-container:demo-web-1']);
  });
});
