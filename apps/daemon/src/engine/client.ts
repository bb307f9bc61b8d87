import { createRequire, Module } from 'node:module';
import type Docker from 'dockerode';
import { deferCommonJs } from '../contract/lazy-cjs.js';

const require = createRequire(import.meta.url);

/**
 * dockerode, without docker-modem's ssh transport. docker-modem loads it (the `ssh2` package, which sets
 * up a WebAssembly module as it loads: ~14 MB of the idle daemon's RSS) whatever the engine address; orc
 * reaches the engine over unix:// or tcp:// only (below), so the transport's module is put in the module
 * cache as a stub that says so, before dockerode is loaded (issue 17, item 5).
 */
function loadDockerode(): typeof Docker {
  const modemSsh = createRequire(require.resolve('dockerode')).resolve('docker-modem/lib/ssh.js');
  if (!require.cache[modemSsh]) {
    const stub = new Module(modemSsh);
    stub.filename = modemSsh;
    stub.loaded = true;
    stub.exports = () => {
      throw new Error('orc reaches the engine over unix:// or tcp://, not ssh://');
    };
    require.cache[modemSsh] = stub;
  }
  // dockerode's BuildKit session (`version: '2'` builds, which orc does not ask for) loads @grpc/grpc-js,
  // protobufjs and uuid as dockerode loads: ~10 MB of an idle daemon. It is loaded on first use instead.
  const dockerode = require.resolve('dockerode');
  deferCommonJs(dockerode, './session.js', 'default');
  return require('dockerode') as typeof Docker;
}

const DockerClient = loadDockerode();

/**
 * The one dockerode client of the process. Honours DOCKER_HOST (unix:// or tcp://), like the docker CLI;
 * dockerode's own defaults read the same variable, but we make the choice explicit and testable.
 */
export function createDockerClient(env: NodeJS.ProcessEnv = process.env): Docker {
  const host = env.DOCKER_HOST;
  if (!host || host.startsWith('unix://')) {
    return new DockerClient({ socketPath: host ? host.slice('unix://'.length) : '/var/run/docker.sock' });
  }
  const url = new URL(host.replace(/^tcp:/, 'http:'));
  return new DockerClient({ host: url.hostname, port: Number(url.port || 2375), protocol: 'http' });
}
