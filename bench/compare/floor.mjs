/**
 * The engine floor: what the Engine API itself costs for the same work, with the least a correct tool
 * must do and maximum useful parallelism. It uses orc's own create bodies (@orc/spec desiredState), so
 * the containers are byte-for-byte those orc makes; what is left out is every decision a tool takes.
 *
 * - up: networks and the volume, then every container created at once, then each started as soon as its
 *   dependencies are (started, or healthy: polled every 50 ms).
 * - no-op: one list of the project's containers by label (any tool must at least look).
 * - change one: one recreate of the changed leaf, compose's way: create under a temporary name, stop and
 *   remove the old one, rename, start.
 * - down: each container stopped once its dependents are, removed, then the network (volumes stay, as
 *   with `down` without `-v`).
 */
import { desiredState, loadProject } from '@orc/spec';
import { docker } from './engine.mjs';
import { changedService } from './stack.mjs';

/** Desired state of the stack text under `project` (throws on a load error: the bench's own bug). */
export async function desiredOf(project, dir, text) {
  const result = await loadProject({
    workingDir: dir,
    projectName: project,
    inline: [{ name: 'compose.yaml', content: text }],
    env: {},
  });
  if (!result.ok) throw new Error(`floor: load failed: ${JSON.stringify(result.errors[0])}`);
  return desiredState(result.project);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function waitHealthy(container) {
  for (;;) {
    const info = await container.inspect();
    const status = info.State.Health?.Status;
    if (status === 'healthy') return;
    if (!info.State.Running) throw new Error(`floor: ${info.Name} stopped while waiting for health`);
    await sleep(50);
  }
}

export async function floorUp(desired) {
  await Promise.all(desired.networks.map((n) => docker.createNetwork(n.create)));
  await Promise.all(desired.volumes.map((v) => docker.createVolume(v.create)));
  const created = new Map();
  for (const s of desired.services) {
    const c = s.containers[0];
    created.set(s.name, docker.createContainer({ ...c.create, name: c.name }));
  }
  const started = new Map();
  const healthy = new Map();
  // desired.services is in dependency order, so every dependency's promise exists when read.
  for (const s of desired.services) {
    const ready = Object.entries(s.depends_on).map(([dep, d]) =>
      d.condition === 'service_healthy' ? healthy.get(dep) : started.get(dep),
    );
    const start = Promise.all([created.get(s.name), ...ready]).then(async ([container]) => {
      await container.start();
      return container;
    });
    started.set(s.name, start);
    const health = start.then((c) => (s.has_healthcheck ? waitHealthy(c) : undefined));
    // Nobody waits on the health of a service nothing depends on (as `up -d`): a rejection there must
    // not crash the run; a dependent's start still sees it through `ready`.
    health.catch(() => {});
    healthy.set(s.name, health);
  }
  await Promise.all(started.values());
}

export async function floorNoop(project) {
  await docker.listContainers({ all: true, filters: { label: [`com.docker.compose.project=${project}`] } });
}

/** One recreate of the changed service with the body from `desired2` (its new config). */
export async function floorChangeOne(desired2, n) {
  const s = desired2.services.find((x) => x.name === changedService(n));
  const c = s.containers[0];
  const old = docker.getContainer(c.name);
  const fresh = await docker.createContainer({ ...c.create, name: `${c.name}_tmp` });
  await old.stop({ t: 10 });
  await old.remove();
  await fresh.rename({ name: c.name });
  await fresh.start();
}

export async function floorDown(desired) {
  const dependents = new Map(desired.services.map((s) => [s.name, []]));
  for (const s of desired.services)
    for (const dep of Object.keys(s.depends_on)) dependents.get(dep).push(s.name);
  const gone = new Map();
  // Reverse dependency order: each service's dependents are scheduled before it.
  for (const s of [...desired.services].reverse()) {
    const after = dependents.get(s.name).map((d) => gone.get(d));
    gone.set(
      s.name,
      Promise.all(after).then(async () => {
        const container = docker.getContainer(s.containers[0].name);
        await container.stop({ t: 10 }).catch((err) => {
          if (err?.statusCode !== 304) throw err;
        });
        await container.remove();
      }),
    );
  }
  await Promise.all(gone.values());
  await Promise.all(desired.networks.map((n) => docker.getNetwork(n.name).remove()));
}
