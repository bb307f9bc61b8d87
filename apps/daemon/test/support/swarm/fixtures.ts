/**
 * Fixtures of the Swarm planner's unit tests: compose text → DesiredSwarm through the real pipeline, the
 * cluster as a manager would report it once converged, and a simulator that applies a plan the way the
 * engine does (ids bound, defaults added, versions bumped), so a test can plan again after it.
 */
import { loadProject, type SwarmServiceSpec, swarmDesiredState } from '@orc/spec';
import type {
  DesiredSwarm,
  ObservedSwarm,
  ObservedSwarmObject,
  SwarmPlan,
} from '../../../src/swarm/types.js';

/** The real spec pipeline on compose text: project `demo`; `file:` secrets read as `file:<path>`. */
export async function swarmFromCompose(
  yaml: string,
  env: Record<string, string> = {},
): Promise<DesiredSwarm> {
  const loaded = await loadProject({
    workingDir: '/srv/demo',
    inline: [{ name: 'compose.yaml', content: yaml }],
    env,
    projectName: 'demo',
    target: 'swarm',
  });
  if (!loaded.ok) throw new Error(loaded.errors.map((e) => e.message).join('\n'));
  return swarmDesiredState(loaded.project, { readFile: (p) => new TextEncoder().encode(`file:${p}`) });
}

export function nothing(project = 'demo'): ObservedSwarm {
  return { project, services: [], tasks: [], networks: [], secrets: [], configs: [] };
}

const id = (kind: string, name: string) => `${kind}-${name}`;

/**
 * A spec as the engine stores and returns it: network names bound to ids, secret/config ids bound,
 * defaults filled in (Isolation, ForceUpdate, Runtime, EndpointSpec.Mode), the image pinned to a digest.
 */
export function asEngineStores(spec: SwarmServiceSpec, observed: ObservedSwarm): SwarmServiceSpec {
  const networkId = new Map(observed.networks.map((n) => [n.name, n.id]));
  const secretId = new Map(observed.secrets.map((s) => [s.name, s.id]));
  const configId = new Map(observed.configs.map((c) => [c.name, c.id]));
  const task = spec.TaskTemplate;
  const c = task.ContainerSpec;
  const image = c.Image.includes('@') ? c.Image : `${c.Image}@sha256:${'ab'.repeat(32)}`;
  return {
    ...spec,
    TaskTemplate: {
      ...task,
      ContainerSpec: {
        ...c,
        Image: image,
        Isolation: c.Isolation ?? 'default',
        ...(c.Secrets
          ? { Secrets: c.Secrets.map((s) => ({ ...s, SecretID: secretId.get(s.SecretName) ?? '?' })) }
          : {}),
        ...(c.Configs
          ? { Configs: c.Configs.map((x) => ({ ...x, ConfigID: configId.get(x.ConfigName) ?? '?' })) }
          : {}),
      },
      ...(task.Networks
        ? { Networks: task.Networks.map((n) => ({ ...n, Target: networkId.get(n.Target) ?? n.Target })) }
        : {}),
      ForceUpdate: task.ForceUpdate ?? 0,
      ...({ Runtime: 'container' } as object),
    },
    EndpointSpec: { Mode: 'vip', ...spec.EndpointSpec },
  };
}

/** What a manager reports once `desired` has been deployed (externals exist too). */
export function convergedSwarm(desired: DesiredSwarm): ObservedSwarm {
  const observed = nothing(desired.project);
  for (const n of desired.networks) {
    observed.networks.push({
      id: id('net', n.name),
      name: n.name,
      labels: n.external ? {} : n.create.Labels,
      driver: 'overlay',
      scope: 'swarm',
    });
  }
  const object = (f: DesiredSwarm['secrets'][number]): ObservedSwarmObject => ({
    id: id(f.kind, f.name),
    name: f.name,
    labels: f.spec.Labels,
    version: 1,
  });
  observed.secrets = desired.secrets.map(object);
  observed.configs = desired.configs.map(object);
  for (const s of desired.services) {
    observed.services.push({
      id: id('svc', s.engineName),
      name: s.engineName,
      version: 10,
      spec: asEngineStores(s.spec, observed),
      labels: s.spec.Labels,
    });
  }
  return observed;
}

/** Applies a plan as a manager would; throws on what the engine refuses (a stale version, a missing id). */
export function applySwarmPlan(before: ObservedSwarm, plan: SwarmPlan): ObservedSwarm {
  const w: ObservedSwarm = structuredClone(before);
  for (const op of plan.operations) {
    switch (op.kind) {
      case 'create-network':
        w.networks.push({
          id: id('net', op.name),
          name: op.name,
          labels: op.body.Labels,
          driver: op.body.Driver,
        });
        break;
      case 'remove-network':
        if (w.services.some((x) => x.spec.TaskTemplate.Networks?.some((n) => n.Target === op.networkId)))
          throw new Error(`network ${op.name} is in use`);
        w.networks = w.networks.filter((n) => n.id !== op.networkId);
        break;
      case 'create-secret':
        w.secrets.push({ id: id('secret', op.name), name: op.name, labels: op.spec.Labels, version: 1 });
        break;
      case 'remove-secret':
        if (
          w.services.some((x) =>
            x.spec.TaskTemplate.ContainerSpec.Secrets?.some((r) => r.SecretID === op.secretId),
          )
        )
          throw new Error(`secret ${op.name} is in use`);
        w.secrets = w.secrets.filter((s) => s.id !== op.secretId);
        break;
      case 'create-config':
        w.configs.push({ id: id('config', op.name), name: op.name, labels: op.spec.Labels, version: 1 });
        break;
      case 'remove-config':
        w.configs = w.configs.filter((c) => c.id !== op.configId);
        break;
      case 'create-service':
        if (w.services.some((s) => s.name === op.name)) throw new Error(`409: service ${op.name} exists`);
        w.services.push({
          id: id('svc', op.name),
          name: op.name,
          version: 1,
          spec: asEngineStores(op.spec, w),
          labels: op.spec.Labels,
        });
        break;
      case 'update-service': {
        const s = w.services.find((x) => x.id === op.serviceId);
        if (!s) throw new Error(`404: service ${op.name}`);
        if (s.version !== op.version) throw new Error(`update out of sequence: ${op.name}`);
        s.spec = asEngineStores(op.spec, w);
        s.labels = op.spec.Labels;
        s.version += 1;
        break;
      }
      case 'remove-service':
        w.services = w.services.filter((s) => s.id !== op.serviceId);
        break;
      case 'wait-service':
      case 'wait-service-gone':
      case 'remove-volume':
        break;
    }
  }
  return w;
}
