import { describe, expect, it } from 'vitest';
import { converged, desiredState, observedContainer } from '../../test/support/plan/fixtures.js';
import type { ObservedProject } from '../observe/types.js';
import { renderPlan } from './render.js';
import { plan } from './up.js';

const desired = desiredState({
  services: [
    { name: 'db', has_healthcheck: true },
    { name: 'api', depends_on: { db: { condition: 'service_healthy', restart: true } } },
    { name: 'web', depends_on: { api: { restart: true } } },
    { name: 'worker', depends_on: { db: {} } },
  ],
});

/** Everything converged; `db` started at `dbStarted`, the others at 00:00:01. */
function world(dbStarted: string, dbState: 'running' | 'exited' = 'running'): ObservedProject {
  const all = converged(desired);
  return {
    ...all,
    containers: all.containers.map((c) =>
      c.service === 'db' ? observedContainer(desired, 'db', 1, { startedAt: dbStarted, state: dbState }) : c,
    ),
  };
}

describe('plan: dependency order restored after the fact (supervisor passes)', () => {
  it('up (no mode) leaves a dependent that started before its dependency alone, as compose does', () => {
    expect(plan(desired, world('2026-01-01T00:00:05Z')).operations).toEqual([]);
  });

  it('restarts restart: true dependents, in order, after a dependency that restarted after them is healthy', () => {
    const p = plan(desired, world('2026-01-01T00:00:05Z'), { restoreDependencyOrder: 'started-before' });
    const lines = renderPlan(p);
    expect(lines).toEqual([
      'wait for container demo-db-1 healthy (api depends on db (service_healthy))',
      'restart container demo-api-1 (dependency db restarted after it (db since 2026-01-01T00:00:05.000Z, demo-api-1 since 2026-01-01T00:00:01.000Z))',
      'wait for container demo-api-1 running (web depends on api (service_started))',
      'restart container demo-web-1 (dependency api starts again in this pass, after it)',
    ]);
    // web waits for the restarted api, not the one that ran before.
    expect(p.operations.find((op) => op.id === 'wait-container:demo-api-1:running')?.after).toEqual([
      'restart-container:demo-api-1',
    ]);
    // worker depends on db without restart: true; it is never restarted.
    expect(lines.some((l) => l.includes('demo-worker-1'))).toBe(false);
  });

  it('does nothing when the dependency started first (a converged stack stays still)', () => {
    const p = plan(desired, world('2026-01-01T00:00:00Z'), { restoreDependencyOrder: 'started-before' });
    expect(p.operations).toEqual([]);
  });

  it('after an engine restart, restarts every restart: true dependent that came back by itself', () => {
    const p = plan(desired, world('2026-01-01T00:00:00Z'), { restoreDependencyOrder: 'engine-restarted' });
    expect(renderPlan(p).filter((l) => l.startsWith('restart'))).toEqual([
      'restart container demo-api-1 (dependency db came back with the engine restart; restoring dependency order)',
      'restart container demo-web-1 (dependency api starts again in this pass, after it)',
    ]);
  });

  it('a dependency started again by the pass restarts its dependents after it is ready', () => {
    const p = plan(desired, world('2026-01-01T00:00:00Z', 'exited'), {
      restoreDependencyOrder: 'started-before',
      startExited: true,
    });
    const byId = new Map(p.operations.map((op) => [op.id, op]));
    expect(byId.get('restart-container:demo-api-1')?.cause).toBe(
      'dependency db starts again in this pass, after it',
    );
    expect(byId.get('restart-container:demo-api-1')?.after).toContain('wait-container:demo-db-1:healthy');
    expect(byId.get('wait-container:demo-db-1:healthy')?.after).toContain('start-container:demo-db-1');
  });
});
