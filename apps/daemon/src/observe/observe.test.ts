import { describe, expect, it } from 'vitest';
import type { EngineContainerDetails, EngineContainerListItem } from '../engine/types.js';
import { containerName, exitCodeFromStatus, fromDetails, fromListItem, healthFromStatus } from './observe.js';

const item = (over: Partial<EngineContainerListItem> = {}): EngineContainerListItem => ({
  Id: 'abc',
  Names: ['/other/alias', '/demo-web-1'],
  Image: 'busybox:1',
  ImageID: 'sha256:img',
  Command: 'httpd -f',
  Created: 1_700_000_000,
  Ports: [{ IP: '0.0.0.0', PrivatePort: 80, PublicPort: 8080, Type: 'tcp' }],
  Labels: {
    'com.docker.compose.project': 'demo',
    'com.docker.compose.service': 'web',
    'com.docker.compose.container-number': '2',
    'com.docker.compose.oneoff': 'False',
    'com.docker.compose.config-hash': 'h1',
    'com.docker.compose.image': 'sha256:img',
  },
  State: 'running',
  Status: 'Up 2 minutes (healthy)',
  NetworkSettings: {
    Networks: { demo_default: { NetworkID: 'n1', Aliases: null, IPAddress: '172.18.0.2' } },
  },
  Mounts: [
    {
      Type: 'volume',
      Name: 'demo_data',
      Source: '/var/lib/docker/volumes/demo_data/_data',
      Destination: '/data',
    },
  ],
  ...over,
});

describe('observe: reading the container list', () => {
  it('reads the compose labels, state, health and endpoints', () => {
    const c = fromListItem(item());
    expect(c).toMatchObject({
      id: 'abc',
      name: 'demo-web-1',
      service: 'web',
      number: 2,
      oneoff: false,
      configHash: 'h1',
      imageLabel: 'sha256:img',
      imageId: 'sha256:img',
      state: 'running',
      health: 'healthy',
      exitCode: 0,
      created: '2023-11-14T22:13:20.000Z',
      networks: { demo_default: { networkId: 'n1', aliases: [], ipv4: '172.18.0.2' } },
      mounts: [{ type: 'volume', name: 'demo_data', destination: '/data' }],
      ports: [{ ip: '0.0.0.0', privatePort: 80, publicPort: 8080, type: 'tcp' }],
    });
  });

  it('reports a container without a number as number 0 (an orphan), never NaN', () => {
    expect(fromListItem(item({ Labels: { 'com.docker.compose.project': 'demo' } })).number).toBe(0);
  });

  it('parses health and exit codes from docker ps status text', () => {
    expect(healthFromStatus('Up 3 seconds (health: starting)')).toBe('starting');
    expect(healthFromStatus('Up 1 hour (unhealthy)')).toBe('unhealthy');
    expect(healthFromStatus('Up 1 hour')).toBeUndefined();
    expect(exitCodeFromStatus('Exited (137) 5 seconds ago')).toBe(137);
    expect(exitCodeFromStatus('Created')).toBe(0);
  });

  it('takes the container’s own name, not a legacy link alias', () => {
    expect(containerName(item())).toBe('demo-web-1');
  });
});

describe('observe: a container from its inspect alone', () => {
  const details: EngineContainerDetails = {
    Id: 'abc',
    Name: '/demo-web-1',
    Created: '2023-11-14T22:13:20.123456789Z',
    Image: 'sha256:img',
    Path: 'httpd',
    Args: ['-f', '-h', '/var/www data'],
    RestartCount: 2,
    State: {
      Status: 'running',
      Running: true,
      Paused: false,
      Restarting: false,
      OOMKilled: false,
      Dead: false,
      Pid: 1,
      ExitCode: 0,
      Error: '',
      StartedAt: '2023-11-14T22:13:21Z',
      FinishedAt: '0001-01-01T00:00:00Z',
      Health: { Status: 'healthy', FailingStreak: 0, Log: null },
    },
    Config: { Image: 'busybox:1', Labels: item().Labels },
    HostConfig: {},
    NetworkSettings: {
      Networks: { demo_default: { NetworkID: 'n1', Aliases: ['web'], IPAddress: '172.18.0.2' } },
      Ports: { '80/tcp': [{ HostIp: '0.0.0.0', HostPort: '8080' }], '9000/udp': null },
    },
    Mounts: [{ Type: 'volume', Name: 'demo_data', Source: '/v', Destination: '/data' }],
  };

  it('says what the list would, plus the inspect-only fields', () => {
    const c = fromDetails(details);
    const listed = fromListItem(item());
    expect(c).toMatchObject({
      id: listed.id,
      name: listed.name,
      service: listed.service,
      number: listed.number,
      oneoff: false,
      configHash: listed.configHash,
      imageLabel: listed.imageLabel,
      imageId: 'sha256:img',
      image: 'busybox:1',
      state: 'running',
      health: 'healthy',
      restartCount: 2,
      startedAt: '2023-11-14T22:13:21Z',
      finishedAt: '',
      created: listed.created,
      command: "httpd -f -h '/var/www data'",
      networks: { demo_default: { networkId: 'n1', aliases: ['web'], ipv4: '172.18.0.2' } },
    });
    expect(c.ports).toEqual([
      { ip: '0.0.0.0', privatePort: 80, publicPort: 8080, type: 'tcp' },
      { privatePort: 9000, type: 'udp' },
    ]);
    expect(c.status).toBeUndefined();
  });
});
