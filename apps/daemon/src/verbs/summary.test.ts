import { describe, expect, it } from 'vitest';
import type { ObservedContainer } from '../observe/types.js';
import { containerSummary, projectStatus } from './summary.js';

const c = (
  name: string,
  state: ObservedContainer['state'],
  over: Partial<ObservedContainer> = {},
): ObservedContainer => ({
  id: `id-${name}`,
  name,
  service: 'web',
  number: 1,
  oneoff: false,
  configHash: 'h',
  imageId: 'sha256:x',
  image: 'busybox',
  state,
  exitCode: 0,
  restartCount: 0,
  created: '2026-01-01T00:00:00.000Z',
  startedAt: '',
  finishedAt: '',
  networks: { demo_default: { networkId: 'n', aliases: [] } },
  mounts: [],
  labels: {},
  ...over,
});

describe('summaries', () => {
  it('counts states like compose ls', () => {
    expect(projectStatus([c('a', 'running'), c('b', 'exited'), c('c', 'running')])).toBe(
      'exited(1), running(2)',
    );
    expect(projectStatus([])).toBe('');
  });

  it('prints a container with compose ps field names, one publisher per binding', () => {
    const s = containerSummary(
      'demo',
      c('demo-web-1', 'running', {
        health: 'healthy',
        status: 'Up 1 minute (healthy)',
        ports: [
          { ip: '0.0.0.0', privatePort: 80, publicPort: 8080, type: 'tcp' },
          { ip: '0.0.0.0', privatePort: 80, publicPort: 8080, type: 'tcp' },
          { privatePort: 443, type: 'tcp' },
        ],
      }),
    );
    expect(s).toMatchObject({
      Name: 'demo-web-1',
      Project: 'demo',
      Service: 'web',
      State: 'running',
      Health: 'healthy',
      Status: 'Up 1 minute (healthy)',
      Networks: ['demo_default'],
      Publishers: [
        { URL: '0.0.0.0', TargetPort: 80, PublishedPort: 8080, Protocol: 'tcp' },
        { URL: '', TargetPort: 443, PublishedPort: 0, Protocol: 'tcp' },
      ],
    });
  });
});
