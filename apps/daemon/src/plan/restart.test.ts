import { describe, expect, it } from 'vitest';
import { renderPlan } from './render.js';
import { planDaemonRestart } from './restart.js';

const base = { project: 'p', service: 'web', name: 'p-web-1', containerId: 'abc', timeoutSeconds: 7 };

describe('planDaemonRestart', () => {
  it('starts a container that exited, with the restarter reason as the cause', () => {
    const plan = planDaemonRestart({ ...base, trigger: 'exit', cause: 'exited with code 3' });
    expect(plan.operations).toEqual([
      {
        kind: 'start-container',
        id: 'start-container:p-web-1',
        name: 'p-web-1',
        after: [],
        cause: 'exited with code 3',
        service: 'web',
      },
    ]);
    expect(plan.errors).toEqual([]);
    expect(renderPlan(plan).join('\n')).toContain('exited with code 3');
  });

  it('restarts an unhealthy one with the service grace period', () => {
    const plan = planDaemonRestart({ ...base, trigger: 'unhealthy', cause: 'unhealthy' });
    expect(plan.operations).toMatchObject([
      { kind: 'restart-container', containerId: 'abc', timeoutSeconds: 7, cause: 'unhealthy' },
    ]);
  });
});
