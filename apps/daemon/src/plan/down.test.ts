import { describe, expect, it } from 'vitest';
import { converged, desiredState, observedContainer } from '../../test/support/plan/fixtures.js';
import { planDown } from './down.js';
import { renderPlan } from './render.js';
import type { Plan } from './types.js';

function edges(p: Plan, prefix: string): Record<string, string[]> {
  return Object.fromEntries(
    p.operations.filter((o) => o.id.startsWith(prefix)).map((o) => [o.id, [...o.after].sort()]),
  );
}

const desired = desiredState({
  services: [
    { name: 'db', volumes: ['data'] },
    { name: 'cache' },
    { name: 'api', depends_on: { db: {}, cache: {} } },
    { name: 'web', depends_on: { api: {} } },
    { name: 'worker', depends_on: { db: {} } },
  ],
  externalVolumes: [],
});

describe('planDown', () => {
  it('stops in reverse dependency order, one level at a time in parallel, then removes containers and networks', () => {
    const p = planDown(desired, converged(desired));
    expect(renderPlan(p)).toEqual([
      'stop container demo-web-1 (down)',
      'stop container demo-worker-1 (down)',
      'stop container demo-api-1 (down)',
      'stop container demo-db-1 (down)',
      'stop container demo-cache-1 (down)',
      'remove container demo-web-1 (down)',
      'remove container demo-worker-1 (down)',
      'remove container demo-api-1 (down)',
      'remove container demo-db-1 (down)',
      'remove container demo-cache-1 (down)',
      `remove network demo_default [${converged(desired).networks[0]!.id.slice(0, 12)}] (down)`,
    ]);
    expect(edges(p, 'stop-container')).toEqual({
      'stop-container:demo-web-1': [],
      'stop-container:demo-worker-1': [],
      'stop-container:demo-api-1': ['stop-container:demo-web-1'],
      'stop-container:demo-cache-1': ['stop-container:demo-api-1'],
      'stop-container:demo-db-1': ['stop-container:demo-api-1', 'stop-container:demo-worker-1'],
    });
    // Named volumes survive `down` without -v.
    expect(p.operations.some((o) => o.kind === 'remove-volume')).toBe(false);
  });

  it('with volumes removes named volumes (never external ones) and anonymous ones with the containers', () => {
    const withExternal = desiredState({
      services: [{ name: 'db', volumes: ['data', 'keep'] }],
      externalVolumes: ['keep'],
    });
    const observed = converged(withExternal);
    observed.volumes.push({ name: 'keep', key: 'keep', labels: {} });
    const lines = renderPlan(planDown(withExternal, observed, { volumes: true }));
    expect(lines).toContain('remove volume demo_data (down -v)');
    expect(lines).toContain('remove container demo-db-1 with its anonymous volumes (down)');
    expect(lines.join('\n')).not.toContain('remove volume keep');
  });

  it('leaves orphans (with a warning) and the network they use, unless removeOrphans', () => {
    const small = desiredState({ services: [{ name: 'web' }] });
    const observed = converged(desired);
    const kept = renderPlan(planDown(small, observed));
    expect(kept.filter((l) => l.startsWith('remove container'))).toEqual([
      'remove container demo-web-1 (down)',
    ]);
    expect(kept).toContain(
      'warning: Found orphan containers ([demo-api-1 demo-cache-1 demo-db-1 demo-worker-1]) for this project. If you removed or renamed this service in your compose file, you can run this command with the --remove-orphans flag to clean it up.',
    );
    expect(kept.some((l) => l.startsWith('warning: network demo_default is kept'))).toBe(true);
    const all = renderPlan(planDown(small, observed, { removeOrphans: true }));
    expect(all.filter((l) => l.startsWith('remove container'))).toHaveLength(5);
    expect(all.some((l) => l.startsWith('remove network demo_default'))).toBe(true);
  });

  it('without a desired state takes down everything carrying the project label; exited containers are only removed', () => {
    const observed = converged(desired);
    observed.containers = [
      { ...observed.containers[0]!, state: 'exited' },
      observedContainer(desired, 'web', 1, { oneoff: true, name: 'demo-web-run-1234' }),
    ];
    expect(renderPlan(planDown(undefined, observed))).toEqual([
      'stop container demo-web-run-1234 (down)',
      'remove container demo-db-1 (down)',
      'remove container demo-web-run-1234 (down)',
      `remove network demo_default [${observed.networks[0]!.id.slice(0, 12)}] (down)`,
    ]);
  });

  it('with services only touches those services', () => {
    expect(renderPlan(planDown(desired, converged(desired), { services: ['web'] }))).toEqual([
      'stop container demo-web-1 (down)',
      'remove container demo-web-1 (down)',
    ]);
  });
});

describe('planDown: services disabled by profiles', () => {
  it('belong to the project: removed by down, not reported as orphans', () => {
    const d = desiredState({ services: [{ name: 'web' }] });
    const withDebug = desiredState({ services: [{ name: 'web' }, { name: 'debug' }] });
    const lines = renderPlan(planDown(d, converged(withDebug), { disabledServices: ['debug'] }));
    expect(lines).toContain('remove container demo-debug-1 (down)');
    expect(lines.some((l) => l.startsWith('warning'))).toBe(false);
  });
});
