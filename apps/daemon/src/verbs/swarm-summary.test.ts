import { describe, expect, it } from 'vitest';
import type { ObservedSwarm, ObservedSwarmTask } from '../swarm/types.js';
import { type SwarmRecord, swarmSummary } from './swarm.js';

const record: SwarmRecord = {
  name: 'p',
  source: { workingDir: '/w', env: {} },
  runState: {},
  scale: {},
  target: 'swarm',
  createdAt: '',
  updatedAt: '',
};
const task = (o: Partial<ObservedSwarmTask>): ObservedSwarmTask => ({
  id: 't',
  serviceId: 's1',
  service: 'web',
  desiredState: 'running',
  state: 'running',
  ports: [],
  ...o,
});
const observed = (tasks: ObservedSwarmTask[]): ObservedSwarm => ({
  project: 'p',
  services: [
    {
      id: 's1',
      name: 'p_web',
      version: 3,
      labels: {},
      spec: {
        TaskTemplate: { ContainerSpec: { Image: 'reg/web:1@sha256:abc' } },
      } as ObservedSwarm['services'][number]['spec'],
    },
  ],
  tasks,
  networks: [],
  secrets: [],
  configs: [],
});

describe('swarmSummary (ps of a swarm project)', () => {
  it('one row per task with node, desired and current state, error and ports (one per address family)', () => {
    const port = { protocol: 'tcp', targetPort: 80, publishedPort: 8080, publishMode: 'host' };
    const s = swarmSummary(
      record,
      observed([
        task({ id: 'a', slot: 2, node: 'n2', state: 'starting', ports: [port, port] }),
        task({
          id: 'b',
          slot: 1,
          node: 'n1',
          state: 'rejected',
          desiredState: 'shutdown',
          error: 'no such image',
        }),
        task({ id: 'c', slot: 1, node: 'n3', state: 'shutdown', desiredState: 'shutdown' }),
      ]),
    );
    expect(s.target).toBe('swarm');
    expect(
      s.containers.map((c) => [c.Name, c.Node, c.DesiredState, c.CurrentState, c.Error, c.Image]),
    ).toEqual([
      ['p_web.1', 'n1', 'shutdown', 'rejected', 'no such image', 'reg/web:1'],
      ['p_web.2', 'n2', 'running', 'starting', '', 'reg/web:1'],
    ]);
    expect(s.containers[1]?.Publishers).toEqual([
      { URL: '0.0.0.0', TargetPort: 80, PublishedPort: 8080, Protocol: 'tcp', Mode: 'host' },
    ]);
    expect(s.status).toBe('other(2)');
  });
});
