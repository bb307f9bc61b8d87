import { describe, expect, it } from 'vitest';
import type { EngineService, EngineTask } from '../engine/swarm-types.js';
import { serviceConvergence, tasksLeft } from './wait.js';

const template = { ContainerSpec: { Image: 'img:1', Args: ['a'] }, ForceUpdate: 0 };
const service = (over: Partial<EngineService> = {}, replicas = 2): EngineService => ({
  ID: 's1',
  Version: { Index: 10 },
  CreatedAt: '',
  UpdatedAt: '',
  Spec: { Name: 'p_web', TaskTemplate: template, Mode: { Replicated: { Replicas: replicas } } },
  ...over,
});
const task = (state: string, o: Partial<EngineTask> = {}, spec = template): EngineTask => ({
  ID: `t-${Math.random()}`,
  Version: { Index: 1 },
  CreatedAt: '',
  UpdatedAt: '',
  ServiceID: 's1',
  DesiredState: 'running',
  Status: { State: state },
  Spec: spec,
  ...o,
});

describe('serviceConvergence', () => {
  it('is done when every desired task of the current spec runs', () => {
    expect(serviceConvergence(service(), [task('running'), task('running')], 'running').done).toBe(true);
  });

  it('waits for tasks still starting (a healthcheck not passed yet) and says how many run', () => {
    const r = serviceConvergence(service(), [task('running'), task('starting')], 'healthy');
    expect(r).toEqual({ done: false, why: '1/2 tasks running and healthy' });
  });

  it('does not count tasks of the previous spec right after an update (no UpdateStatus yet)', () => {
    const old = { ...template, ContainerSpec: { Image: 'img:0', Args: ['a'] } };
    const r = serviceConvergence(service(), [task('running', {}, old), task('running', {}, old)], 'running');
    expect(r.done).toBe(false);
    expect(r.why).toContain('update in progress');
  });

  it('waits while an update is in progress, and names the last task error', () => {
    const r = serviceConvergence(
      service({ UpdateStatus: { State: 'updating' } }),
      [
        task('running'),
        task('running'),
        task('failed', {
          DesiredState: 'shutdown',
          Status: { State: 'failed', Err: 'exit 1', Timestamp: '2' },
        }),
      ],
      'running',
    );
    expect(r).toEqual({ done: false, why: '2/2 tasks running, update in progress; last task error: exit 1' });
  });

  it('completed: a job is done when its completions are complete', () => {
    const job = service({
      Spec: { Name: 'p_job', TaskTemplate: template, Mode: { ReplicatedJob: { TotalCompletions: 2 } } },
    });
    const done = (t: EngineTask) => ({ ...t, DesiredState: 'complete' });
    expect(serviceConvergence(job, [done(task('complete')), done(task('running'))], 'completed').done).toBe(
      false,
    );
    expect(serviceConvergence(job, [done(task('complete')), done(task('complete'))], 'completed').done).toBe(
      true,
    );
  });

  it('a global service with a task Swarm holds back (rejected on a node: no such image) is not converged', () => {
    const global = service({ Spec: { Name: 'p_agent', TaskTemplate: template, Mode: { Global: {} } } });
    const rejected = task('rejected', {
      DesiredState: 'ready',
      Status: { State: 'rejected', Err: 'No such image: reg/app:1@sha256:ab', Timestamp: '3' },
    });
    expect(serviceConvergence(global, [task('running'), rejected], 'running')).toEqual({
      done: false,
      why: '1/1 tasks running, 1 not started yet; last task error: No such image: reg/app:1@sha256:ab',
    });
    expect(serviceConvergence(global, [task('running'), task('running')], 'running').done).toBe(true);
  });

  it('ignores tasks of other services', () => {
    const other = task('starting', { ServiceID: 's2' });
    expect(serviceConvergence(service({}, 1), [task('running'), other], 'running').done).toBe(true);
  });
});

describe('serviceConvergence of a global service', () => {
  it('is not done before the orchestrator made its tasks (0 of 0), and done when they all run', () => {
    const global = service({ Spec: { Name: 'p_g', TaskTemplate: template, Mode: { Global: {} } } });
    expect(serviceConvergence(global, [], 'running').done).toBe(false);
    expect(serviceConvergence(global, [task('running'), task('starting')], 'running').done).toBe(false);
    expect(serviceConvergence(global, [task('running'), task('running')], 'running').done).toBe(true);
  });
});

describe('tasksLeft (down waits for them)', () => {
  it('counts the tasks of the removed service still there, but not an ended job task Swarm never removes', () => {
    const done = task('complete', { DesiredState: 'complete' });
    const failedJob = task('failed', { DesiredState: 'complete' });
    const runningJob = task('running', { DesiredState: 'complete' });
    const stopping = task('running', { DesiredState: 'shutdown' });
    const other = task('running', { ServiceID: 's2' });
    expect(tasksLeft([done, failedJob, runningJob, stopping, other], 's1')).toEqual([runningJob, stopping]);
    expect(tasksLeft([done, failedJob], 's1')).toEqual([]);
  });
});
