/**
 * `down` on a Swarm target, as a plan: every service of the project (what `docker stack rm` removes,
 * orphans included), then, once their tasks are gone, its networks, secrets and configs; named volumes
 * only with `-v`. Pure, like `planSwarm`.
 */
import { SwarmLabels } from '@orc/spec';
import type { DesiredSwarm, ObservedSwarm, SwarmDownOptions, SwarmOpId, SwarmPlan } from './types.js';

export function planSwarmDown(
  desired: DesiredSwarm | undefined,
  observed: ObservedSwarm,
  options: SwarmDownOptions = {},
): SwarmPlan {
  const plan: SwarmPlan = { project: observed.project, operations: [], warnings: [], problems: [] };
  const gone: SwarmOpId[] = [];
  const services = [...observed.services].sort((a, b) => a.name.localeCompare(b.name));
  for (const service of services) {
    const compose = service.labels[SwarmLabels.orcService];
    const removeId = `remove-service:${service.name}`;
    plan.operations.push({
      kind: 'remove-service',
      id: removeId,
      after: [],
      cause: 'down',
      ...(compose ? { service: compose } : {}),
      name: service.name,
      serviceId: service.id,
    });
    const waitId = `wait-service-gone:${service.name}`;
    plan.operations.push({
      kind: 'wait-service-gone',
      id: waitId,
      after: [removeId],
      cause: 'its tasks stop',
      ...(compose ? { service: compose } : {}),
      name: service.name,
      serviceId: service.id,
    });
    gone.push(waitId);
  }
  const ours = (labels: Record<string, string>) => labels[SwarmLabels.namespace] === observed.project;
  for (const network of [...observed.networks].sort((a, b) => a.name.localeCompare(b.name))) {
    if (!ours(network.labels)) continue;
    plan.operations.push({
      kind: 'remove-network',
      id: `remove-network:${network.name}:${network.id}`,
      after: gone,
      cause: 'down',
      name: network.name,
      networkId: network.id,
    });
  }
  for (const secret of [...observed.secrets].sort((a, b) => a.name.localeCompare(b.name))) {
    if (!ours(secret.labels)) continue;
    plan.operations.push({
      kind: 'remove-secret',
      id: `remove-secret:${secret.name}`,
      after: gone,
      cause: 'down',
      name: secret.name,
      secretId: secret.id,
    });
  }
  for (const config of [...observed.configs].sort((a, b) => a.name.localeCompare(b.name))) {
    if (!ours(config.labels)) continue;
    plan.operations.push({
      kind: 'remove-config',
      id: `remove-config:${config.name}`,
      after: gone,
      cause: 'down',
      name: config.name,
      configId: config.id,
    });
  }
  if (options.volumes) {
    const volumes = projectVolumes(desired, observed);
    if (volumes.length) plan.warnings.push(perNodeVolumes(volumes, observed));
    for (const name of volumes) {
      plan.operations.push({
        kind: 'remove-volume',
        id: `remove-volume:${name}`,
        after: gone,
        cause: 'down -v',
        name,
      });
    }
  }
  return plan;
}

/**
 * Named volumes of the project: the files' (not external), and those the services mount with the
 * stack's label (a volume the files no longer name is the project's too).
 */
function projectVolumes(desired: DesiredSwarm | undefined, observed: ObservedSwarm): string[] {
  const names = new Set<string>();
  for (const v of desired?.volumes ?? []) if (!v.external) names.add(v.name);
  for (const service of observed.services) {
    for (const mount of service.spec.TaskTemplate?.ContainerSpec?.Mounts ?? []) {
      if (mount.Type !== 'volume' || !mount.Source) continue;
      if (mount.VolumeOptions?.Labels?.[SwarmLabels.namespace] === observed.project) names.add(mount.Source);
    }
  }
  return [...names].sort();
}

/**
 * Swarm creates a named volume on each node where a task mounting it ran, and its API removes a volume on
 * no other node than the one asked (`docker stack rm` removes none): the daemon reaches only its own
 * engine, the manager. Said plainly, with the nodes the tasks ran on and the command to run there.
 */
function perNodeVolumes(volumes: string[], observed: ObservedSwarm): string {
  const wanted = new Set(volumes);
  const mounting = new Set(
    observed.services
      .filter((s) =>
        (s.spec.TaskTemplate?.ContainerSpec?.Mounts ?? []).some(
          (m) => m.Type === 'volume' && m.Source !== undefined && wanted.has(m.Source),
        ),
      )
      .map((s) => s.id),
  );
  const nodes = [
    ...new Set(observed.tasks.flatMap((t) => (mounting.has(t.serviceId) && t.node ? [t.node] : []))),
  ].sort();
  const ran = nodes.length ? ` (tasks that mount them ran on ${nodes.join(', ')})` : '';
  return (
    `down -v removes the volumes ${volumes.join(', ')} on the daemon's engine (the manager) only: Swarm ` +
    'creates a named volume on each node where a task mounted it, and its API cannot remove a volume on ' +
    `another node (docker stack rm removes none). On each other node${ran}, run: docker volume rm ${volumes.join(' ')}`
  );
}
