/** `plan()`: what `up` (and the supervisor's convergence pass) must do to reach the desired state. */
import type { DesiredService, DesiredState } from '@orc/spec';
import type { ObservedContainer, ObservedProject } from '../observe/types.js';
import { addAfter, addError, addOp, addWarning, type Draft, finishPlan, newDraft } from './draft.js';
import { addHooks } from './hooks.js';
import { waitId } from './ids.js';
import { ensureImage } from './images.js';
import { planInfrastructure } from './infra.js';
import { orderNameReuse } from './names.js';
import {
  containersByService,
  planService,
  removeContainer,
  type ServiceOutcome,
  stopSettings,
  type UpContext,
} from './service.js';
import { dependenciesOf, selectServices } from './services.js';
import type { Plan, PlanOptions } from './types.js';

const UNTIL = {
  service_started: 'running',
  service_healthy: 'healthy',
  service_completed_successfully: 'exited-0',
} as const;

export function plan(desired: DesiredState, observed: ObservedProject, options: PlanOptions = {}): Plan {
  const draft = newDraft(desired.project);
  const byName = new Map(desired.services.map((s) => [s.name, s]));
  if (options.forceRecreate && options.noRecreate)
    addError(
      draft,
      'INCOMPATIBLE_OPTIONS',
      '--force-recreate and --no-recreate are incompatible; use one of them',
    );
  if (options.alwaysRecreateDeps && options.noRecreate)
    addError(
      draft,
      'INCOMPATIBLE_OPTIONS',
      '--always-recreate-deps and --no-recreate are incompatible; use one of them',
    );
  const selected = selectServices(desired, options.services, options.noDeps ?? false, draft);
  const infra = planInfrastructure(draft, desired, observed, options, (c) =>
    stopSettings(byName.get(c.service), options),
  );
  // Containers on a network that is recreated must be recreated too, whichever services were named.
  for (const c of observed.containers) {
    if (infra.stoppedForNetwork.has(c.name) && byName.has(c.service)) selected.add(c.service);
  }
  const ctx: UpContext = {
    draft,
    desired,
    observed,
    options,
    infra,
    recreatedServices: new Set(),
    outcomes: new Map(),
    byService: containersByService(observed),
  };
  const providers = new Map<string, string>();
  for (const service of dependencyOrder(desired.services)) {
    if (!selected.has(service.name)) continue;
    if (service.provider) {
      // The user's up runs the provider (as compose does, every time: the provider is idempotent, and
      // only it knows what it made); the supervisor's passes never do.
      if (options.startExited !== false && !options.noStart)
        providers.set(service.name, providerOp(draft, service, 'up').id);
      continue;
    }
    if (options.build || options.pull === 'always' || options.pull === 'policy')
      ensureImage(draft, service, observed, options, false);
    ctx.outcomes.set(service.name, planService(ctx, service));
  }
  for (const outcome of ctx.outcomes.values()) {
    if (!options.noStart) restartDependents(ctx, outcome);
    waitForDependencies(ctx, outcome);
    waitForProviders(ctx, outcome, providers);
  }
  planOrphans(draft, desired, observed, options);
  orderNameReuse(draft, observed);
  addHooks(draft, desired, observed, options);
  return finishPlan(draft);
}

/** Dependencies first, ties by the order given (the spec already sorts; this keeps the planner safe alone). */
export function dependencyOrder(services: DesiredService[]): DesiredService[] {
  const byName = new Map(services.map((s) => [s.name, s]));
  const done = new Set<string>();
  const order: DesiredService[] = [];
  const visit = (s: DesiredService, path: Set<string>) => {
    if (done.has(s.name) || path.has(s.name)) return;
    path.add(s.name);
    for (const dep of dependenciesOf(s)) {
      const d = byName.get(dep);
      if (d) visit(d, path);
    }
    done.add(s.name);
    order.push(s);
  };
  for (const s of services) visit(s, new Set());
  return order;
}

/** Starting ops of a service wait for each dependency's replicas to be running / healthy / exited 0. */
function waitForDependencies(ctx: UpContext, outcome: ServiceOutcome): void {
  if (outcome.startLike.length === 0) return;
  for (const [dep, dependency] of Object.entries(outcome.service.depends_on)) {
    const target = ctx.outcomes.get(dep);
    if (!target) continue;
    const until = UNTIL[dependency.condition];
    const depState = ctx.options.desiredRunState?.[dep] ?? 'running';
    // A dependency the user keeps paused or stopped would never come up: waiting for it would only hang.
    if (depState === 'paused') continue;
    for (const replica of target.replicas) {
      if (replica.idle && until !== 'exited-0') continue;
      const wait = addOp(ctx.draft, {
        kind: 'wait-container',
        id: waitId(replica.name, until, dependency.required),
        // A replica that stays stopped has no `ready`, but may still be created (or renamed) by this plan:
        // its wait must come after that, or it looks for a container that does not exist yet.
        after: replica.ready ? [replica.ready] : replica.named ? [replica.named] : [],
        cause: `${outcome.service.name} depends on ${dep} (${dependency.condition})`,
        service: dep,
        name: replica.name,
        until,
        required: dependency.required,
      });
      for (const id of outcome.startLike) {
        const op = ctx.draft.ops.get(id);
        if (op) addAfter(op, wait.id);
      }
    }
  }
}

/** A provider service is ready once its provider's `up` succeeded: dependents start after that. */
function waitForProviders(ctx: UpContext, outcome: ServiceOutcome, providers: Map<string, string>): void {
  for (const dep of Object.keys(outcome.service.depends_on)) {
    const id = providers.get(dep);
    if (!id) continue;
    for (const start of outcome.startLike) {
      const op = ctx.draft.ops.get(start);
      if (op) addAfter(op, id);
    }
  }
}

export function providerOp(draft: Draft, service: DesiredService, command: 'up' | 'down') {
  const provider = service.provider as NonNullable<DesiredService['provider']>;
  return addOp(draft, {
    kind: 'run-provider',
    id: `run-provider:${command}:${service.name}`,
    after: [],
    cause: command === 'up' ? 'provider service' : 'down',
    service: service.name,
    name: service.name,
    command,
    provider,
  });
}

/**
 * `depends_on: {restart: true}`: running dependents are restarted once a recreated dependency is back, and
 * (supervisor passes) once a dependency that started after them, or starts again now, is ready again.
 */
function restartDependents(ctx: UpContext, outcome: ServiceOutcome): void {
  const restartDeps = Object.entries(outcome.service.depends_on).filter(([, d]) => d.restart);
  const recreated = restartDeps.filter(([dep]) => ctx.outcomes.get(dep)?.recreated).map(([dep]) => dep);
  const settings = stopSettings(outcome.service, ctx.options);
  const mode = ctx.options.restoreDependencyOrder;
  for (const c of outcome.untouched) {
    let cause: string | undefined;
    if (recreated.length > 0) cause = `dependency recreated: ${recreated.join(', ')}`;
    else if (mode) {
      const late = restartDeps
        .map(([dep]) => [dep, lateDependency(ctx, dep, c, mode)] as const)
        .filter((x): x is readonly [string, string] => x[1] !== undefined);
      if (late.length > 0) cause = late.map(([dep, why]) => `dependency ${dep} ${why}`).join('; ');
    }
    if (!cause) continue;
    const op = addOp(ctx.draft, {
      kind: 'restart-container',
      id: `restart-container:${c.name}`,
      after: [],
      cause,
      service: c.service,
      name: c.name,
      containerId: c.id,
      timeoutSeconds: settings.timeoutSeconds,
    });
    outcome.startLike.push(op.id);
    // Its own dependents wait for the restarted container, not the one running before the restart.
    const replica = outcome.replicas.find((r) => r.name === c.name);
    if (replica) replica.ready = op.id;
  }
}

/** Why the dependency came back after the running dependent `c` (undefined: it did not). */
function lateDependency(
  ctx: UpContext,
  dep: string,
  c: ObservedContainer,
  mode: 'started-before' | 'engine-restarted',
): string | undefined {
  const target = ctx.outcomes.get(dep);
  if (!target) return undefined;
  // One-offs are never started by a plan's start-container: the service's own containers are enough.
  const existing = new Set((ctx.byService.get(dep) ?? []).map((x) => x.name));
  const startsAgain = target.startLike.some((id) => {
    const op = ctx.draft.ops.get(id);
    return op?.kind === 'restart-container' || (op?.kind === 'start-container' && existing.has(op.name));
  });
  if (startsAgain) return 'starts again in this pass, after it';
  const running = (ctx.byService.get(dep) ?? []).filter((x) => x.state === 'running');
  if (running.length === 0) return undefined;
  if (mode === 'engine-restarted') return 'came back with the engine restart; restoring dependency order';
  // The dependency as a whole restarted: all its replicas started after the dependent (a scale-up does not count).
  const depSince = Math.min(...running.map((x) => Date.parse(x.startedAt)));
  const since = Date.parse(c.startedAt);
  if (!Number.isFinite(depSince) || !Number.isFinite(since) || depSince <= since) return undefined;
  return `restarted after it (${dep} since ${new Date(depSince).toISOString()}, ${c.name} since ${new Date(since).toISOString()})`;
}

function planOrphans(
  draft: Draft,
  desired: DesiredState,
  observed: ObservedProject,
  options: PlanOptions,
): void {
  const known = new Set([...desired.services.map((s) => s.name), ...(options.disabledServices ?? [])]);
  const orphans = observed.containers.filter((c) => !c.oneoff && !known.has(c.service));
  if (orphans.length === 0) return;
  if (!options.removeOrphans) {
    addWarning(draft, orphanWarning(orphans));
    return;
  }
  for (const c of orphans) {
    removeContainer(draft, c, `orphan (service ${c.service || '?'} is not in the project)`, {
      timeoutSeconds: options.timeoutSeconds ?? 10,
    });
  }
}

export function orphanWarning(orphans: ObservedContainer[]): string {
  const names = orphans.map((c) => c.name).sort();
  return `Found orphan containers ([${names.join(' ')}]) for this project. If you removed or renamed this service in your compose file, you can run this command with the --remove-orphans flag to clean it up.`;
}
