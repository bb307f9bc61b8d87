import { Labels } from '@orc/spec';
import { describe, expect, it } from 'vitest';
import { containerId, converged, desiredState, observedContainer } from '../../test/support/plan/fixtures.js';
import { renderPlan } from './render.js';
import { plan } from './up.js';

const v1 = desiredState({ services: [{ name: 'web', environment: { V: '1' } }] });
const v2 = desiredState({ services: [{ name: 'web', environment: { V: '2' } }] });
const original = converged(v1).containers[0]!;
const temporary = `${original.id.slice(0, 12)}_demo-web-1`;

/** The replacement a crashed replace left behind: up to date, under its temporary name. */
const replacement = (state: 'created' | 'running' | 'exited') =>
  observedContainer(v2, 'web', 1, {
    id: containerId('replacement'),
    name: temporary,
    replaces: original.id,
    state,
    created: '2026-01-02T00:00:00Z',
    labels: { ...observedContainer(v2, 'web', 1).labels, [Labels.replace]: original.id },
  });

describe('plan: leftovers of a crash in the middle of a replace', () => {
  it('original gone, replacement created: rename it and start it', () => {
    const observed = { ...converged(v2), containers: [replacement('created')] };
    expect(renderPlan(plan(v2, observed))).toEqual([
      `rename container ${temporary} → demo-web-1 (finish interrupted replace)`,
      'start container demo-web-1 (created, not started)',
    ]);
  });

  it('original gone, replacement already running (start-first): only rename it', () => {
    const observed = { ...converged(v2), containers: [replacement('running')] };
    expect(renderPlan(plan(v2, observed))).toEqual([
      `rename container ${temporary} → demo-web-1 (finish interrupted replace)`,
    ]);
  });

  it('original still there: finish the replace (stop and remove it, rename the replacement, start it)', () => {
    const observed = { ...converged(v2), containers: [original, replacement('created')] };
    const p = plan(v2, observed);
    expect(renderPlan(p)).toEqual([
      `stop container demo-web-1 (replaced by ${temporary} (finishing an interrupted replace))`,
      `remove container demo-web-1 (replaced by ${temporary} (finishing an interrupted replace))`,
      `rename container ${temporary} → demo-web-1 (finish interrupted replace)`,
      'start container demo-web-1 (created, not started)',
    ]);
    const rename = p.operations.find((o) => o.kind === 'rename-container');
    expect(rename?.after).toEqual(['remove-container:demo-web-1']);
    expect(p.operations.find((o) => o.kind === 'remove-container')).toMatchObject({
      containerId: original.id,
    });
  });

  it('both outdated: keep the running original, drop the stale replacement, replace again', () => {
    const v3 = desiredState({ services: [{ name: 'web', environment: { V: '3' } }] });
    const observed = { ...converged(v3), containers: [original, replacement('created')] };
    const p = plan(v3, observed);
    expect(renderPlan(p)).toEqual([
      `remove container ${temporary} (duplicate of demo-web-1)`,
      `recreate container demo-web-1 as ${temporary} (config hash differs: environment.V "1" → "3")`,
      'stop container demo-web-1 (replaced by demo-web-1)',
      'remove container demo-web-1 (replaced by demo-web-1)',
      `rename container ${temporary} → demo-web-1 (replaces ${original.id.slice(0, 12)})`,
      'start container demo-web-1 (recreated)',
    ]);
    const create = p.operations.find((o) => o.kind === 'create-container');
    expect(create?.after).toEqual([`remove-container:${temporary}`]);
  });

  it('duplicates for the same service and number: keep the up-to-date running one, remove the rest', () => {
    const observed = converged(v2);
    const good = observed.containers[0]!;
    const stale = observedContainer(v1, 'web', 1, {
      id: containerId('stale'),
      name: 'demo_web_1',
      state: 'exited',
    });
    const p = plan(v2, { ...observed, containers: [stale, good] });
    expect(renderPlan(p)).toEqual(['remove container demo_web_1 (duplicate of demo-web-1)']);
  });

  it('never counts a one-off container as a replica', () => {
    const observed = converged(v2);
    const run = observedContainer(v2, 'web', 1, {
      id: containerId('run'),
      name: 'demo-web-run-1',
      oneoff: true,
    });
    expect(renderPlan(plan(v2, { ...observed, containers: [...observed.containers, run] }))).toEqual([]);
  });

  it('a container named like ours but without our labels is a plan error, never touched', () => {
    const observed = { ...converged(v2), containers: [] };
    observed.foreign.containersByName['demo-web-1'] = { id: containerId('stranger') };
    const p = plan(v2, observed);
    expect(p.errors.map((e) => e.code)).toEqual(['NAME_CONFLICT']);
    expect(renderPlan(p)).toEqual([
      `error: container name demo-web-1 is already used by container ${containerId('stranger').slice(0, 12)}, which orc does not manage; remove or rename that container, or change container_name [NAME_CONFLICT]`,
    ]);
    expect(p.operations.some((o) => JSON.stringify(o).includes(containerId('stranger')))).toBe(false);
  });
});

describe('plan: names held by our other containers', () => {
  const desired = desiredState({ services: [{ name: 'web', container_name: 'site' }] });
  const before = desiredState({ services: [{ name: 'old', container_name: 'site' }] });

  it('an orphan holding a wanted name is removed first with removeOrphans', () => {
    const p = plan(
      desired,
      { ...converged(before), networks: converged(desired).networks },
      { removeOrphans: true },
    );
    expect(renderPlan(p)).toEqual([
      'stop container site (orphan (service old is not in the project))',
      'remove container site (orphan (service old is not in the project))',
      'create container site (missing)',
      'start container site (created)',
    ]);
    expect(p.operations.find((o) => o.kind === 'create-container')?.after).toContain('remove-container:site');
  });

  it('without removeOrphans it is a plan error that says how to fix it', () => {
    const observed = { ...converged(before), networks: converged(desired).networks };
    const p = plan(desired, observed);
    expect(p.errors).toEqual([
      {
        code: 'NAME_CONFLICT',
        message: `container name site is held by site (${observed.containers[0]!.id.slice(0, 12)}), a container of service old that is no longer in the project; remove it (\`--remove-orphans\`, or \`docker rm site\`) or change container_name`,
      },
    ]);
  });
});
