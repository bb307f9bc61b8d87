import {
  type DesiredStateOptions,
  dependsOn,
  desiredBuild,
  hasHealthcheck,
  replicaCount,
} from '../desired/desired-state.js';
import { dependencyOrder } from '../desired/order.js';
import { sortedRecord } from '../hash/canonical.js';
import { bodyHash } from '../hash/service-hash.js';
import { formatPath } from '../load/path.js';
import type { SpecProblem } from '../model/errors.js';
import { ORC_VERSION, SwarmLabels } from '../model/labels.js';
import type { Project, Service } from '../model/project.js';
import type {
  DesiredSwarm,
  DesiredSwarmFile,
  DesiredSwarmNetwork,
  DesiredSwarmService,
  DesiredSwarmVolume,
  SwarmModeBody,
  SwarmNetworkCreateBody,
  SwarmServiceMode,
  SwarmServiceSpec,
  SwarmTaskTemplate,
} from '../model/swarm.js';
import type { PathProblem } from '../normalize/context.js';
import { swarmProblems } from './compat.js';
import { SwarmProblemsError } from './errors.js';
import { desiredSwarmFile, type ReadFile, readFileBytes } from './files.js';
import { completedDependencies, swarmMode } from './modes.js';
import { swarmNetworkName, swarmServiceName } from './names.js';
import { swarmCovered } from './selection.js';
import {
  containerSpec,
  endpointSpec,
  type FileNames,
  placement,
  restartPolicy,
  taskNetworks,
  taskResources,
  updateConfig,
} from './service-spec.js';

export interface SwarmStateOptions extends Pick<DesiredStateOptions, 'scale'> {
  /** Services the command acts on: a Swarm problem of another service does not stop it. Absent = all. */
  services?: string[];
  /** With `services`: only the named ones, not what they depend on (`up --no-deps`). */
  noDeps?: boolean;
  /** Reads `file:` secrets and configs (default: the daemon's disk). */
  readFile?: ReadFile;
}

/** Labels that must not change a hash (an orc upgrade is not a config change). */
const UNHASHED = [SwarmLabels.orcConfigHash, SwarmLabels.orcVersion];

/**
 * The Project as a Swarm stack: services with their complete `ServiceSpec`, overlay networks, named
 * volumes, and secrets and configs under versioned names. Deterministic for the same Project, options
 * and file contents. Throws `SwarmProblemsError` with every error of what Swarm cannot do in the services
 * the command acts on (the selected ones and what they depend on; the loader lists the same, located,
 * when the target is swarm), and `DesiredStateError` for a secret it cannot read.
 */
export function swarmDesiredState(project: Project, opts: SwarmStateOptions = {}): DesiredSwarm {
  const selected = new Set(swarmCovered(project, opts.services, opts.noDeps));
  const blocking = swarmProblems(project).filter(
    (p) => p.severity !== 'warning' && (p.services ?? []).some((s) => selected.has(s)),
  );
  if (blocking.length) throw new SwarmProblemsError(blocking.map((p) => located(project, p)));
  const readFile = opts.readFile ?? readFileBytes;
  const names = Object.keys(project.services);
  const used = (pick: (s: Service) => string[]) =>
    [...new Set(names.flatMap((n) => pick(project.services[n] as Service)))].sort();
  const secrets = used((s) => (s.secrets ?? []).map((r) => r.source)).map((key) =>
    desiredSwarmFile(project, 'secret', key, readFile),
  );
  const configs = used((s) => (s.configs ?? []).map((r) => r.source)).map((key) =>
    desiredSwarmFile(project, 'config', key, readFile),
  );
  const files: FileNames = { secrets: nameMap(secrets), configs: nameMap(configs) };
  const jobs = completedDependencies(project);
  const services = dependencyOrder(project).map((name) =>
    swarmService(project, project.services[name] as Service, files, jobs.has(name), opts),
  );
  const networkKeys = used((s) =>
    s.network_mode === undefined ? Object.keys(s.networks ?? { default: null }) : [],
  );
  const volumeKeys = used((s) =>
    (s.volumes ?? []).flatMap((v) => (v.type === 'volume' && v.source ? [v.source] : [])),
  );
  return {
    project: project.name,
    working_dir: project.working_dir,
    config_files: [...project.config_files],
    networks: networkKeys.map((key) => swarmNetwork(project, key)),
    volumes: volumeKeys.map((key) => swarmVolume(project, key)),
    secrets,
    configs,
    services,
  };
}

/**
 * A problem as the loader located it when the project was loaded for the swarm target (a problem of its
 * service, with file:line:col); else with its key path only.
 */
function located(project: Project, p: PathProblem): SpecProblem {
  const path = formatPath(p.path);
  const same = (q: SpecProblem) => q.path === path && q.code === p.code;
  const found =
    project.serviceProblems?.find((q) => same(q) && q.message === p.message) ??
    project.serviceProblems?.find(same);
  return {
    code: p.code,
    message: p.message,
    ...(found?.file ? { file: found.file } : {}),
    ...(found?.line !== undefined ? { line: found.line } : {}),
    ...(found?.col !== undefined ? { col: found.col } : {}),
    path,
    ...(p.hint ? { hint: p.hint } : {}),
  };
}

function nameMap(files: DesiredSwarmFile[]): Record<string, string> {
  return Object.fromEntries(files.map((f) => [f.key, f.name]));
}

function modeBody(mode: SwarmServiceMode, replicas: number): SwarmModeBody {
  switch (mode) {
    case 'global':
      return { Global: {} };
    case 'global-job':
      return { GlobalJob: {} };
    case 'replicated-job':
      return { ReplicatedJob: { MaxConcurrent: replicas, TotalCompletions: replicas } };
    default:
      return { Replicated: { Replicas: replicas } };
  }
}

function swarmService(
  project: Project,
  service: Service,
  files: FileNames,
  waitedToComplete: boolean,
  opts: SwarmStateOptions,
): DesiredSwarmService {
  const mode = swarmMode(service, waitedToComplete);
  const job = mode.endsWith('-job');
  const global = mode.startsWith('global');
  const replicas = global ? 0 : replicaCount(service, opts);
  const image = service.image ?? `${project.name}-${service.name}`;
  const engineName = swarmServiceName(project.name, service.name);
  const task: SwarmTaskTemplate = { ContainerSpec: containerSpec(project, service, image, files) };
  const resources = taskResources(service);
  if (resources) task.Resources = resources;
  const restart = restartPolicy(service, job);
  if (restart) task.RestartPolicy = restart;
  const place = placement(service, global);
  if (place) task.Placement = place;
  const networks = taskNetworks(project, service);
  if (networks) task.Networks = networks;
  if (service.logging?.driver) {
    task.LogDriver = { Name: service.logging.driver };
    if (service.logging.options && Object.keys(service.logging.options).length)
      task.LogDriver.Options = sortedRecord(service.logging.options);
  }
  const spec: SwarmServiceSpec = {
    Name: engineName,
    Labels: sortedRecord({
      ...service.deploy?.labels,
      [SwarmLabels.namespace]: project.name,
      [SwarmLabels.image]: image,
      [SwarmLabels.orcManaged]: 'true',
      [SwarmLabels.orcTarget]: 'swarm',
      [SwarmLabels.orcVersion]: ORC_VERSION,
      [SwarmLabels.orcService]: service.name,
    }),
    TaskTemplate: task,
    Mode: modeBody(mode, replicas),
  };
  // Swarm refuses update and rollback configs on jobs (a job runs to its end; a new spec runs it again).
  if (!job) {
    const update = updateConfig(service.deploy?.update_config);
    if (update) spec.UpdateConfig = update;
    const rollback = updateConfig(service.deploy?.rollback_config);
    if (rollback) spec.RollbackConfig = rollback;
  }
  const endpoint = endpointSpec(service);
  if (endpoint) spec.EndpointSpec = endpoint;
  const hash = swarmSpecHash(spec);
  spec.Labels = sortedRecord({ ...spec.Labels, [SwarmLabels.orcConfigHash]: hash });
  const out: DesiredSwarmService = {
    name: service.name,
    engineName,
    mode,
    replicas,
    image,
    depends_on: dependsOn(service),
    has_healthcheck: hasHealthcheck(service),
    spec,
    hash,
    networks: (networks ?? []).map((n) => n.Target),
    secrets: (task.ContainerSpec.Secrets ?? []).map((s) => s.SecretName),
    configs: (task.ContainerSpec.Configs ?? []).map((c) => c.ConfigName),
  };
  if (service.build) out.build = desiredBuild(service.build, image);
  return out;
}

/**
 * The hash of a service spec, without the labels that must not change it and without the image's
 * digest: a spec pinned to `web:1@sha256:…` after a push hashes as `web:1` does, so a later pass that
 * knows no digest (the supervisor's) does not see a change and undo the pin. A new digest of the same
 * tag is a change all the same: the planner compares the images themselves.
 */
export function swarmSpecHash(spec: SwarmServiceSpec): string {
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(spec.Labels)) if (!UNHASHED.includes(k as never)) labels[k] = v;
  const container = spec.TaskTemplate.ContainerSpec;
  const image = container.Image.replace(/@sha256:[0-9a-f]+$/, '');
  return bodyHash({
    ...spec,
    Labels: labels,
    TaskTemplate: { ...spec.TaskTemplate, ContainerSpec: { ...container, Image: image } },
  });
}

/**
 * The spec with another image (a digest pinned after build/push or resolution), its hash recomputed
 * (unchanged for a digest of the same tag).
 */
export function withSwarmImage(service: DesiredSwarmService, image: string): DesiredSwarmService {
  if (service.spec.TaskTemplate.ContainerSpec.Image === image) return service;
  const spec: SwarmServiceSpec = {
    ...service.spec,
    TaskTemplate: {
      ...service.spec.TaskTemplate,
      ContainerSpec: { ...service.spec.TaskTemplate.ContainerSpec, Image: image },
    },
  };
  const hash = swarmSpecHash(spec);
  spec.Labels = sortedRecord({ ...spec.Labels, [SwarmLabels.orcConfigHash]: hash });
  return { ...service, spec, hash };
}

function swarmNetwork(project: Project, key: string): DesiredSwarmNetwork {
  const network = project.networks?.[key];
  const name = swarmNetworkName(project, key);
  const driver = network?.driver && network.driver !== 'bridge' ? network.driver : 'overlay';
  const body: SwarmNetworkCreateBody = {
    Name: name,
    CheckDuplicate: true,
    Driver: driver,
    Scope: 'swarm',
    Labels: sortedRecord({
      ...network?.labels,
      [SwarmLabels.namespace]: project.name,
      [SwarmLabels.orcManaged]: 'true',
      [SwarmLabels.orcTarget]: 'swarm',
      [SwarmLabels.orcVersion]: ORC_VERSION,
      [SwarmLabels.orcKey]: key,
    }),
  };
  if (network?.attachable !== undefined) body.Attachable = network.attachable;
  if (network?.internal !== undefined) body.Internal = network.internal;
  if (network?.enable_ipv6 !== undefined) body.EnableIPv6 = network.enable_ipv6;
  if (network?.driver_opts && Object.keys(network.driver_opts).length)
    body.Options = sortedRecord(network.driver_opts);
  if (network?.ipam) {
    const ipam: NonNullable<SwarmNetworkCreateBody['IPAM']> = {};
    if (network.ipam.driver) ipam.Driver = network.ipam.driver;
    if (network.ipam.config?.length) {
      ipam.Config = network.ipam.config.map((c) => {
        const entry: NonNullable<NonNullable<SwarmNetworkCreateBody['IPAM']>['Config']>[number] = {};
        if (c.subnet) entry.Subnet = c.subnet;
        if (c.ip_range) entry.IPRange = c.ip_range;
        if (c.gateway) entry.Gateway = c.gateway;
        if (c.aux_addresses && Object.keys(c.aux_addresses).length)
          entry.AuxiliaryAddresses = sortedRecord(c.aux_addresses);
        return entry;
      });
    }
    if (network.ipam.options && Object.keys(network.ipam.options).length)
      ipam.Options = sortedRecord(network.ipam.options);
    if (Object.keys(ipam).length) body.IPAM = ipam;
  }
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(body.Labels)) if (!UNHASHED.includes(k as never)) labels[k] = v;
  const hash = bodyHash({ ...body, Labels: labels });
  body.Labels = sortedRecord({ ...body.Labels, [SwarmLabels.orcConfigHash]: hash });
  return { key, name, external: network?.external === true, create: body, hash };
}

function swarmVolume(project: Project, key: string): DesiredSwarmVolume {
  const volume = project.volumes?.[key];
  const out: DesiredSwarmVolume = {
    key,
    name: volume?.name ?? `${project.name}_${key}`,
    external: volume?.external === true,
    labels: sortedRecord({ ...volume?.labels, [SwarmLabels.namespace]: project.name }),
  };
  if (volume?.driver) out.driver = volume.driver;
  if (volume?.driver_opts && Object.keys(volume.driver_opts).length)
    out.driver_opts = sortedRecord(volume.driver_opts);
  return out;
}
