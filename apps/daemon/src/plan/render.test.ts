import { describe, expect, it } from 'vitest';
import { renderOperation, renderPlan } from './render.js';
import type { Operation } from './types.js';

const base = { after: [], cause: 'why' };
const endpoint = { key: 'back', name: 'demo_back', aliases: ['web'], priority: 0 };

describe('renderOperation', () => {
  it.each<[Operation, string]>([
    [
      {
        ...base,
        id: '1',
        kind: 'create-network',
        name: 'demo_back',
        key: 'back',
        body: { Name: 'demo_back', Labels: {} },
      },
      'create network demo_back (why)',
    ],
    [
      { ...base, id: '2', kind: 'remove-network', name: 'demo_back', networkId: 'abcdef0123456789' },
      'remove network demo_back [abcdef012345] (why)',
    ],
    [
      {
        ...base,
        id: '3',
        kind: 'create-volume',
        name: 'demo_data',
        key: 'data',
        body: { Name: 'demo_data', Labels: {} },
      },
      'create volume demo_data (why)',
    ],
    [{ ...base, id: '4', kind: 'remove-volume', name: 'demo_data' }, 'remove volume demo_data (why)'],
    [
      { ...base, id: '5', kind: 'ensure-image', image: 'x:1', pullPolicy: 'always', build: false },
      'pull image x:1 (policy always) (why)',
    ],
    [
      { ...base, id: '6', kind: 'ensure-image', image: 'demo-app', pullPolicy: 'missing', build: true },
      'build image demo-app (why)',
    ],
    [{ ...base, id: '7', kind: 'start-container', name: 'demo-web-1' }, 'start container demo-web-1 (why)'],
    [
      { ...base, id: '8', kind: 'stop-container', name: 'demo-web-1', containerId: 'c', timeoutSeconds: 10 },
      'stop container demo-web-1 (why)',
    ],
    [
      { ...base, id: '9', kind: 'remove-container', name: 'demo-web-1', containerId: 'c', volumes: false },
      'remove container demo-web-1 (why)',
    ],
    [
      { ...base, id: '10', kind: 'rename-container', from: 'a_demo-web-1', to: 'demo-web-1' },
      'rename container a_demo-web-1 → demo-web-1 (why)',
    ],
    [
      {
        ...base,
        id: '11',
        kind: 'restart-container',
        name: 'demo-web-1',
        containerId: 'c',
        timeoutSeconds: 1,
      },
      'restart container demo-web-1 (why)',
    ],
    [
      { ...base, id: '12', kind: 'kill-container', name: 'demo-web-1', containerId: 'c', signal: 'SIGTERM' },
      'kill container demo-web-1 with SIGTERM (why)',
    ],
    [
      { ...base, id: '13', kind: 'pause-container', name: 'demo-web-1', containerId: 'c' },
      'pause container demo-web-1 (why)',
    ],
    [
      { ...base, id: '14', kind: 'unpause-container', name: 'demo-web-1', containerId: 'c' },
      'unpause container demo-web-1 (why)',
    ],
    [
      { ...base, id: '15', kind: 'connect-network', container: 'demo-web-1', network: 'demo_back', endpoint },
      'connect container demo-web-1 to network demo_back (why)',
    ],
    [
      { ...base, id: '16', kind: 'disconnect-network', container: 'demo-web-1', network: 'demo_back' },
      'disconnect container demo-web-1 from network demo_back (why)',
    ],
    [
      { ...base, id: '17', kind: 'wait-container', name: 'demo-db-1', until: 'healthy', required: false },
      'wait for container demo-db-1 healthy (optional) (why)',
    ],
  ])('%j', (op, line) => {
    expect(renderOperation(op)).toBe(line);
  });

  it('a disconnect shows a network id short and a name whole', () => {
    const op = (network: string): Operation => ({
      ...base,
      id: 'd',
      kind: 'disconnect-network',
      container: 'c',
      network,
    });
    expect(renderOperation(op('f'.repeat(64)))).toBe(
      'disconnect container c from network ffffffffffff (why)',
    );
    expect(renderOperation(op('a_rather_long_network_name'))).toBe(
      'disconnect container c from network a_rather_long_network_name (why)',
    );
  });

  it('a replacement reads as a recreate under its temporary name; no cause, no parentheses', () => {
    const op: Operation = {
      id: 'c',
      after: [],
      cause: '',
      kind: 'create-container',
      name: 'demo-web-1',
      createAs: 'abc_demo-web-1',
      number: 1,
      body: { Image: 'x', Labels: {}, HostConfig: {} },
      endpoints: [],
      replaces: 'abc',
    };
    expect(renderOperation(op)).toBe('recreate container demo-web-1 as abc_demo-web-1');
  });

  it('renderPlan lists operations, then errors with their code, then warnings', () => {
    expect(
      renderPlan({
        project: 'demo',
        operations: [{ ...base, id: '7', kind: 'start-container', name: 'demo-web-1' }],
        errors: [{ code: 'NAME_CONFLICT', message: 'taken' }],
        warnings: ['careful'],
      }),
    ).toEqual(['start container demo-web-1 (why)', 'error: taken [NAME_CONFLICT]', 'warning: careful']);
  });
});
