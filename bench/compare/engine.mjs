/** Direct engine helpers for the bench: one dockerode client, cleanup by project label, events. */
import Docker from 'dockerode';

export const docker = new Docker(
  process.env.DOCKER_HOST?.startsWith('unix://')
    ? { socketPath: process.env.DOCKER_HOST.slice('unix://'.length) }
    : { socketPath: '/var/run/docker.sock' },
);

const projectFilter = (project) => ({ label: [`com.docker.compose.project=${project}`] });

/** Ignores "already gone" (404) and "already being removed" (409): cleanup must never fail a run. */
async function quietly(promise) {
  try {
    await promise;
  } catch (err) {
    if (err?.statusCode !== 404 && err?.statusCode !== 409) throw err;
  }
}

/**
 * Removes every container, network and volume carrying the project's label (whoever made them). A
 * network still holding an endpoint (a container made meanwhile, e.g. by a daemon still converging the
 * project) gets another round.
 */
export async function cleanupProject(project) {
  const filters = projectFilter(project);
  for (let round = 1; ; round++) {
    const containers = await docker.listContainers({ all: true, filters });
    await Promise.all(containers.map((c) => quietly(docker.getContainer(c.Id).remove({ force: true }))));
    const networks = await docker.listNetworks({ filters });
    const results = await Promise.allSettled(networks.map((n) => quietly(docker.getNetwork(n.Id).remove())));
    const failed = results.find((r) => r.status === 'rejected');
    if (!failed) break;
    if (round === 3) throw failed.reason;
  }
  const { Volumes } = await docker.listVolumes({ filters });
  await Promise.all((Volumes ?? []).map((v) => quietly(docker.getVolume(v.Name).remove({ force: true }))));
}

/** Every project name with the bench prefix found on the engine (leftovers of a killed run). */
export async function benchProjects(prefix) {
  const names = new Set();
  const label = 'com.docker.compose.project';
  for (const c of await docker.listContainers({ all: true, filters: { label: [label] } }))
    if (c.Labels[label]?.startsWith(prefix)) names.add(c.Labels[label]);
  for (const n of await docker.listNetworks({ filters: { label: [label] } }))
    if (n.Labels?.[label]?.startsWith(prefix)) names.add(n.Labels[label]);
  const { Volumes } = await docker.listVolumes({ filters: { label: [label] } });
  for (const v of Volumes ?? []) if (v.Labels?.[label]?.startsWith(prefix)) names.add(v.Labels[label]);
  return [...names];
}

export async function runningCount(project) {
  const list = await docker.listContainers({ filters: { ...projectFilter(project), status: ['running'] } });
  return list.length;
}

/**
 * Watches the project's container `destroy` and `start` events, subscribed before the caller acts so none
 * is missed. `done` resolves once `until(event)` holds (or rejects after `timeoutMs`) with every event
 * seen, each with its arrival time (performance.now()).
 */
export async function watchContainers(project, until, timeoutMs) {
  const stream = await docker.getEvents({
    filters: { type: ['container'], event: ['destroy', 'start'], ...projectFilter(project) },
  });
  const seen = [];
  let timer;
  const done = new Promise((resolve, reject) => {
    let buf = '';
    stream.on('data', (chunk) => {
      buf += chunk.toString();
      for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (!line.trim()) continue;
        const event = JSON.parse(line);
        seen.push({ ...event, at: performance.now() });
        if (until(event)) resolve(seen);
      }
    });
    stream.on('error', reject);
    timer = setTimeout(() => reject(new Error(`no matching event within ${timeoutMs} ms`)), timeoutMs);
  });
  return {
    done: done.finally(() => {
      clearTimeout(timer);
      stream.destroy();
    }),
  };
}

/**
 * Drift: `docker rm -f` of the service's running container, then its replacement's `start` event. Returns
 * when the removal was sent, when the old container's `destroy` came (if seen) and when the replacement
 * started, on performance.now(): run.mjs, versus.mjs and trace.mjs time a repair from these.
 */
export async function removeAndAwaitReplacement(project, service) {
  const [old] = await docker.listContainers({
    filters: { label: [`com.docker.compose.project=${project}`, `com.docker.compose.service=${service}`] },
  });
  if (!old) throw new Error(`drift: no running ${service} in ${project} to remove`);
  const isReplacement = (e) =>
    e.Action === 'start' &&
    e.id !== old.Id &&
    e.Actor?.Attributes?.['com.docker.compose.service'] === service;
  const watch = await watchContainers(project, isReplacement, 30000);
  const sent = performance.now();
  await docker.getContainer(old.Id).remove({ force: true });
  const seen = await watch.done;
  return {
    sent,
    started: seen.find(isReplacement).at,
    gone: seen.find((e) => e.Action === 'destroy' && e.id === old.Id)?.at,
  };
}

export async function engineInfo() {
  const [version, info] = await Promise.all([docker.version(), docker.info()]);
  return {
    version: version.Version,
    apiVersion: version.ApiVersion,
    storageDriver: info.Driver,
    kernel: info.KernelVersion,
  };
}
