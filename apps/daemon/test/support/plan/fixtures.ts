/**
 * Small builders for planner tests: a desired state shaped like the spec's output, and the observed state
 * the engine would report for it. Test-only; nothing here touches Docker.
 */
import { createHash } from 'node:crypto';
import type {
  DesiredDependency,
  DesiredNetwork,
  DesiredService,
  DesiredState,
  DesiredVolume,
} from '@orc/spec';
import { Labels, loadProject, desiredState as specDesiredState } from '@orc/spec';
import type { ObservedContainer, ObservedNetwork, ObservedProject } from '../../../src/observe/types.js';

export const IMAGE = 'orc-fixture/busybox:1';
export const IMAGE_ID = `sha256:${'a'.repeat(64)}`;

export interface ServiceSpec {
  name: string;
  replicas?: number;
  environment?: Record<string, string>;
  image?: string;
  networks?: string[];
  volumes?: string[];
  depends_on?: Record<string, Partial<DesiredDependency>>;
  uses?: string[];
  has_healthcheck?: boolean;
  update_config?: DesiredService['update_config'];
  fixed_host_ports?: string[];
  container_name?: string;
  build?: boolean;
  pull_policy?: string;
  stop_signal?: string;
  stop_grace_period?: number;
}

export function hashOf(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

type Names = { network: (key: string) => string; volume: (key: string) => string };

export function desiredService(
  project: string,
  spec: ServiceSpec,
  names: Names = { network: (k) => `${project}_${k}`, volume: (k) => `${project}_${k}` },
): DesiredService {
  const image = spec.image ?? IMAGE;
  const networks = spec.networks ?? ['default'];
  const volumes = spec.volumes ?? [];
  const definition = JSON.stringify({
    environment: spec.environment ?? {},
    image,
    networks,
    volumes,
    ...(spec.container_name ? { container_name: spec.container_name } : {}),
  });
  const hash = hashOf(definition);
  const replicas = spec.replicas ?? 1;
  const depends_on: Record<string, DesiredDependency> = {};
  for (const [dep, d] of Object.entries(spec.depends_on ?? {})) {
    depends_on[dep] = { condition: 'service_started', required: true, restart: false, ...d };
  }
  const service: DesiredService = {
    name: spec.name,
    hash,
    image,
    pull_policy: spec.pull_policy ?? 'missing',
    replicas,
    depends_on,
    networks,
    volumes,
    uses: spec.uses ?? [],
    stop_grace_period: spec.stop_grace_period ?? 10,
    has_healthcheck: spec.has_healthcheck ?? false,
    fixed_host_ports: spec.fixed_host_ports ?? [],
    orc: {},
    definition,
    containers: [],
  };
  if (spec.stop_signal) service.stop_signal = spec.stop_signal;
  if (spec.update_config) service.update_config = spec.update_config;
  if (spec.build) {
    service.build = {
      context: `/srv/${project}`,
      args: {},
      labels: {},
      extra_hosts: [],
      cache_from: [],
      no_cache: false,
      pull: false,
      tags: [image],
      platforms: [],
    };
  }
  for (let n = 1; n <= replicas; n++) {
    const name = spec.container_name ?? `${project}-${spec.name}-${n}`;
    service.containers.push({
      service: spec.name,
      number: n,
      name,
      create: {
        Image: image,
        Env: Object.entries(spec.environment ?? {}).map(([k, v]) => `${k}=${v}`),
        Labels: {
          [Labels.project]: project,
          [Labels.service]: spec.name,
          [Labels.containerNumber]: String(n),
          [Labels.oneoff]: 'False',
          [Labels.configHash]: hash,
          [Labels.orcDefinition]: definition,
        },
        HostConfig: {
          Mounts: volumes.map((key) => ({
            Type: 'volume' as const,
            Source: names.volume(key),
            Target: `/${key}`,
          })),
        },
      },
      endpoints: networks.map((key, i) => ({
        key,
        name: names.network(key),
        aliases: [spec.name],
        priority: networks.length - i,
      })),
    });
  }
  return service;
}

export interface StateSpec {
  project?: string;
  services: ServiceSpec[];
  externalNetworks?: string[];
  externalVolumes?: string[];
}

export function desiredState(spec: StateSpec): DesiredState {
  const project = spec.project ?? 'demo';
  const names: Names = {
    network: (key) => (spec.externalNetworks?.includes(key) ? key : `${project}_${key}`),
    volume: (key) => (spec.externalVolumes?.includes(key) ? key : `${project}_${key}`),
  };
  const services = spec.services.map((s) => desiredService(project, s, names));
  const networkKeys = [...new Set(services.flatMap((s) => s.networks))].sort();
  const volumeKeys = [...new Set(services.flatMap((s) => s.volumes))].sort();
  const networks: DesiredNetwork[] = networkKeys.map((key) => {
    const external = spec.externalNetworks?.includes(key) ?? false;
    const name = external ? key : `${project}_${key}`;
    const hash = hashOf(JSON.stringify({ Name: name, Driver: 'bridge' }));
    const create = {
      Name: name,
      Driver: 'bridge',
      Labels: { [Labels.project]: project, [Labels.network]: key, [Labels.orcConfigHash]: hash },
    };
    return { key, name, external, create, hash };
  });
  const volumes: DesiredVolume[] = volumeKeys.map((key) => {
    const external = spec.externalVolumes?.includes(key) ?? false;
    const name = external ? key : `${project}_${key}`;
    const hash = hashOf(JSON.stringify({ Name: name }));
    const create = {
      Name: name,
      Labels: { [Labels.project]: project, [Labels.volume]: key, [Labels.orcConfigHash]: hash },
    };
    return { key, name, external, create, hash };
  });
  return {
    project,
    working_dir: `/srv/${project}`,
    config_files: [`/srv/${project}/compose.yaml`],
    networks,
    volumes,
    services,
  };
}

/** A 64-hex container id (deterministic across a run: tests compare rendered text). */
export function containerId(seed: string): string {
  return hashOf(`container:${seed}`);
}

export function networkId(name: string): string {
  return hashOf(`network:${name}`);
}

/** The container the engine reports for a desired replica that is up to date and running. */
export function observedContainer(
  desired: DesiredState,
  serviceName: string,
  number: number,
  fields: Partial<ObservedContainer> = {},
): ObservedContainer {
  const service = desired.services.find((s) => s.name === serviceName);
  if (!service) throw new Error(`no service ${serviceName} in the fixture`);
  const dc = service.containers.find((c) => c.number === number);
  const name = dc?.name ?? `${desired.project}-${serviceName}-${number}`;
  const networks: ObservedContainer['networks'] = {};
  for (const endpoint of dc?.endpoints ?? []) {
    networks[endpoint.name] = { networkId: networkId(endpoint.name), aliases: endpoint.aliases };
  }
  const mounts = (dc?.create.HostConfig.Mounts ?? []).map((m) => ({
    type: 'volume',
    name: m.Source ?? '',
    source: `/var/lib/docker/volumes/${m.Source}/_data`,
    destination: m.Target,
  }));
  return {
    id: containerId(`${name}:${fields.created ?? ''}`),
    name,
    service: serviceName,
    number,
    oneoff: false,
    configHash: service.hash,
    imageLabel: IMAGE_ID,
    imageId: IMAGE_ID,
    image: service.image,
    state: 'running',
    exitCode: 0,
    restartCount: 0,
    created: '2026-01-01T00:00:00Z',
    startedAt: '2026-01-01T00:00:01Z',
    finishedAt: '',
    networks,
    mounts,
    labels: { ...(dc?.create.Labels ?? {}), [Labels.image]: IMAGE_ID },
    ...fields,
  };
}

export function observedNetwork(desired: DesiredState, key: string, fields: Partial<ObservedNetwork> = {}) {
  const network = desired.networks.find((n) => n.key === key);
  if (!network) throw new Error(`no network ${key} in the fixture`);
  return {
    id: networkId(network.name),
    name: network.name,
    key,
    labels: { ...network.create.Labels, [Labels.orcConfigHash]: network.hash },
    created: '2026-01-01T00:00:00Z',
    ...fields,
  };
}

/** What the engine reports once `desired` is fully converged (everything running, up to date). */
export function converged(desired: DesiredState): ObservedProject {
  return {
    project: desired.project,
    containers: desired.services.flatMap((s) =>
      s.containers.map((dc) => observedContainer(desired, s.name, dc.number)),
    ),
    networks: desired.networks.filter((n) => !n.external).map((n) => observedNetwork(desired, n.key)),
    volumes: desired.volumes
      .filter((v) => !v.external)
      .map((v) => ({
        name: v.name,
        key: v.key,
        labels: { ...v.create.Labels, [Labels.orcConfigHash]: v.hash },
      })),
    images: Object.fromEntries(desired.services.map((s) => [s.image, IMAGE_ID])),
    foreign: {
      containersByName: {},
      networksByName: Object.fromEntries(
        desired.networks.filter((n) => n.external).map((n) => [n.name, { id: networkId(n.name) }]),
      ),
      volumesByName: Object.fromEntries(
        desired.volumes.filter((v) => v.external).map((v) => [v.name, { name: v.name }]),
      ),
    },
  };
}

/** Nothing exists yet (images are present locally). */
export function empty(desired: DesiredState): ObservedProject {
  const all = converged(desired);
  return { ...all, containers: [], networks: [], volumes: [] };
}

/** The real spec pipeline on compose text: project `demo` in /srv/demo, an empty environment. */
export async function desiredFromCompose(yaml: string): Promise<DesiredState> {
  const loaded = await loadProject({
    workingDir: '/srv/demo',
    inline: [{ name: 'compose.yaml', content: yaml }],
    env: {},
    projectName: 'demo',
  });
  if (!loaded.ok) throw new Error(loaded.errors.map((e) => e.message).join('\n'));
  return specDesiredState(loaded.project);
}

/** Nothing of project `demo` on the engine; `images` are present locally. */
export function nothingObserved(images: Record<string, string> = { [IMAGE]: IMAGE_ID }): ObservedProject {
  return {
    project: 'demo',
    containers: [],
    networks: [],
    volumes: [],
    images,
    foreign: { containersByName: {}, networksByName: {}, volumesByName: {} },
  };
}
