import { describe, expect, it } from 'vitest';
import type { ContainerSummary } from '../client/types.js';
import { filterContainers, formatPorts, psJson, psTable } from './ps.js';
import { ago } from './table.js';

const c = (over: Partial<ContainerSummary>): ContainerSummary => ({
  ID: 'abc123',
  Name: 'demo-web-1',
  Service: 'web',
  Project: 'demo',
  Number: 1,
  State: 'running',
  Health: '',
  ExitCode: 0,
  Image: 'orc-fixture/busybox:1',
  Command: 'httpd -f -p 80',
  Created: '2026-01-01T00:00:00Z',
  Status: 'Up 2 minutes',
  RestartCount: 0,
  Publishers: [{ URL: '0.0.0.0', TargetPort: 80, PublishedPort: 8080, Protocol: 'tcp' }],
  Networks: ['demo_default'],
  ...over,
});

describe('ps', () => {
  const all = [
    c({}),
    c({ ID: 'd1', Name: 'demo-db-1', Service: 'db', State: 'exited', ExitCode: 1, Publishers: [] }),
  ];

  it('lists running containers unless -a, and filters by status and service', () => {
    expect(filterContainers(all, { all: false, status: [], services: [] }).map((x) => x.Name)).toEqual([
      'demo-web-1',
    ]);
    expect(filterContainers(all, { all: true, status: [], services: [] }).map((x) => x.Name)).toEqual([
      'demo-db-1',
      'demo-web-1',
    ]);
    expect(
      filterContainers(all, { all: false, status: ['exited'], services: [] }).map((x) => x.Name),
    ).toEqual(['demo-db-1']);
    expect(filterContainers(all, { all: true, status: [], services: ['web'] }).map((x) => x.Name)).toEqual([
      'demo-web-1',
    ]);
  });

  it('formats ports like docker', () => {
    expect(
      formatPorts([
        { URL: '0.0.0.0', TargetPort: 80, PublishedPort: 8080, Protocol: 'tcp' },
        { URL: '', TargetPort: 53, PublishedPort: 0, Protocol: 'udp' },
      ]),
    ).toBe('0.0.0.0:8080->80/tcp, 53/udp');
  });

  it('prints the table with compose’s columns', () => {
    const now = Date.parse('2026-01-01T00:02:00Z');
    expect(psTable([c({})], now).split('\n')).toEqual([
      'NAME         IMAGE                   COMMAND            SERVICE   CREATED         STATUS         PORTS',
      'demo-web-1   orc-fixture/busybox:1   "httpd -f -p 80"   web       2 minutes ago   Up 2 minutes   0.0.0.0:8080->80/tcp',
    ]);
  });

  it('prints one JSON array with compose v2’s field names', () => {
    const parsed = JSON.parse(psJson(all)) as Array<Record<string, unknown>>;
    expect(parsed).toHaveLength(2);
    for (const key of [
      'ID',
      'Name',
      'Service',
      'Project',
      'State',
      'Health',
      'ExitCode',
      'Image',
      'Publishers',
      'Status',
    ]) {
      expect(parsed[0]).toHaveProperty(key);
    }
    expect(parsed[1]).toMatchObject({ Name: 'demo-db-1', State: 'exited', ExitCode: 1, Publishers: [] });
  });

  it('says how long ago', () => {
    const now = Date.parse('2026-01-02T00:00:00Z');
    expect(ago('2026-01-01T00:00:00Z', now)).toBe('1 day ago');
    expect(ago('2026-01-01T23:00:00Z', now)).toBe('1 hour ago');
    expect(ago(String(now / 1000 - 30), now)).toBe('30 seconds ago');
    expect(ago('not a date', now)).toBe('not a date');
  });
});
