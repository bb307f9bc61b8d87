import { describe, expect, it } from 'vitest';
import type { EngineContainerListItem } from '../engine/types.js';
import { groupByProject } from './project-list.js';
import { projectSummary } from './summary.js';

const item = (
  project: string | undefined,
  service: string,
  n: number,
  status: string,
): EngineContainerListItem => ({
  Id: `${project}-${service}-${n}`,
  Names: [`/${project}-${service}-${n}`],
  Image: 'busybox:1',
  ImageID: 'sha256:img',
  Command: 'sh',
  Created: 1_700_000_000,
  Ports: [],
  Labels: {
    ...(project ? { 'com.docker.compose.project': project } : {}),
    'com.docker.compose.service': service,
    'com.docker.compose.container-number': String(n),
    'com.docker.compose.oneoff': 'False',
  },
  State: status.startsWith('Up') ? 'running' : 'exited',
  Status: status,
});

describe('the light project list: one engine list grouped by project', () => {
  it('groups by the project label, sorts each by service and number, and skips unlabelled items', () => {
    const groups = groupByProject([
      item('b', 'web', 2, 'Up 1 minute'),
      item('a', 'db', 1, 'Exited (3) 2 minutes ago'),
      item(undefined, 'x', 1, 'Up 1 minute'),
      item('b', 'web', 1, 'Up 1 minute (unhealthy)'),
      item('b', 'api', 1, 'Up 1 minute (healthy)'),
    ]);
    expect([...groups.keys()].sort()).toEqual(['a', 'b']);
    expect(groups.get('b')?.map((c) => c.name)).toEqual(['b-api-1', 'b-web-1', 'b-web-2']);
    expect(groups.get('a')?.[0]).toMatchObject({ state: 'exited', exitCode: 3 });
  });

  it("takes each container's health from the list's Status text, as the page counts it", () => {
    const containers = groupByProject([
      item('p', 'ok', 1, 'Up 5 seconds (healthy)'),
      item('p', 'sick', 1, 'Up 5 seconds (unhealthy)'),
      item('p', 'plain', 1, 'Up 5 seconds'),
    ]).get('p');
    const summary = projectSummary({ name: 'p', containers: containers ?? [], registered: false });
    expect(summary.status).toBe('running(3)');
    expect(summary.containers.map((c) => [c.Service, c.Health])).toEqual([
      ['ok', 'healthy'],
      ['plain', ''],
      ['sick', 'unhealthy'],
    ]);
  });
});
