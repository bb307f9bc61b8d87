import Docker from 'dockerode';

/**
 * The one dockerode client of the process. Honours DOCKER_HOST (unix:// or tcp://), like the docker CLI;
 * dockerode's own defaults read the same variable, but we make the choice explicit and testable.
 */
export function createDockerClient(env: NodeJS.ProcessEnv = process.env): Docker {
  const host = env.DOCKER_HOST;
  if (!host || host.startsWith('unix://')) {
    return new Docker({ socketPath: host ? host.slice('unix://'.length) : '/var/run/docker.sock' });
  }
  const url = new URL(host.replace(/^tcp:/, 'http:'));
  return new Docker({ host: url.hostname, port: Number(url.port || 2375), protocol: 'http' });
}
