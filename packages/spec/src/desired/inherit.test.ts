import { describe, expect, it } from 'vitest';
import { desiredState } from './desired-state.js';
import { inheritAnonymousVolumes } from './inherit.js';
import { proj, svc } from './test-builders.js';

const body = desiredState(
  proj(
    [
      svc('db', {
        volumes: [
          { type: 'volume', target: '/cache' },
          { type: 'volume', source: 'data', target: '/data' },
          { type: 'bind', source: '/srv/conf', target: '/conf' },
        ],
        tmpfs: ['/run'],
      }),
    ],
    { volumes: { data: { name: 'demo_data', labels: {}, extensions: {} } } },
  ),
).services[0]?.containers[0]?.create;
if (!body) throw new Error('no body');

describe('inheritAnonymousVolumes', () => {
  it('mounts the old anonymous volume at the same target', () => {
    const next = inheritAnonymousVolumes(body, [
      { type: 'volume', name: 'abc123', destination: '/cache' },
      { type: 'volume', name: 'demo_data', destination: '/data' },
    ]);
    expect(next.HostConfig.Mounts).toEqual([
      { Type: 'volume', Source: 'abc123', Target: '/cache' },
      { Type: 'volume', Source: 'demo_data', Target: '/data' },
    ]);
  });

  it('keeps image VOLUMEs the service does not declare', () => {
    const next = inheritAnonymousVolumes(
      body,
      [{ type: 'volume', name: 'img-vol', destination: '/var/lib/app/' }],
      ['/var/lib/app'],
    );
    expect(next.HostConfig.Mounts).toContainEqual({
      Type: 'volume',
      Source: 'img-vol',
      Target: '/var/lib/app',
    });
  });

  it('never replaces a named volume, bind or tmpfs, and leaves the input untouched', () => {
    const before = JSON.stringify(body);
    const next = inheritAnonymousVolumes(
      body,
      [
        { type: 'volume', name: 'other', destination: '/data' },
        { type: 'volume', name: 'x', destination: '/conf' },
        { type: 'volume', name: 'y', destination: '/run' },
      ],
      ['/conf', '/run'],
    );
    expect(next.HostConfig.Mounts).toEqual(body.HostConfig.Mounts);
    expect(JSON.stringify(body)).toBe(before);
  });

  it('with nothing to inherit, returns the body as it is', () => {
    expect(inheritAnonymousVolumes(body, [{ type: 'bind', destination: '/conf' }])).toBe(body);
  });
});
