import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { createDockerClient } from './client.js';

const require = createRequire(import.meta.url);

describe('the dockerode client', () => {
  it('is made without loading ssh2 (docker-modem’s ssh transport: ~14 MB of RSS orc never uses)', () => {
    const docker = createDockerClient({ DOCKER_HOST: 'unix:///run/x.sock' });
    expect((docker.modem as { socketPath?: string }).socketPath).toBe('/run/x.sock');
    const loaded = Object.keys(require.cache);
    expect(loaded.some((f) => f.includes('/node_modules/dockerode/'))).toBe(true);
    expect(loaded.filter((f) => f.includes('/node_modules/ssh2/'))).toEqual([]);
  });

  it('is made without loading the BuildKit session’s gRPC stack (loaded on first use only)', () => {
    createDockerClient({ DOCKER_HOST: 'unix:///run/x.sock' });
    const loaded = Object.keys(require.cache);
    expect(loaded.filter((f) => /\/node_modules\/(@grpc|protobufjs)\//.test(f))).toEqual([]);
    const dockerode = require(require.resolve('dockerode')) as { prototype: { buildImage: unknown } };
    expect(typeof dockerode.prototype.buildImage).toBe('function');
  });

  it('reads tcp:// addresses', () => {
    const modem = createDockerClient({ DOCKER_HOST: 'tcp://10.0.0.2:2376' }).modem as {
      host?: string;
      port?: number;
    };
    expect([modem.host, modem.port]).toEqual(['10.0.0.2', 2376]);
  });
});
