import { describe, expect, it } from 'vitest';
import type { ProjectVolume } from '../client/types.js';
import { splitRepoTag } from './commit.js';
import { renderVolumes, volumeKeysOf } from './volumes.js';

const vol = (name: string, key: string): ProjectVolume => ({
  name,
  driver: 'local',
  mountpoint: `/var/lib/docker/volumes/${name}/_data`,
  labels: { 'com.docker.compose.volume': key },
  key,
});

describe('renderVolumes', () => {
  const vs = [vol('p_data', 'data'), vol('p_logs', 'logs')];
  it('table, quiet, json and templates as docker’s volume formatter', () => {
    expect(renderVolumes(vs, 'table', false)[0]).toMatch(
      /^DRIVER\s+VOLUME NAME\nlocal\s+p_data\nlocal\s+p_logs$/,
    );
    expect(renderVolumes(vs, 'table', true)).toEqual(['p_data', 'p_logs']);
    expect(JSON.parse(renderVolumes(vs, 'json', false)[0] ?? '')).toMatchObject({
      Name: 'p_data',
      Driver: 'local',
    });
    expect(renderVolumes(vs, '{{.Name}}\\t{{ .Driver }}', false)).toEqual(['p_data\tlocal', 'p_logs\tlocal']);
    expect(renderVolumes(vs, 'table {{.Name}}', false)[0]).toMatch(/^VOLUME NAME\np_data\np_logs$/);
    expect(() => renderVolumes(vs, '{{.Nope}}', false)).toThrow(/unknown field/);
  });
});

describe('volumeKeysOf', () => {
  it('the named volumes the services mount (binds and tmpfs are not volumes)', () => {
    const services = {
      a: {
        volumes: [
          { type: 'volume', source: 'data' },
          { type: 'bind', source: '/x' },
        ],
      },
      b: { volumes: [{ type: 'volume', source: 'logs' }] },
    };
    expect([...volumeKeysOf(services, ['a'])]).toEqual(['data']);
  });
});

describe('splitRepoTag', () => {
  it('splits the tag after the last slash only; a digest is refused', () => {
    expect(splitRepoTag('registry:5000/app:1.2')).toEqual({ repo: 'registry:5000/app', tag: '1.2' });
    expect(splitRepoTag('registry:5000/app')).toEqual({ repo: 'registry:5000/app' });
    expect(() => splitRepoTag('app@sha256:abc')).toThrow(/digest/);
  });
});
