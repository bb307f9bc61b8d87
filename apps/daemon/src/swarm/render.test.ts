import { describe, expect, it } from 'vitest';
import { renderSwarmPlan } from './render.js';
import type { SwarmOperation, SwarmServiceSpec } from './types.js';

const spec = (mode: SwarmServiceSpec['Mode']): SwarmServiceSpec => ({
  Name: 'demo_web',
  Labels: {},
  TaskTemplate: { ContainerSpec: { Image: 'w' } },
  Mode: mode,
});
const base = { after: [], cause: 'why' };
const data = { base64: Buffer.from('TOP-SECRET').toString('base64') };

describe('renderSwarmPlan', () => {
  it('renders every kind of operation, then problems and warnings, and never a value', () => {
    const operations: SwarmOperation[] = [
      {
        ...base,
        id: '1',
        kind: 'create-network',
        name: 'demo_default',
        key: 'default',
        body: { Name: 'demo_default', CheckDuplicate: true, Driver: 'overlay', Scope: 'swarm', Labels: {} },
      },
      {
        ...base,
        id: '2',
        kind: 'create-secret',
        name: 'demo_s_1',
        key: 's',
        spec: { Name: 'demo_s_1', Labels: {} },
        data,
      },
      {
        ...base,
        id: '3',
        kind: 'create-config',
        name: 'demo_c_1',
        key: 'c',
        spec: { Name: 'demo_c_1', Labels: {} },
        data,
      },
      {
        ...base,
        id: '4',
        kind: 'create-service',
        name: 'demo_web',
        spec: spec({ Replicated: { Replicas: 3 } }),
      },
      { ...base, id: '5', kind: 'create-service', name: 'demo_agent', spec: spec({ Global: {} }) },
      {
        ...base,
        id: '6',
        kind: 'create-service',
        name: 'demo_job',
        spec: spec({ ReplicatedJob: { MaxConcurrent: 2, TotalCompletions: 2 } }),
      },
      {
        ...base,
        id: '7',
        kind: 'update-service',
        name: 'demo_web',
        serviceId: 'x',
        version: 7,
        spec: spec({ Replicated: { Replicas: 3 } }),
        changed: ['Mode.Replicated.Replicas'],
      },
      { ...base, id: '8', kind: 'wait-service', name: 'demo_db', until: 'healthy', required: false },
      { ...base, id: '9', kind: 'remove-service', name: 'demo_old', serviceId: 'y' },
      { ...base, id: '10', kind: 'wait-service-gone', name: 'demo_old', serviceId: 'y' },
      { ...base, id: '11', kind: 'remove-secret', name: 'demo_s_0', secretId: 's0' },
      { ...base, id: '12', kind: 'remove-config', name: 'demo_c_0', configId: 'c0' },
      { ...base, id: '13', kind: 'remove-network', name: 'demo_default', networkId: 'n' },
      { ...base, id: '14', kind: 'remove-volume', name: 'demo_data' },
    ];
    const text = renderSwarmPlan({
      project: 'demo',
      operations,
      warnings: ['careful'],
      problems: [{ code: 'UNKNOWN_SERVICE', message: 'no such service: x' }],
    });
    expect(text).toEqual([
      'create network demo_default [overlay] (why)',
      'create secret demo_s_1 for s (why)',
      'create config demo_c_1 for c (why)',
      'create service demo_web ×3 (why)',
      'create service demo_agent global (why)',
      'create service demo_job job ×2 (why)',
      'update service demo_web (version 7) (why)',
      'wait for service demo_db healthy (optional) (why)',
      'remove service demo_old (why)',
      'wait until the tasks of demo_old are gone (why)',
      'remove secret demo_s_0 (why)',
      'remove config demo_c_0 (why)',
      'remove network demo_default (why)',
      'remove volume demo_data on every node (why)',
      'error: no such service: x [UNKNOWN_SERVICE]',
      'warning: careful',
    ]);
    expect(text.join('\n')).not.toContain(data.base64);
  });
});
