/**
 * What exists on the cluster for one project (`ObservedSwarm`), read from a manager by the label
 * `docker stack` uses (`com.docker.stack.namespace=PROJECT`), plus the external networks, secrets and
 * configs the desired state names (by name). Tasks are listed whole and kept by service id: a task
 * outlives its removed service until its container is gone, and the engine's task filter by service
 * answers 404 for a removed one.
 */
import { SwarmLabels } from '@orc/spec';
import type { SwarmEngine } from '../engine/swarm.js';
import type { EngineNode, EngineService, EngineSwarmFile, EngineTask } from '../engine/swarm-types.js';
import type {
  DesiredSwarm,
  ObservedSwarm,
  ObservedSwarmObject,
  ObservedSwarmService,
  ObservedSwarmTask,
  SwarmServiceSpec,
} from './types.js';

export async function observeSwarm(
  swarm: SwarmEngine,
  project: string,
  desired?: DesiredSwarm,
): Promise<ObservedSwarm> {
  const byLabel = { label: [`${SwarmLabels.namespace}=${project}`] };
  const externalNames = (kind: 'secret' | 'config') =>
    (kind === 'secret' ? desired?.secrets : desired?.configs)?.filter((f) => f.external).map((f) => f.name) ??
    [];
  const externalNetworks = desired?.networks.filter((n) => n.external).map((n) => n.name) ?? [];
  const [services, tasks, nodes, networks, secrets, configs, extNets, extSecrets, extConfigs] =
    await Promise.all([
      swarm.listServices(byLabel),
      swarm.listTasks({}),
      swarm.listNodes(),
      swarm.listNetworks(byLabel),
      swarm.listFiles('secret', byLabel),
      swarm.listFiles('config', byLabel),
      externalNetworks.length ? swarm.listNetworks({ name: externalNetworks }) : Promise.resolve([]),
      externalNames('secret').length
        ? swarm.listFiles('secret', { name: externalNames('secret') })
        : Promise.resolve([]),
      externalNames('config').length
        ? swarm.listFiles('config', { name: externalNames('config') })
        : Promise.resolve([]),
    ]);
  const observedServices = services.map(observedService);
  const composeOf = new Map(observedServices.map((s) => [s.id, composeName(s, project)]));
  const hostOf = new Map(nodes.map((n) => [n.ID, n.Description.Hostname]));
  const uniq = <T extends { id: string }>(xs: T[]) => [...new Map(xs.map((x) => [x.id, x])).values()];
  // The engine's name filter matches prefixes: keep exact names only.
  const exact = (names: string[]) => (n: { Name?: string; Spec?: { Name: string } }) =>
    names.includes(n.Name ?? n.Spec?.Name ?? '');
  return {
    project,
    services: observedServices,
    tasks: tasks
      .filter((t) => composeOf.has(t.ServiceID))
      .map((t) => observedTask(t, composeOf.get(t.ServiceID) ?? '', hostOf)),
    networks: uniq(
      [...networks, ...extNets.filter(exact(externalNetworks))].map((n) => ({
        id: n.Id,
        name: n.Name,
        labels: n.Labels ?? {},
        ...(n.Driver ? { driver: n.Driver } : {}),
      })),
    ),
    secrets: uniq([...secrets, ...extSecrets.filter(exact(externalNames('secret')))].map(observedFile)),
    configs: uniq([...configs, ...extConfigs.filter(exact(externalNames('config')))].map(observedFile)),
  };
}

function observedService(s: EngineService): ObservedSwarmService {
  return {
    id: s.ID,
    name: s.Spec.Name,
    version: s.Version.Index,
    // The engine's spec holds what orc set plus its defaults; the planner's diff reads it as data.
    spec: asDesiredSpelling(s.Spec),
    labels: s.Spec.Labels ?? {},
    ...(s.UpdateStatus?.State ? { updateState: s.UpdateStatus.State } : {}),
    ...(s.UpdateStatus?.Message ? { updateMessage: s.UpdateStatus.Message } : {}),
  };
}

/**
 * Adapter: the engine answers `ContainerSpec.Healthcheck` (Go's field name; it reads any case), the
 * desired spec spells it `HealthCheck`. Renamed here so the diff does not see a change on every up.
 */
function asDesiredSpelling(spec: EngineService['Spec']): SwarmServiceSpec {
  const container = spec.TaskTemplate?.ContainerSpec as Record<string, unknown> | undefined;
  if (!container || !('Healthcheck' in container)) return spec as unknown as SwarmServiceSpec;
  const { Healthcheck, ...rest } = container;
  return {
    ...spec,
    TaskTemplate: { ...spec.TaskTemplate, ContainerSpec: { ...rest, HealthCheck: Healthcheck } },
  } as unknown as SwarmServiceSpec;
}

function composeName(s: ObservedSwarmService, project: string): string {
  return s.labels[SwarmLabels.orcService] ?? s.name.replace(new RegExp(`^${escapeRegExp(project)}_`), '');
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function observedTask(t: EngineTask, service: string, hostOf: Map<string, string>): ObservedSwarmTask {
  const node = t.NodeID ? hostOf.get(t.NodeID) : undefined;
  const c = t.Status.ContainerStatus;
  return {
    id: t.ID,
    serviceId: t.ServiceID,
    service,
    ...(t.Slot ? { slot: t.Slot } : {}),
    ...(t.NodeID ? { nodeId: t.NodeID } : {}),
    ...(node ? { node } : {}),
    desiredState: t.DesiredState,
    state: t.Status.State,
    ...(t.Status.Err ? { error: t.Status.Err } : {}),
    ...(t.Status.Message ? { message: t.Status.Message } : {}),
    ...(c?.ContainerID ? { containerId: c.ContainerID } : {}),
    ...(c?.ExitCode !== undefined ? { exitCode: c.ExitCode } : {}),
    ...(t.Status.Timestamp ? { timestamp: t.Status.Timestamp } : {}),
    ports: (t.Status.PortStatus?.Ports ?? []).map((p) => ({
      protocol: p.Protocol ?? 'tcp',
      targetPort: p.TargetPort,
      ...(p.PublishedPort !== undefined ? { publishedPort: p.PublishedPort } : {}),
      publishMode: p.PublishMode ?? 'ingress',
    })),
  };
}

function observedFile(f: EngineSwarmFile): ObservedSwarmObject {
  return { id: f.ID, name: f.Spec.Name, labels: f.Spec.Labels ?? {}, version: f.Version.Index };
}

/** Nodes by id, for events and `ps` (hostname, state). */
export function nodeNames(nodes: EngineNode[]): Map<string, string> {
  return new Map(nodes.map((n) => [n.ID, n.Description.Hostname]));
}
