import { describe, expect, it } from 'vitest';
import type { Api } from '../client/api.js';
import type { ContainerSummary, ProjectSummary } from '../client/types.js';
import { attachedServices, watchExits } from './attach.js';

const container = (name: string, service: string, State: string, ExitCode = 0) =>
  ({ Name: name, Service: service, State, ExitCode }) as ContainerSummary;

/** A client whose project answers walk through the given states, one per poll. */
function fakeClient(states: ContainerSummary[][]): Api {
  let i = 0;
  return {
    getProject: async () => ({ containers: states[Math.min(i++, states.length - 1)] }) as ProjectSummary,
  } as unknown as Api;
}

describe('watchExits', () => {
  it('reports each exit once and resolves when no attached container is alive', async () => {
    const client = fakeClient([
      [container('demo-a-1', 'a', 'running'), container('demo-b-1', 'b', 'running')],
      [container('demo-a-1', 'a', 'exited', 3), container('demo-b-1', 'b', 'running')],
      [container('demo-a-1', 'a', 'exited', 3), container('demo-b-1', 'b', 'exited', 0)],
    ]);
    const exits: string[] = [];
    const watch = watchExits(client, 'demo', attachedServices([], undefined, undefined), (name, code) =>
      exits.push(`${name}:${code}`),
    );
    await watch.allExited;
    watch.stop();
    expect(exits).toEqual(['a-1:3', 'b-1:0']);
  }, 10_000);

  it('only watches the services named on the command line', async () => {
    const client = fakeClient([
      [container('demo-a-1', 'a', 'exited', 1), container('demo-b-1', 'b', 'running')],
    ]);
    const exits: string[] = [];
    const watch = watchExits(client, 'demo', attachedServices(['a'], undefined, undefined), (name, code) =>
      exits.push(`${name}:${code}`),
    );
    await watch.allExited;
    watch.stop();
    expect(exits).toEqual(['a-1:1']);
  });
});
