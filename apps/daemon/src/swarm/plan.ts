/**
 * The Swarm target's planner: `planSwarm(desired, observed, options) → SwarmPlan`, a pure function.
 * Swarm schedules tasks; orc decides which objects to create, update or remove, in which order, and why:
 * networks, secrets and configs before the services that use them, a service after the services it
 * `depends_on` have converged (which `docker stack deploy` never waits for), old secret and config
 * versions after the services have moved off them. A converged project plans zero operations.
 */
import { type DesiredDependency, SwarmLabels, withSwarmImage } from '@orc/spec';
import { composeFields, specDiff } from './diff.js';
import type {
  DesiredSwarm,
  DesiredSwarmService,
  ObservedSwarm,
  ObservedSwarmObject,
  ObservedSwarmService,
  SwarmModeBody,
  SwarmOperation,
  SwarmOpId,
  SwarmPlan,
  SwarmPlanOptions,
  SwarmServiceSpec,
} from './types.js';

type WaitUntil = 'running' | 'healthy' | 'completed';

export function planSwarm(
  desired: DesiredSwarm,
  observed: ObservedSwarm,
  options: SwarmPlanOptions = {},
): SwarmPlan {
  const plan: SwarmPlan = { project: desired.project, operations: [], warnings: [], problems: [] };
  const services = desired.services.map((s) => {
    const image = options.images?.[s.name];
    return image ? withSwarmImage(s, image) : s;
  });
  const byName = new Map(services.map((s) => [s.name, s]));
  const selected = selection(services, options, plan);
  const chosen = services.filter((s) => selected.has(s.name));
  const observedByName = new Map(observed.services.map((o) => [o.name, o]));

  const created = new Map<string, SwarmOpId>(); // engine name of a network/secret/config → its create op
  planNetworks(desired, observed, chosen, plan, created);
  planFiles('secret', desired, observed.secrets, chosen, plan, created);
  planFiles('config', desired, observed.configs, chosen, plan, created);

  const serviceOps = new Map<string, SwarmOpId>(); // compose name → the op that converges it
  const waits = new Map<string, SwarmOperation & { kind: 'wait-service' }>();
  const ensureWait = (
    name: string,
    until: WaitUntil,
    required: boolean,
    cause: string,
  ): SwarmOpId | undefined => {
    const service = byName.get(name);
    if (!service) return undefined;
    if (!serviceOps.has(name) && !observedByName.has(service.engineName)) {
      plan.warnings.push(`service ${name} is not deployed and not part of this plan: nothing waits for it`);
      return undefined;
    }
    const id = `wait-service:${service.engineName}:${until}`;
    const existing = waits.get(id);
    if (existing) {
      existing.required ||= required;
      return id;
    }
    const op: SwarmOperation & { kind: 'wait-service' } = {
      kind: 'wait-service',
      id,
      after: serviceOps.has(name) ? [serviceOps.get(name) as SwarmOpId] : [],
      cause,
      service: name,
      name: service.engineName,
      until,
      required,
    };
    waits.set(id, op);
    plan.operations.push(op);
    return id;
  };

  const finalSpecs = new Map<string, SwarmServiceSpec | undefined>(); // engine name → spec after the plan
  for (const service of chosen) {
    const current = observedByName.get(service.engineName);
    if (current?.updateState === 'paused' || current?.updateState === 'rollback_paused') {
      plan.warnings.push(
        `the last update of ${service.engineName} is ${current.updateState.replace('_', ' ')}${current.updateMessage ? `: ${current.updateMessage}` : ''}`,
      );
    }
    const step = serviceStep(service, current, observed, options);
    if (!step) continue;
    const after = [
      ...service.networks.flatMap((n) => idOf(created, n)),
      ...service.secrets.flatMap((n) => idOf(created, n)),
      ...service.configs.flatMap((n) => idOf(created, n)),
    ];
    for (const [dep, d] of Object.entries(service.depends_on)) {
      const id = ensureWait(dep, untilOf(d, byName.get(dep)), d.required, `${service.name} depends on it`);
      if (id) after.push(id);
    }
    if (step.kind === 'recreate' && current) {
      const removeId = `remove-service:${service.engineName}`;
      plan.operations.push({
        kind: 'remove-service',
        id: removeId,
        after: [],
        cause: step.cause,
        service: service.name,
        name: service.engineName,
        serviceId: current.id,
      });
      after.push(removeId);
    }
    const id =
      step.kind === 'update'
        ? `update-service:${service.engineName}`
        : `create-service:${service.engineName}`;
    if (step.kind === 'update' && current) {
      plan.operations.push({
        kind: 'update-service',
        id,
        after,
        cause: step.cause,
        service: service.name,
        name: service.engineName,
        serviceId: current.id,
        version: current.version,
        spec: step.spec,
        changed: step.changed,
      });
    } else {
      plan.operations.push({
        kind: 'create-service',
        id,
        after,
        cause: step.cause,
        service: service.name,
        name: service.engineName,
        spec: step.spec,
      });
    }
    serviceOps.set(service.name, id);
    finalSpecs.set(service.engineName, step.spec);
  }

  if (options.wait) {
    for (const service of chosen) {
      const until: WaitUntil = service.mode.endsWith('-job')
        ? 'completed'
        : service.has_healthcheck
          ? 'healthy'
          : 'running';
      ensureWait(service.name, until, true, 'up --wait');
    }
  }

  const engineNames = new Set(services.map((s) => s.engineName));
  const disabled = new Set(options.disabledServices ?? []);
  for (const current of observed.services) {
    if (engineNames.has(current.name)) continue;
    const compose = current.labels[SwarmLabels.orcService] ?? current.name;
    if (disabled.has(compose)) continue;
    if (!options.removeOrphans) {
      plan.warnings.push(
        `service ${current.name} is not in the project's files (orphan); --remove-orphans removes it`,
      );
      continue;
    }
    plan.operations.push({
      kind: 'remove-service',
      id: `remove-service:${current.name}`,
      after: [],
      cause: 'orphan',
      service: compose,
      name: current.name,
      serviceId: current.id,
    });
    finalSpecs.set(current.name, undefined);
  }

  const serviceSteps = plan.operations
    .filter(
      (op) => op.kind === 'create-service' || op.kind === 'update-service' || op.kind === 'remove-service',
    )
    .map((op) => op.id);
  for (const kind of ['secret', 'config'] as const) {
    removeOldFiles(kind, desired, observed, finalSpecs, serviceSteps, plan);
  }
  return plan;
}

/** The compose services a plan with these options converges (the named ones and, unless `noDeps`, their dependencies). */
export function selectedServices(desired: DesiredSwarm, options: SwarmPlanOptions = {}): Set<string> {
  return selection(desired.services, options, {
    project: desired.project,
    operations: [],
    warnings: [],
    problems: [],
  });
}

function selection(services: DesiredSwarmService[], options: SwarmPlanOptions, plan: SwarmPlan): Set<string> {
  const known = new Map(services.map((s) => [s.name, s]));
  if (!options.services) return new Set(known.keys());
  const out = new Set<string>();
  const add = (name: string, direct: boolean) => {
    if (out.has(name)) return;
    const service = known.get(name);
    if (!service) {
      if (direct) plan.problems.push({ code: 'UNKNOWN_SERVICE', message: `no such service: ${name}` });
      return;
    }
    out.add(name);
    if (!options.noDeps) for (const dep of Object.keys(service.depends_on)) add(dep, false);
  };
  for (const name of options.services) add(name, true);
  return out;
}

function untilOf(dep: DesiredDependency, service: DesiredSwarmService | undefined): WaitUntil {
  if (dep.condition === 'service_healthy') return 'healthy';
  if (dep.condition === 'service_completed_successfully') {
    return service?.mode.endsWith('-job') ? 'completed' : 'running';
  }
  return 'running';
}

function idOf(created: Map<string, SwarmOpId>, name: string): SwarmOpId[] {
  const id = created.get(name);
  return id ? [id] : [];
}

function planNetworks(
  desired: DesiredSwarm,
  observed: ObservedSwarm,
  chosen: DesiredSwarmService[],
  plan: SwarmPlan,
  created: Map<string, SwarmOpId>,
): void {
  const used = new Set(chosen.flatMap((s) => s.networks));
  for (const network of desired.networks) {
    if (!used.has(network.name)) continue;
    const found = observed.networks.filter((n) => n.name === network.name);
    if (network.external) {
      if (found.length === 0) {
        plan.problems.push({
          code: 'EXTERNAL_NETWORK_MISSING',
          message: `external network ${network.name} does not exist on the swarm`,
        });
      }
      continue;
    }
    const ours = found.find((n) => n.labels[SwarmLabels.namespace] === desired.project);
    if (!ours && found.length > 0) {
      plan.problems.push({
        code: 'NAME_CONFLICT',
        message: `network ${network.name} exists and is not this project's (no ${SwarmLabels.namespace}=${desired.project} label)`,
      });
      continue;
    }
    if (ours) {
      const hash = ours.labels[SwarmLabels.orcConfigHash];
      if (hash !== undefined && hash !== network.hash) {
        plan.warnings.push(
          `network ${network.name} differs from the files; Swarm cannot change a network in place: \`orc down\` and \`up\` recreate it`,
        );
      }
      continue;
    }
    const id = `create-network:${network.name}`;
    plan.operations.push({
      kind: 'create-network',
      id,
      after: [],
      cause: 'missing',
      name: network.name,
      key: network.key,
      body: network.create,
    });
    created.set(network.name, id);
  }
}

function planFiles(
  kind: 'secret' | 'config',
  desired: DesiredSwarm,
  observed: ObservedSwarmObject[],
  chosen: DesiredSwarmService[],
  plan: SwarmPlan,
  created: Map<string, SwarmOpId>,
): void {
  const used = new Set(chosen.flatMap((s) => (kind === 'secret' ? s.secrets : s.configs)));
  const files = kind === 'secret' ? desired.secrets : desired.configs;
  const existing = new Set(observed.map((o) => o.name));
  for (const file of files) {
    if (!used.has(file.name) || existing.has(file.name)) continue;
    if (file.external || !file.data) {
      plan.problems.push({
        code: kind === 'secret' ? 'EXTERNAL_SECRET_MISSING' : 'EXTERNAL_CONFIG_MISSING',
        message: `external ${kind} ${file.name} does not exist on the swarm`,
      });
      continue;
    }
    const previous = observed.some((o) => o.labels[SwarmLabels.orcKey] === file.key);
    const id = `create-${kind}:${file.name}`;
    const base = {
      id,
      after: [],
      cause: previous ? 'value changed (new version)' : 'missing',
      name: file.name,
      key: file.key,
      spec: file.spec,
      data: file.data,
    };
    plan.operations.push(
      kind === 'secret' ? { kind: 'create-secret', ...base } : { kind: 'create-config', ...base },
    );
    created.set(file.name, id);
  }
}

type Step =
  | { kind: 'create'; spec: SwarmServiceSpec; cause: string }
  | { kind: 'recreate'; spec: SwarmServiceSpec; cause: string }
  | { kind: 'update'; spec: SwarmServiceSpec; cause: string; changed: string[] };

function serviceStep(
  service: DesiredSwarmService,
  current: ObservedSwarmService | undefined,
  observed: ObservedSwarm,
  options: SwarmPlanOptions,
): Step | undefined {
  if (!current) return { kind: 'create', spec: service.spec, cause: 'missing' };
  const from = modeName(current.spec.Mode);
  const to = modeName(service.spec.Mode);
  if (from !== to) {
    return {
      kind: 'recreate',
      spec: service.spec,
      cause: `mode changes from ${from} to ${to} (Swarm cannot update a mode: removed and created)`,
    };
  }
  const changed = specDiff(service.spec, current.spec, observed.networks);
  const hashDiffers = current.labels[SwarmLabels.orcConfigHash] !== service.hash;
  if (!changed.length && !hashDiffers && !options.forceUpdate) return undefined;
  const force = (current.spec.TaskTemplate?.ForceUpdate ?? 0) + (options.forceUpdate ? 1 : 0);
  const spec: SwarmServiceSpec = force
    ? { ...service.spec, TaskTemplate: { ...service.spec.TaskTemplate, ForceUpdate: force } }
    : service.spec;
  // The hash leaves digests out: a new digest of the same tag is a change of the files' side too.
  const pinned = options.images?.[service.name];
  const observedImage = current.spec.TaskTemplate?.ContainerSpec?.Image ?? '';
  const newDigest =
    pinned !== undefined &&
    changed.includes('ContainerSpec.Image') &&
    withoutDigest(pinned) === withoutDigest(observedImage);
  const rest = newDigest ? changed.filter((c) => c !== 'ContainerSpec.Image') : changed;
  let cause: string;
  if (changed.length) {
    const parts = newDigest
      ? [digestCause(observedImage, pinned, options.unpushed?.includes(service.name) ?? false)]
      : [];
    if (rest.length) {
      parts.push(
        `${hashDiffers || newDigest ? 'config differs' : 'changed on the cluster'}: ${composeFields(rest).join(', ')}`,
      );
    }
    cause = parts.join('; ');
  } else if (hashDiffers) {
    cause =
      current.labels[SwarmLabels.orcConfigHash] === undefined ? 'not made by orc' : 'config hash differs';
  } else {
    cause = 'forced (--force-recreate)';
  }
  return { kind: 'update', spec, cause, changed };
}

function withoutDigest(image: string): string {
  const at = image.indexOf('@');
  return at < 0 ? image : image.slice(0, at);
}

/** `image digest changed (sha256:0a1b2c3d4e5f → sha256:…)`: why a rebuilt image rolls the service. */
function digestCause(from: string, to: string, unpushed: boolean): string {
  const digest = (image: string) => {
    const at = image.indexOf('@');
    return at < 0 ? undefined : image.slice(at + 1, at + 1 + 'sha256:'.length + 12);
  };
  const was = digest(from) ?? 'not pinned';
  const built = digest(to) ?? to;
  const now = unpushed ? `a new build (image ${built}), pushed by up` : built;
  return `image digest changed (${was} → ${now})`;
}

function modeName(mode: SwarmModeBody | undefined): string {
  if (!mode) return 'replicated';
  if ('Global' in mode) return 'global';
  if ('ReplicatedJob' in mode) return 'replicated-job';
  if ('GlobalJob' in mode) return 'global-job';
  return 'replicated';
}

/**
 * Secrets and configs of the project no service uses once the plan has run (old versions, keys the
 * files dropped): removed after every service step, so no task is left pointing at one.
 */
function removeOldFiles(
  kind: 'secret' | 'config',
  desired: DesiredSwarm,
  observed: ObservedSwarm,
  finalSpecs: Map<string, SwarmServiceSpec | undefined>,
  serviceSteps: SwarmOpId[],
  plan: SwarmPlan,
): void {
  const wanted = new Set((kind === 'secret' ? desired.secrets : desired.configs).map((f) => f.name));
  const keys = new Set((kind === 'secret' ? desired.secrets : desired.configs).map((f) => f.key));
  const inUse = new Set<string>();
  for (const current of observed.services) {
    const spec = finalSpecs.has(current.name) ? finalSpecs.get(current.name) : current.spec;
    for (const name of referencedFiles(kind, spec)) inUse.add(name);
  }
  for (const spec of finalSpecs.values()) for (const name of referencedFiles(kind, spec)) inUse.add(name);
  for (const object of kind === 'secret' ? observed.secrets : observed.configs) {
    if (wanted.has(object.name) || inUse.has(object.name)) continue;
    if (object.labels[SwarmLabels.namespace] !== desired.project) continue;
    const key = object.labels[SwarmLabels.orcKey];
    const base = {
      id: `remove-${kind}:${object.name}`,
      after: serviceSteps,
      cause: key !== undefined && keys.has(key) ? `old version of ${key}` : 'unused',
      name: object.name,
    };
    plan.operations.push(
      kind === 'secret'
        ? { kind: 'remove-secret', ...base, secretId: object.id }
        : { kind: 'remove-config', ...base, configId: object.id },
    );
  }
}

function referencedFiles(kind: 'secret' | 'config', spec: SwarmServiceSpec | undefined): string[] {
  const container = spec?.TaskTemplate?.ContainerSpec;
  if (!container) return [];
  return kind === 'secret'
    ? (container.Secrets ?? []).map((s) => s.SecretName)
    : (container.Configs ?? []).map((c) => c.ConfigName);
}
