import { describe, expect, it } from 'vitest';
import { converged, desiredState } from '../../test/support/plan/fixtures.js';
import type { ObservedProject } from '../observe/types.js';
import { planServiceAction } from './actions.js';
import { renderPlan } from './render.js';
import type { Plan } from './types.js';

function edges(p: Plan, prefix: string): Record<string, string[]> {
  return Object.fromEntries(
    p.operations.filter((o) => o.id.startsWith(prefix)).map((o) => [o.id, [...o.after].sort()]),
  );
}

const desired = desiredState({
  services: [
    { name: 'db', has_healthcheck: true, stop_grace_period: 20 },
    { name: 'web', replicas: 2, depends_on: { db: { condition: 'service_healthy' } } },
  ],
});

function withStates(states: Record<string, ObservedProject['containers'][number]['state']>): ObservedProject {
  const observed = converged(desired);
  observed.containers = observed.containers.map((c) => ({ ...c, state: states[c.name] ?? c.state }));
  return observed;
}

const allExited = withStates({ 'demo-db-1': 'exited', 'demo-web-1': 'exited', 'demo-web-2': 'exited' });

describe('planServiceAction', () => {
  it('start: dependencies first, dependents wait for their condition', () => {
    const p = planServiceAction(desired, allExited, 'start');
    expect(renderPlan(p)).toEqual([
      'start container demo-db-1 (start requested)',
      'wait for container demo-db-1 healthy (web depends on db (service_healthy))',
      'start container demo-web-1 (start requested)',
      'start container demo-web-2 (start requested)',
    ]);
    expect(edges(p, 'start-container')).toEqual({
      'start-container:demo-db-1': [],
      'start-container:demo-web-1': ['wait-container:demo-db-1:healthy'],
      'start-container:demo-web-2': ['wait-container:demo-db-1:healthy'],
    });
  });

  it('start of a service without containers says to run up', () => {
    const observed = converged(desired);
    observed.containers = observed.containers.filter((c) => c.service !== 'web');
    expect(renderPlan(planServiceAction(desired, observed, 'start', { services: ['web'] }))).toEqual([
      'warning: service web has no containers to start; create them with `orc up`',
    ]);
  });

  it('start of running containers is nothing', () => {
    expect(renderPlan(planServiceAction(desired, converged(desired), 'start'))).toEqual([]);
  });

  it('stop: dependents first, with the service stop_grace_period unless a timeout is given', () => {
    const p = planServiceAction(desired, converged(desired), 'stop');
    expect(edges(p, 'stop-container')).toEqual({
      'stop-container:demo-db-1': ['stop-container:demo-web-1', 'stop-container:demo-web-2'],
      'stop-container:demo-web-1': [],
      'stop-container:demo-web-2': [],
    });
    expect(p.operations.find((o) => o.id === 'stop-container:demo-db-1')).toMatchObject({
      timeoutSeconds: 20,
    });
    const quick = planServiceAction(desired, converged(desired), 'stop', { timeoutSeconds: 1 });
    expect(quick.operations.every((o) => o.kind === 'stop-container' && o.timeoutSeconds === 1)).toBe(true);
  });

  it('stop of some services only touches those', () => {
    expect(renderPlan(planServiceAction(desired, converged(desired), 'stop', { services: ['web'] }))).toEqual(
      ['stop container demo-web-1 (stop requested)', 'stop container demo-web-2 (stop requested)'],
    );
  });

  it('restart: every container, dependencies first', () => {
    const p = planServiceAction(desired, converged(desired), 'restart');
    expect(edges(p, 'restart-container')).toEqual({
      'restart-container:demo-db-1': [],
      'restart-container:demo-web-1': ['wait-container:demo-db-1:healthy'],
      'restart-container:demo-web-2': ['wait-container:demo-db-1:healthy'],
    });
    expect(edges(p, 'wait-container')).toEqual({
      'wait-container:demo-db-1:healthy': ['restart-container:demo-db-1'],
    });
  });

  it('kill sends the signal to running and paused containers only (SIGKILL by default)', () => {
    const observed = withStates({ 'demo-web-2': 'exited', 'demo-web-1': 'paused' });
    expect(renderPlan(planServiceAction(desired, observed, 'kill', { signal: 'SIGHUP' }))).toEqual([
      'kill container demo-db-1 with SIGHUP (kill requested)',
      'kill container demo-web-1 with SIGHUP (kill requested)',
    ]);
    expect(renderPlan(planServiceAction(desired, observed, 'kill', { services: ['db'] }))).toEqual([
      'kill container demo-db-1 with SIGKILL (kill requested)',
    ]);
  });

  it('pause and unpause act on running and paused containers', () => {
    const observed = withStates({ 'demo-web-2': 'paused' });
    expect(renderPlan(planServiceAction(desired, observed, 'pause'))).toEqual([
      'pause container demo-db-1 (pause requested)',
      'pause container demo-web-1 (pause requested)',
    ]);
    expect(renderPlan(planServiceAction(desired, observed, 'unpause'))).toEqual([
      'unpause container demo-web-2 (unpause requested)',
    ]);
  });

  it('rm removes stopped containers; running ones only with stop, else a warning', () => {
    const observed = withStates({ 'demo-web-2': 'exited' });
    expect(renderPlan(planServiceAction(desired, observed, 'rm', { services: ['web'] }))).toEqual([
      'remove container demo-web-2 (rm requested)',
      'warning: container demo-web-1 is running and was not removed; stop it first or use `rm -s`',
    ]);
    expect(
      renderPlan(
        planServiceAction(desired, observed, 'rm', { services: ['web'], stop: true, volumes: true }),
      ),
    ).toEqual([
      'stop container demo-web-1 (rm requested)',
      'remove container demo-web-1 with its anonymous volumes (rm requested)',
      'remove container demo-web-2 with its anonymous volumes (rm requested)',
    ]);
  });

  it('an unknown service is a plan error; without a desired state the engine labels say what exists', () => {
    expect(planServiceAction(desired, converged(desired), 'stop', { services: ['nope'] }).errors).toEqual([
      { code: 'UNKNOWN_SERVICE', message: 'no such service: nope' },
    ]);
    expect(
      renderPlan(planServiceAction(undefined, converged(desired), 'stop', { services: ['db'] })),
    ).toEqual(['stop container demo-db-1 (stop requested)']);
  });
});

describe('planServiceAction: restart follows depends_on.restart', () => {
  const d = desiredState({
    services: [
      { name: 'db' },
      { name: 'api', depends_on: { db: { restart: true } } },
      { name: 'web', depends_on: { api: { restart: true } } },
      { name: 'cron', depends_on: { db: {} } },
    ],
  });

  it('restarting db restarts api and, through it, web; not cron', () => {
    const p = planServiceAction(d, converged(d), 'restart', { services: ['db'] });
    expect(p.operations.filter((o) => o.kind === 'restart-container').map((o) => o.id)).toEqual([
      'restart-container:demo-db-1',
      'restart-container:demo-api-1',
      'restart-container:demo-web-1',
    ]);
    expect(p.operations.find((o) => o.id === 'restart-container:demo-web-1')?.after).toEqual([
      'wait-container:demo-api-1:running',
    ]);
  });

  it('restart --no-deps restarts the named service alone', () => {
    const p = planServiceAction(d, converged(d), 'restart', { services: ['db'], noDeps: true });
    expect(renderPlan(p)).toEqual(['restart container demo-db-1 (restart requested)']);
  });
});

describe('planServiceAction: kill and orphans', () => {
  // `old` has a container but the project no longer declares it.
  const observed = converged(desired);
  const db = observed.containers.find((c) => c.service === 'db');
  if (!db) throw new Error('fixture: no db container');
  observed.containers.push({ ...db, id: 'old1', name: 'demo-old-1', service: 'old' });

  it('kill leaves orphans alone, as compose does without --remove-orphans', () => {
    expect(renderPlan(planServiceAction(desired, observed, 'kill'))).toEqual([
      'kill container demo-db-1 with SIGKILL (kill requested)',
      'kill container demo-web-1 with SIGKILL (kill requested)',
      'kill container demo-web-2 with SIGKILL (kill requested)',
    ]);
    expect(renderPlan(planServiceAction(desired, observed, 'kill', { services: ['old'] }))).toEqual([]);
  });

  it('kill --remove-orphans kills them too', () => {
    expect(renderPlan(planServiceAction(desired, observed, 'kill', { removeOrphans: true }))).toContain(
      'kill container demo-old-1 with SIGKILL (kill requested)',
    );
  });

  it('a project known only from the engine has no orphans', () => {
    expect(renderPlan(planServiceAction(undefined, observed, 'kill'))).toContain(
      'kill container demo-old-1 with SIGKILL (kill requested)',
    );
  });
});
