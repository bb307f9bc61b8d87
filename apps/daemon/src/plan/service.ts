/**
 * The containers of one service for `up`: group by container number, keep the best of duplicates, then
 * create, replace, rename, start or leave each replica; remove replicas beyond the scale.
 */
import { type DesiredContainer, type DesiredService, type DesiredState, Labels } from '@orc/spec';
import type { ObservedContainer, ObservedProject } from '../observe/types.js';
import { addError, addOp, type Draft } from './draft.js';
import { everStarted } from './hooks.js';
import {
  createContainerId,
  removeContainerId,
  renameContainerId,
  startContainerId,
  stopContainerId,
  waitId,
} from './ids.js';
import { ensureImage } from './images.js';
import { type InfraOutcome, isActive } from './infra.js';
import { recreateReasons } from './recreate.js';
import type { DesiredRunState, OpId, PlanOptions } from './types.js';

export interface UpContext {
  draft: Draft;
  desired: DesiredState;
  observed: ObservedProject;
  options: PlanOptions;
  infra: InfraOutcome;
  recreatedServices: Set<string>;
  outcomes: Map<string, ServiceOutcome>;
  /** The observed containers of each service, one-offs left out: read per service without a scan of all. */
  byService: Map<string, ObservedContainer[]>;
}

/** Observed containers by service (one-offs left out), in the observed order: one pass for the whole plan. */
export function containersByService(observed: ObservedProject): Map<string, ObservedContainer[]> {
  const by = new Map<string, ObservedContainer[]>();
  for (const c of observed.containers) {
    if (c.oneoff) continue;
    const list = by.get(c.service);
    if (list) list.push(c);
    else by.set(c.service, [c]);
  }
  return by;
}

export interface ReplicaOutcome {
  name: string;
  /** Op after which the container runs under its final name; absent = it already does (or stays stopped). */
  ready?: OpId;
  /** Op after which the container exists under its final name; absent = it already does. */
  named?: OpId;
  /** Will not run after this plan (desired stopped, or left exited). */
  idle: boolean;
}

export interface ServiceOutcome {
  service: DesiredService;
  replicas: ReplicaOutcome[];
  /** Ops that start a container of the service: they wait for the service's dependencies. */
  startLike: OpId[];
  recreated: boolean;
  /** Running containers this plan leaves untouched (candidates for `depends_on.restart`). */
  untouched: ObservedContainer[];
}

export function stopSettings(service: DesiredService | undefined, options: { timeoutSeconds?: number }) {
  const settings: { timeoutSeconds: number; signal?: string } = {
    timeoutSeconds: options.timeoutSeconds ?? service?.stop_grace_period ?? 10,
  };
  if (service?.stop_signal) settings.signal = service.stop_signal;
  return settings;
}

/**
 * Stop (when it runs and `stop` is given; null = a stop is already planned) then remove; waits for any
 * disconnect planned for it. Returns the remove op.
 */
export function removeContainer(
  draft: Draft,
  c: ObservedContainer,
  cause: string,
  stop: { timeoutSeconds: number; signal?: string } | null,
  after: OpId[] = [],
  volumes = false,
): OpId {
  const before = [...after];
  if (stop && isActive(c)) {
    before.push(
      addOp(draft, {
        kind: 'stop-container',
        id: stopContainerId(c.name),
        after: [...after],
        cause,
        service: c.service,
        name: c.name,
        containerId: c.id,
        ...stop,
      }).id,
    );
  }
  before.push(...(draft.disconnects.get(c.name) ?? []));
  return addOp(draft, {
    kind: 'remove-container',
    id: removeContainerId(c.name),
    after: before,
    cause,
    service: c.service,
    name: c.name,
    containerId: c.id,
    volumes,
  }).id;
}

interface Replacement {
  dc: DesiredContainer;
  old: ObservedContainer;
  cause: string;
  /** Removals of duplicates that must be gone before the final rename. */
  removals: OpId[];
}

export function planService(ctx: UpContext, service: DesiredService): ServiceOutcome {
  const { draft, observed, options } = ctx;
  const runState: DesiredRunState = options.desiredRunState?.[service.name] ?? 'running';
  const stop = stopSettings(service, options);
  const outcome: ServiceOutcome = { service, replicas: [], startLike: [], recreated: false, untouched: [] };
  const mine = ctx.byService.get(service.name) ?? [];
  const wanted = new Set(service.containers.map((dc) => dc.number));
  const highest = Math.max(0, ...mine.map((c) => c.number));

  // Scale down: the highest numbers go (desired numbers are 1..replicas).
  for (const c of mine) if (!wanted.has(c.number)) removeContainer(draft, c, 'scale down', stop);

  const replacements: Replacement[] = [];
  for (const dc of service.containers) {
    const group = mine.filter((c) => c.number === dc.number);
    const foreign = observed.foreign.containersByName[dc.name];
    if (foreign && !group.some((c) => c.name === dc.name)) {
      addError(
        draft,
        'NAME_CONFLICT',
        `container name ${dc.name} is already used by container ${foreign.id.slice(0, 12)}${foreign.project ? ` of project ${foreign.project}` : ''}, which orc does not manage; remove or rename that container, or change container_name`,
      );
      continue;
    }
    if (group.length === 0) {
      const cause = mine.length > 0 && dc.number > highest ? 'scale up' : 'missing';
      outcome.replicas.push(createFresh(ctx, service, dc, cause, runState, outcome));
      continue;
    }
    const ranked = group
      .map((c) => ({ c, reasons: recreateReasons(ctx, service, c) }))
      .sort((a, b) => rank(a, dc) - rank(b, dc) || b.c.created.localeCompare(a.c.created));
    const best = ranked[0]!;
    const removals = ranked
      .slice(1)
      .map(({ c }) =>
        removeContainer(
          draft,
          c,
          best.c.replaces === c.id
            ? `replaced by ${best.c.name} (finishing an interrupted replace)`
            : `duplicate of ${dc.name}`,
          stop,
        ),
      );
    if (best.reasons.length > 0) {
      replacements.push({ dc, old: best.c, cause: best.reasons.join('; '), removals });
      continue;
    }
    outcome.replicas.push(keep(ctx, service, dc, best.c, removals, runState, outcome));
  }
  planReplacements(ctx, service, replacements, runState, outcome);
  return outcome;
}

/** Lower is better: up to date, running, already under its final name. */
function rank(entry: { c: ObservedContainer; reasons: string[] }, dc: DesiredContainer): number {
  return (
    (entry.reasons.length > 0 ? 4 : 0) +
    (entry.c.state === 'running' ? 0 : 2) +
    (entry.c.name === dc.name ? 0 : 1)
  );
}

/** What a new container waits for before it is created: image, networks, volumes, shared namespaces. */
function createAfter(ctx: UpContext, service: DesiredService, dc: DesiredContainer): OpId[] {
  const after: OpId[] = [];
  const image = ensureImage(ctx.draft, service, ctx.observed, ctx.options);
  if (image) after.push(image);
  for (const endpoint of dc.endpoints) after.push(...(ctx.infra.networkReady.get(endpoint.name) ?? []));
  for (const key of service.volumes) {
    const volume = ctx.desired.volumes.find((v) => v.key === key);
    const op = volume && ctx.infra.volumeReady.get(volume.name);
    if (op) after.push(op);
  }
  for (const dep of service.uses) {
    for (const replica of ctx.outcomes.get(dep)?.replicas ?? []) if (replica.named) after.push(replica.named);
  }
  return after;
}

/** The image id observe read, for the create's label (`finishPlan` drops it when the plan pulls or builds). */
function observedImage(ctx: UpContext, service: DesiredService): { imageId?: string } {
  const id = ctx.observed.images[service.image];
  return id ? { imageId: id } : {};
}

function createFresh(
  ctx: UpContext,
  service: DesiredService,
  dc: DesiredContainer,
  cause: string,
  runState: DesiredRunState,
  outcome: ServiceOutcome,
): ReplicaOutcome {
  const create = addOp(ctx.draft, {
    kind: 'create-container',
    id: createContainerId(dc.name),
    after: createAfter(ctx, service, dc),
    ...observedImage(ctx, service),
    cause,
    service: service.name,
    name: dc.name,
    createAs: dc.name,
    number: dc.number,
    body: dc.create,
    endpoints: dc.endpoints,
    ...(dc.files ? { files: dc.files } : {}),
  });
  if (runState === 'stopped' || ctx.options.noStart) return { name: dc.name, named: create.id, idle: true };
  const start = startOp(ctx, service, dc.name, [create.id], 'created', runState, outcome);
  return { name: dc.name, named: create.id, ready: start, idle: false };
}

/** Start (and pause, when asked); returns the last op. */
function startOp(
  ctx: UpContext,
  service: DesiredService,
  name: string,
  after: OpId[],
  cause: string,
  runState: DesiredRunState,
  outcome: ServiceOutcome,
): OpId {
  const start = addOp(ctx.draft, {
    kind: 'start-container',
    id: startContainerId(name),
    after,
    cause,
    service: service.name,
    name,
  });
  outcome.startLike.push(start.id);
  if (runState !== 'paused') return start.id;
  return pauseOp(ctx.draft, service.name, name, start.id, 'desired paused');
}

function pauseOp(draft: Draft, service: string, name: string, after: OpId | undefined, cause: string) {
  return addOp(draft, {
    kind: 'pause-container',
    id: `pause-container:${name}`,
    after: after ? [after] : [],
    cause,
    service,
    name,
    containerId: name,
  }).id;
}

/** An up-to-date container: rename it if a replace was interrupted, then bring it to the run state. */
function keep(
  ctx: UpContext,
  service: DesiredService,
  dc: DesiredContainer,
  c: ObservedContainer,
  removals: OpId[],
  runState: DesiredRunState,
  outcome: ServiceOutcome,
): ReplicaOutcome {
  const { draft, options } = ctx;
  let named: OpId | undefined;
  if (c.name !== dc.name) {
    named = addOp(draft, {
      kind: 'rename-container',
      id: renameContainerId(c.name),
      after: removals,
      cause: c.replaces ? 'finish interrupted replace' : 'name differs',
      service: service.name,
      from: c.name,
      to: dc.name,
    }).id;
  }
  const stoppedEarly = ctx.infra.stoppedForNetwork.get(c.name);
  const state = stoppedEarly ? 'exited' : c.state;
  const startable =
    !options.noStart &&
    ((state === 'created' && !(options.startExited === false && leftCreated(ctx, service))) ||
      (state === 'exited' && options.startExited !== false && !options.leaveExited?.has(c.id)));
  const base = { name: dc.name, ...(named ? { named } : {}) };
  const after = named ? [named] : [];
  // Stopped and disconnected because a network goes away: starting it again must come after that.
  if (stoppedEarly) after.push(stoppedEarly, ...(draft.disconnects.get(c.name) ?? []));
  if (runState === 'stopped') {
    if (isActive(c) && !stoppedEarly) {
      addOp(draft, {
        kind: 'stop-container',
        id: stopContainerId(c.name),
        after: [],
        cause: 'desired stopped',
        service: service.name,
        name: c.name,
        containerId: c.id,
        ...stopSettings(service, options),
      });
    }
    return { ...base, idle: true };
  }
  if (state === 'paused' && runState === 'running' && !options.noStart) {
    const op = addOp(draft, {
      kind: 'unpause-container',
      id: `unpause-container:${dc.name}`,
      after,
      cause: 'paused',
      service: service.name,
      name: dc.name,
      containerId: c.id,
    });
    outcome.startLike.push(op.id);
    return { ...base, ready: op.id, idle: false };
  }
  if (state === 'running' && runState === 'paused') {
    return { ...base, ready: pauseOp(draft, service.name, dc.name, named, 'desired paused'), idle: false };
  }
  if (startable) {
    const cause = state === 'created' ? 'created, not started' : `${state} (code ${c.exitCode})`;
    return { ...base, ready: startOp(ctx, service, dc.name, after, cause, runState, outcome), idle: false };
  }
  if (!named && state === 'running') outcome.untouched.push(c);
  const idle = state !== 'running' && state !== 'paused' && state !== 'restarting';
  return { ...base, ...(named ? { ready: named } : {}), idle };
}

/**
 * A supervisor pass leaves a never-run container alone when what must come before its first start is
 * the user's business: pre_start steps that failed, or a provider service it depends on (providers run
 * on the user's `up` only) while no container of the service ever ran.
 */
function leftCreated(ctx: UpContext, service: DesiredService): boolean {
  if (preStartFailed(ctx.observed, service)) return true;
  const providers = Object.keys(service.depends_on).filter(
    (dep) => ctx.desired.services.find((s) => s.name === dep)?.provider,
  );
  return providers.length > 0 && !(ctx.byService.get(service.name) ?? []).some(everStarted);
}

/**
 * The service's pre_start steps (as defined now) failed and their container was kept: the supervisor's
 * passes do not retry them on their own (each retry would run the user's steps again, on a loop); the
 * user's next `up` or `start` does.
 */
function preStartFailed(observed: ObservedProject, service: DesiredService): boolean {
  const hash = service.hooks?.pre_start_hash;
  return (
    hash !== undefined &&
    observed.containers.some(
      (c) =>
        c.service === service.name &&
        c.labels[Labels.orcHook] === 'pre_start' &&
        c.labels[Labels.orcPreStart] === hash &&
        c.state === 'exited' &&
        c.exitCode !== 0,
    )
  );
}

function startFirstWanted(ctx: UpContext, service: DesiredService): boolean {
  // Start-first means starting the new container before the old one goes: nothing starts under --no-start.
  if (ctx.options.noStart) return false;
  if (ctx.options.startFirst !== undefined) return ctx.options.startFirst;
  return service.update_config?.order === 'start-first';
}

/** Replace: new container under a temporary name, then the old one stopped, removed, and the new renamed. */
function planReplacements(
  ctx: UpContext,
  service: DesiredService,
  replacements: Replacement[],
  runState: DesiredRunState,
  outcome: ServiceOutcome,
): void {
  if (replacements.length === 0) return;
  outcome.recreated = true;
  ctx.recreatedServices.add(service.name);
  let startFirst = startFirstWanted(ctx, service);
  if (startFirst && service.fixed_host_ports.length > 0) {
    addError(
      ctx.draft,
      'START_FIRST_FIXED_PORTS',
      `service ${service.name} cannot be updated start-first: it publishes fixed host ports (${service.fixed_host_ports.join(', ')}) that the old and new containers cannot hold at once; use update_config.order: stop-first or let the engine pick the host ports`,
    );
    startFirst = false;
  }
  // update_config.parallelism: replicas are replaced in groups; a group starts once the previous one is ready.
  const size =
    service.update_config && service.update_config.parallelism > 0
      ? service.update_config.parallelism
      : replacements.length;
  let gate: OpId[] = [];
  for (let i = 0; i < replacements.length; i += size) {
    const group = replacements
      .slice(i, i + size)
      .map((r) => replace(ctx, service, r, gate, runState, startFirst));
    outcome.replicas.push(...group.map((g) => g.replica));
    for (const g of group) outcome.startLike.push(...g.startLike);
    gate = group.map((g) => g.replica.ready ?? g.replica.named).filter((id): id is OpId => id !== undefined);
  }
}

function replace(
  ctx: UpContext,
  service: DesiredService,
  r: Replacement,
  gate: OpId[],
  runState: DesiredRunState,
  startFirst: boolean,
): { replica: ReplicaOutcome; startLike: OpId[] } {
  const { draft } = ctx;
  const { dc, old, cause } = r;
  const temporary = `${old.id.slice(0, 12)}_${dc.name}`;
  const create = addOp(draft, {
    kind: 'create-container',
    id: createContainerId(dc.name),
    after: [...createAfter(ctx, service, dc), ...(startFirst ? gate : [])],
    ...observedImage(ctx, service),
    cause,
    service: service.name,
    name: dc.name,
    createAs: temporary,
    number: dc.number,
    body: dc.create,
    endpoints: dc.endpoints,
    ...(dc.files ? { files: dc.files } : {}),
    replaces: old.id,
    ...(startFirst && runState !== 'stopped' ? { aliasesAfterGate: true } : {}),
  });
  const startLike: OpId[] = [];
  let oldMayStop: OpId[] = [create.id, ...gate];
  if (startFirst && runState !== 'stopped') {
    const start = addOp(draft, {
      kind: 'start-container',
      id: startContainerId(temporary),
      after: [create.id],
      cause: 'start-first update',
      service: service.name,
      name: temporary,
    });
    startLike.push(start.id);
    const wait = addOp(draft, {
      kind: 'wait-container',
      id: waitId(temporary, service.has_healthcheck ? 'healthy' : 'running', true),
      after: [start.id],
      cause: 'start-first update',
      service: service.name,
      name: temporary,
      until: service.has_healthcheck ? 'healthy' : 'running',
      required: true,
      gate: {
        old: old.name,
        endpoints: dc.endpoints,
        delayMs: service.update_config?.delay_ms ?? 0,
        failureAction: service.update_config?.failure_action ?? 'pause',
      },
    });
    oldMayStop = [wait.id];
  }
  const settings = stopSettings(service, ctx.options);
  // Stopped already because its network is recreated: that stop must not wait for the new container.
  const earlyStop = ctx.infra.stoppedForNetwork.get(old.name);
  const removeAfter: OpId[] = [create.id, ...oldMayStop];
  if (earlyStop) removeAfter.push(earlyStop);
  else if (isActive(old)) {
    removeAfter.push(
      addOp(draft, {
        kind: 'stop-container',
        id: stopContainerId(old.name),
        after: oldMayStop,
        cause: `replaced by ${dc.name}`,
        service: service.name,
        name: old.name,
        containerId: old.id,
        ...settings,
      }).id,
    );
  }
  const removed = removeContainer(draft, old, `replaced by ${dc.name}`, null, removeAfter);
  const rename = addOp(draft, {
    kind: 'rename-container',
    id: renameContainerId(temporary),
    after: [removed, ...r.removals],
    cause: `replaces ${old.id.slice(0, 12)}`,
    service: service.name,
    from: temporary,
    to: dc.name,
  });
  if (startFirst && runState !== 'stopped') {
    const last =
      runState === 'paused' ? pauseOp(draft, service.name, dc.name, rename.id, 'desired paused') : rename.id;
    return { replica: { name: dc.name, named: rename.id, ready: last, idle: false }, startLike };
  }
  if (runState === 'stopped' || ctx.options.noStart)
    return { replica: { name: dc.name, named: rename.id, idle: true }, startLike };
  const start = addOp(draft, {
    kind: 'start-container',
    id: startContainerId(dc.name),
    after: [rename.id],
    cause: 'recreated',
    service: service.name,
    name: dc.name,
  });
  startLike.push(start.id);
  const last =
    runState === 'paused' ? pauseOp(draft, service.name, dc.name, start.id, 'desired paused') : start.id;
  return { replica: { name: dc.name, named: rename.id, ready: last, idle: false }, startLike };
}
