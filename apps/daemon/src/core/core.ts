import { join } from 'node:path';
import {
  type DesiredState,
  DesiredStateError,
  desiredState,
  formatProblem,
  Labels,
  type LoadResult,
  type LogDefaults,
  loadProject,
  type Project,
} from '@orc/spec';
import { createEngine, type Engine } from '../engine/engine.js';
import { OrcError } from '../engine/errors.js';
import { openExec } from '../engine/exec.js';
import { createLimiter } from '../execute/limiter.js';
import type { OpContext } from '../execute/operations.js';
import { waitForContainer } from '../execute/wait.js';
import { createImageEngine, createImageService, type ImageService } from '../images/index.js';
import { followProjectLogs } from '../logs/container-logs.js';
import { observeProject } from '../observe/observe.js';
import { coveredServices, planDown, planServiceAction, plan as planUp, renderPlan } from '../plan/index.js';
import type { DesiredRunState, PlanOptions } from '../plan/types.js';
import {
  createProjectStore,
  defaultStateDir,
  type ProjectRecord,
  type ProjectStore,
} from '../store/store.js';
import type { BackoffOptions } from '../supervise/backoff.js';
import { probeOutputReader } from '../supervise/health.js';
import { createRestarter } from '../supervise/restarter.js';
import { createSupervisor, type EngineEventHook, type Supervisor } from '../supervise/supervisor.js';
import { observeFor, planFailure, type RunContext, runPlan } from './converge.js';
import { createEventBus } from './event-bus.js';
import { assertProjectOwner, checkProjectOwner } from './guard.js';
import { imageEnsurer } from './images.js';
import { createImageOps } from './images-ops.js';
import { createKeyedLock } from './locks.js';
import { createOperationRegistry, toOperationError } from './operations.js';
import { removeProjectImages } from './remove-images.js';
import { rolledBackDesired } from './rollback.js';
import { createRunner } from './run.js';
import { projectSummary } from './summary.js';
import { projectImages, projectTop } from './top.js';
import type {
  Core,
  LoadFailure,
  OperationHandle,
  ProjectSource,
  ProjectSummary,
  ProjectTarget,
  ServiceAction,
  UpOptions,
} from './types.js';
import { runImagesThenPlan } from './up-phases.js';

export interface CoreLogger {
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

export interface CoreOptions {
  engine?: Engine;
  /** Where the project registry lives (default: `ORC_STATE_DIR`, see store/). */
  stateDir?: string;
  store?: ProjectStore;
  /** Engine operations in flight, per plan and across all plans at once (default 8). */
  parallelism?: number;
  /** Keep registered projects converged: startup pass, engine events, periodic resync (default true). */
  supervise?: boolean;
  resyncIntervalMs?: number;
  /** Timeout of each dependency wait (default 300 s). */
  waitTimeoutMs?: number;
  /** Replaces the images module for every `ensure-image` step (tests). */
  ensureImage?: OpContext['ensureImage'];
  images?: ImageService;
  log?: CoreLogger;
  /** `logging:` of services that set none (default: json-file, 10m × 3; see packages/spec). */
  defaultLogging?: LogDefaults;
  /** Backoff of the daemon's own restarts (`deploy.restart_policy`, restart-on-unhealthy); see supervise/. */
  restartBackoff?: BackoffOptions;
  /** More engine-event hooks for the supervisor (tests); the restarter's own always runs. */
  hooks?: EngineEventHook[];
}

export interface CoreInternals {
  engine: Engine;
  store: ProjectStore;
  supervisor?: Supervisor;
  /** Resolves when the supervisor's startup pass is over (tests, main). */
  ready: Promise<void>;
}

const silent: CoreLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

export function createCore(opts: CoreOptions = {}): Core & { internals: CoreInternals } {
  const engine = opts.engine ?? createEngine();
  const stateDir = opts.stateDir ?? defaultStateDir();
  const store = opts.store ?? createProjectStore(stateDir);
  const images =
    opts.images ??
    createImageService({
      engine: createImageEngine(engine.docker),
      pullLogPath: join(stateDir, 'pulls.json'),
    });
  const log = opts.log ?? silent;
  const bus = createEventBus();
  const locks = createKeyedLock();
  const ops = createOperationRegistry({
    onStateChange: (r) => {
      // Ids, kinds and our own messages only: never the request (it holds the client's environment).
      const fields = { operation: r.id, project: r.project, kind: r.kind, state: r.state };
      if (r.state === 'failed')
        log.warn('operation failed', { ...fields, code: r.error?.code, error: r.error?.message });
      else log.info(`operation ${r.state}`, fields);
      bus.publish({
        type: 'operation',
        project: r.project,
        action: r.state === 'running' ? `${r.kind} started` : `${r.kind} ${r.state}`,
        ...(r.error ? { reason: r.error.message } : {}),
        attributes: { id: r.id, kind: r.kind, state: r.state },
      });
    },
  });
  const run: RunContext = {
    engine,
    bus,
    parallelism: opts.parallelism ?? 8,
    // One bound for every plan at once (see execute/limiter.ts), the same number as each plan's own.
    engineLimit: createLimiter(opts.parallelism ?? 8),
    waitTimeoutMs: opts.waitTimeoutMs ?? 300_000,
    ensureImage: async (op) => {
      throw new OrcError('INTERNAL', `no image step configured for ${op.image}`);
    },
  };
  const ensureFor = (
    desired: DesiredState,
    env: Record<string, string>,
    o: Parameters<typeof imageEnsurer>[3],
  ) => opts.ensureImage ?? imageEnsurer(images, desired, env, o);
  /** The desired state each registered project was last applied with (also kept in its record). */
  const applied = new Map<string, DesiredState>();

  /** Bumped after each operation on a project: tells whether an earlier observation may be reused. */
  const generations = new Map<string, number>();
  const underLock = (project: string) => (task: () => Promise<void>) =>
    locks.run(project, async () => {
      try {
        await task();
      } finally {
        generations.set(project, (generations.get(project) ?? 0) + 1);
      }
    });

  const load = async (source: ProjectSource): Promise<LoadResult> => loadProject(source);

  const toDesired = (
    project: Project,
    scale: Record<string, number>,
  ): { ok: true; desired: DesiredState } | LoadFailure => {
    try {
      const defaultLogging = opts.defaultLogging;
      return {
        ok: true,
        desired: desiredState(project, { scale, ...(defaultLogging ? { defaultLogging } : {}) }),
      };
    } catch (err) {
      if (err instanceof DesiredStateError) {
        return {
          code: 'INVALID_PROJECT',
          errors: [
            {
              code: err.code,
              message: err.message,
              ...(err.path ? { path: err.path } : {}),
              ...(err.hint ? { hint: err.hint } : {}),
            },
          ],
          warnings: [],
        };
      }
      throw err;
    }
  };

  /** The project name a target means; a source is loaded for it (its `-p`, else its files). */
  const resolveName = async (target: ProjectTarget): Promise<{ name: string; project?: Project }> => {
    if ('name' in target) return { name: target.name };
    const loaded = await load(target.source);
    if (!loaded.ok) {
      if (target.source.projectName) return { name: target.source.projectName };
      throw new OrcError('INVALID_REQUEST', loaded.errors.map(formatProblem).join('\n'), {
        errors: loaded.errors,
      });
    }
    return { name: loaded.project.name, project: loaded.project };
  };

  const desiredFor = async (name: string, project?: Project): Promise<DesiredState | undefined> => {
    const record = await store.get(name);
    if (record?.desired) return record.desired;
    if (!project) return undefined;
    const d = toDesired(project, record?.scale ?? {});
    return 'desired' in d ? d.desired : undefined;
  };

  /** Saves the record; an unchanged one (a no-op re-apply) is not rewritten, to spare the fsync. */
  const remember = async (record: ProjectRecord, previous?: ProjectRecord) => {
    if (!previous || !sameRecord(previous, record)) await store.put(record);
    if (record.desired) applied.set(record.name, record.desired);
    supervisor?.track(record.name);
  };

  /** The supervisor's pass for one project: level-triggered, idempotent. */
  const reconcile = async (
    name: string,
    reason: string,
    startExited: boolean,
    engineRestarted = false,
  ): Promise<{ changed: boolean }> => {
    return locks.run(name, async () => {
      const record = await store.get(name);
      if (!record?.desired) return { changed: false };
      const desired = record.desired;
      applied.set(name, desired);
      const observed = await observeFor(run, name, desired);
      const planned = planUp(desired, observed, {
        desiredRunState: record.runState,
        startExited,
        restoreDependencyOrder: engineRestarted ? 'engine-restarted' : 'started-before',
        // The recorded set already holds the dependencies it needs (see `up`): a dependency removed with
        // `rm` must not be pulled back by its dependents.
        ...(record.services ? { services: record.services, noDeps: true } : {}),
      });
      if (planned.operations.length === 0 && planned.errors.length === 0) return { changed: false };
      const causes = [...new Set(planned.operations.map((o) => `${o.service ?? ''}: ${o.cause}`))].slice(
        0,
        5,
      );
      bus.publish({
        type: 'repair',
        project: name,
        action: 'repair',
        reason: `${reason}; ${causes.join('; ')}`,
      });
      const ensure = ensureFor(desired, record.source.env, { converge: true });
      const handle = ops.start(name, 'repair', (scope) => runPlan(run, scope, planned, ensure));
      const rec = await handle.done;
      if (rec.error) log.warn('repair failed', { project: name, error: rec.error.message });
      generations.set(name, (generations.get(name) ?? 0) + 1);
      return { changed: true };
    });
  };

  // deploy.restart_policy and restart-on-unhealthy: the daemon's own restarts, fed by the supervisor's events.
  const restarter = createRestarter({
    engine,
    bus,
    wanted: async (name, service) => {
      const record = await store.get(name);
      if (!record?.desired || (record.runState[service] ?? 'running') !== 'running') return undefined;
      if (record.services && !record.services.includes(service)) return undefined;
      return record.desired.services.find((s) => s.name === service);
    },
    withLock: (name, task) => locks.run(name, task),
    ...(opts.restartBackoff ? { backoff: opts.restartBackoff } : {}),
    log,
  });
  const supervisor =
    opts.supervise === false
      ? undefined
      : createSupervisor({
          engine,
          bus,
          registered: async () => (await store.list()).map((r) => r.name),
          networksOf: (name) => applied.get(name)?.networks.map((n) => n.name) ?? [],
          reconcile,
          // The restarter's hook always runs; hooks given by the caller (tests) come after it.
          hooks: [restarter.hook, ...(opts.hooks ?? [])],
          probeOutput: probeOutputReader(engine),
          ...(opts.resyncIntervalMs ? { resyncIntervalMs: opts.resyncIntervalMs } : {}),
          log,
        });
  if (supervisor) run.nudge = supervisor.nudge;
  const ready = supervisor ? supervisor.start() : Promise.resolve();

  const up = async (source: ProjectSource, o: UpOptions): Promise<OperationHandle | LoadFailure> => {
    const loaded = await load({ ...source, ...(o.services?.length ? { services: o.services } : {}) });
    if (!loaded.ok) return { code: 'INVALID_PROJECT', errors: loaded.errors, warnings: loaded.warnings };
    const project = loaded.project;
    const name = project.name;
    for (const s of o.services ?? []) {
      if (!project.services[s]) {
        throw new OrcError(
          'SERVICE_NOT_FOUND',
          `no such service: ${s} (project ${name} has ${Object.keys(project.services).join(', ')})`,
        );
      }
    }
    const previous = await store.get(name);
    // compose: `up` runs the file's replicas plus its own --scale. Overrides (`orc scale`, an earlier
    // --scale) are dropped for the services this up covers; a partial up leaves the others' alone.
    const covering = toDesired(project, { ...(previous?.scale ?? {}), ...(o.scale ?? {}) });
    if (!('desired' in covering)) return covering;
    const covered = coveredServices(covering.desired, o.services, o.noDeps ?? false);
    const scale = { ...(o.services?.length ? omit(previous?.scale ?? {}, covered) : {}), ...(o.scale ?? {}) };
    const d = sameJson(scale, { ...(previous?.scale ?? {}), ...(o.scale ?? {}) })
      ? covering
      : toDesired(project, scale);
    if (!('desired' in d)) return d;
    const desired = d.desired;
    const generationSeen = generations.get(name) ?? 0;
    const observedEarly = await observeFor(run, name, desired);
    assertProjectOwner(
      observedEarly.containers.map((c) => c.labels),
      name,
      project.working_dir,
      o.force ?? false,
    );
    const runState: Record<string, DesiredRunState> = { ...(previous?.runState ?? {}) };
    for (const s of o.services?.length ? o.services : Object.keys(project.services)) delete runState[s];
    const planOptions: PlanOptions = {
      ...(o.services?.length ? { services: o.services } : {}),
      ...(o.noDeps ? { noDeps: true } : {}),
      ...(o.forceRecreate ? { forceRecreate: true } : {}),
      ...(o.noRecreate ? { noRecreate: true } : {}),
      ...(o.removeOrphans ? { removeOrphans: true } : {}),
      ...(o.timeoutSeconds !== undefined ? { timeoutSeconds: o.timeoutSeconds } : {}),
      ...(o.build ? { build: true } : {}),
      ...(o.noBuild ? { noBuild: true } : {}),
      // A user's up follows each service's pull_policy (always, build, daily, ...); the supervisor's passes
      // leave `pull` unset (missing), so they never pull or build in a loop.
      pull: o.pull ?? 'policy',
      // Services left out by profiles are the project's, not orphans.
      disabledServices: Object.keys(project.disabled_services ?? {}),
      desiredRunState: runState,
      startExited: true,
    };
    const warnings = loaded.warnings.map(formatProblem);

    if (o.dryRun) {
      const planned = planUp(desired, observedEarly, planOptions);
      const refused = planFailure(planned);
      return ops.finished(
        name,
        'up',
        renderPlan(planned),
        [...warnings, ...planned.warnings],
        refused ? toOperationError(refused) : undefined,
      );
    }

    if (o.keep !== false) {
      const now = new Date().toISOString();
      // With their dependencies (unless --no-deps): the supervisor converges exactly this set.
      const services =
        o.services?.length && (!previous || previous.services)
          ? [...new Set([...(previous?.services ?? []), ...covered])].sort()
          : undefined;
      // Written before acting: a crash from here on is repaired by the next start, toward this state.
      await remember(
        {
          name,
          source,
          runState,
          scale,
          ...(services ? { services } : {}),
          desired,
          createdAt: previous?.createdAt ?? now,
          updatedAt: now,
        },
        previous,
      );
    }

    // What we observed is still the truth if no operation on the project ran or is queued since.
    const reusable = !locks.busy(name) && (generations.get(name) ?? 0) === generationSeen;
    return ops.start(
      name,
      'up',
      async (scope) => {
        for (const w of warnings) scope.warn(w);
        const observed = reusable ? observedEarly : await observeFor(run, name, desired);
        const ensure = ensureFor(desired, source.env, {
          ...(o.build ? { build: true } : {}),
          ...(o.noBuild ? { noBuild: true } : {}),
          ...(o.pull ? { pull: o.pull } : {}),
        });
        let planned = planUp(desired, observed, planOptions);
        try {
          // Images first, then a plan that sees their ids: a rebuilt or re-pulled image recreates now.
          planned = await runImagesThenPlan(
            run,
            scope,
            planned,
            async () => {
              const { build: _b, pull: _p, ...rest } = planOptions;
              planned = planUp(desired, await observeFor(run, name, desired), rest);
              return planned;
            },
            ensure,
          );
        } catch (err) {
          const back =
            o.keep === false ? undefined : rolledBackDesired(planned, err, desired, previous?.desired);
          const record = back && (await store.get(name));
          if (back && record) {
            await remember({ ...record, desired: back.desired, updatedAt: new Date().toISOString() }, record);
            bus.publish({
              type: 'recreate',
              project: name,
              action: 'rollback',
              reason: `start-first update failed its health gate; ${back.services.join(', ')} back to the previous definition`,
            });
          }
          throw err;
        }
        if (o.wait) await waitForServices(engine, desired, o, run);
      },
      underLock(name),
    );
  };

  const down: Core['down'] = async (target, o) => {
    const { name, project } = await resolveName(target);
    if (project) await checkProjectOwner(engine, name, project.working_dir, false);
    const desired = await desiredFor(name, project);
    // Unregistered first: the supervisor must not bring back what we are taking down.
    await store.remove(name);
    applied.delete(name);
    supervisor?.untrack(name);
    return ops.start(
      name,
      'down',
      async (scope) => {
        const observed = await observeProject(engine, name);
        await runPlan(
          run,
          scope,
          planDown(desired, observed, {
            ...(o.volumes ? { volumes: true } : {}),
            ...(o.removeOrphans ? { removeOrphans: true } : {}),
            ...(o.timeoutSeconds !== undefined ? { timeoutSeconds: o.timeoutSeconds } : {}),
            ...(project ? { disabledServices: Object.keys(project.disabled_services ?? {}) } : {}),
          }),
        );
        if (o.rmi && desired) await removeProjectImages(images, desired, o.rmi, scope);
      },
      underLock(name),
    );
  };

  const runStateAfter: Record<ServiceAction, DesiredRunState | undefined> = {
    start: 'running',
    restart: 'running',
    unpause: 'running',
    stop: 'stopped',
    kill: 'stopped',
    pause: 'paused',
    rm: undefined,
  };

  const serviceAction: Core['serviceAction'] = async (target, action, o) => {
    const { name, project } = await resolveName(target);
    if (project) await checkProjectOwner(engine, name, project.working_dir, false);
    const record = await store.get(name);
    const desired = record?.desired ?? (await desiredFor(name, project));
    const state = runStateAfter[action];
    if (record && state) {
      const services = o.services?.length ? o.services : (desired?.services.map((s) => s.name) ?? []);
      const runState = { ...record.runState };
      for (const s of services) {
        if (state === 'running') delete runState[s];
        else runState[s] = state;
      }
      await remember({ ...record, runState, updatedAt: new Date().toISOString() });
    }
    if (record && action === 'rm') {
      // Removed services leave the set the daemon keeps converged (else it would create them again);
      // the next `up` of them brings them back.
      const all = desired?.services.map((s) => s.name) ?? [];
      // Without -s a running container is left (compose): its service stays in the set.
      const running = o.stop
        ? new Set<string>()
        : new Set(
            (await observeProject(engine, name)).containers
              .filter((c) => c.state === 'running' || c.state === 'paused' || c.state === 'restarting')
              .map((c) => c.service),
          );
      const removed = new Set((o.services?.length ? o.services : all).filter((s) => !running.has(s)));
      const keep = (record.services ?? all).filter((s) => !removed.has(s));
      if (keep.length === 0) {
        await store.remove(name);
        supervisor?.untrack(name);
      } else await remember({ ...record, services: keep, updatedAt: new Date().toISOString() });
    }
    return ops.start(
      name,
      action,
      async (scope) => {
        const observed = await observeProject(engine, name);
        await runPlan(
          run,
          scope,
          planServiceAction(desired, observed, action, {
            ...(o.services?.length ? { services: o.services } : {}),
            ...(o.timeoutSeconds !== undefined ? { timeoutSeconds: o.timeoutSeconds } : {}),
            ...(o.signal ? { signal: o.signal } : {}),
            ...(o.volumes ? { volumes: true } : {}),
            ...(o.stop ? { stop: true } : {}),
          }),
        );
      },
      underLock(name),
    );
  };

  const scale: Core['scale'] = async (target, replicas) => {
    const { name } = await resolveName(target);
    const record = await store.get(name);
    if (!record?.desired) {
      throw new OrcError(
        'PROJECT_NOT_FOUND',
        `project ${name} is not registered with the daemon; run \`orc up\` first`,
      );
    }
    const loaded = await load(record.source);
    if (!loaded.ok) {
      throw new OrcError('INVALID_REQUEST', loaded.errors.map(formatProblem).join('\n'), {
        errors: loaded.errors,
      });
    }
    const newScale = { ...record.scale, ...replicas };
    const d = toDesired(loaded.project, newScale);
    if (!('desired' in d)) throw new OrcError('INVALID_REQUEST', d.errors.map(formatProblem).join('\n'));
    const desired = d.desired;
    await remember({ ...record, scale: newScale, desired, updatedAt: new Date().toISOString() });
    return ops.start(
      name,
      'scale',
      async (scope) => {
        const observed = await observeFor(run, name, desired);
        await runPlan(
          run,
          scope,
          planUp(desired, observed, {
            services: Object.keys(replicas),
            noDeps: true,
            desiredRunState: record.runState,
            startExited: true,
          }),
          ensureFor(desired, record.source.env, {}),
        );
      },
      underLock(name),
    );
  };

  const getProject = async (target: ProjectTarget): Promise<ProjectSummary | undefined> => {
    let name: string;
    try {
      name = (await resolveName(target)).name;
    } catch (err) {
      if (err instanceof OrcError && err.code === 'INVALID_REQUEST') return undefined;
      throw err;
    }
    const [record, observed] = await Promise.all([
      store.get(name),
      observeProject(engine, name, { detail: true }),
    ]);
    if (!record && observed.containers.length === 0) return undefined;
    return restarter.annotate(
      projectSummary({
        name,
        containers: observed.containers,
        registered: Boolean(record),
        ...(record?.desired ? { desired: record.desired } : {}),
        ...(record ? { runState: record.runState } : {}),
      }),
    );
  };

  const listProjects = async (): Promise<ProjectSummary[]> => {
    const [records, containers] = await Promise.all([
      store.list(),
      engine.listContainers({ label: [Labels.project] }),
    ]);
    const names = new Set([
      ...records.map((r) => r.name),
      ...containers.map((c) => c.Labels?.[Labels.project] ?? ''),
    ]);
    names.delete('');
    const summaries = await Promise.all([...names].sort().map((name) => getProject({ name })));
    return summaries.filter((s): s is ProjectSummary => s !== undefined);
  };

  // build, pull, run (core/images-ops.ts, core/run.ts): the project as `up` would see it, nothing registered.
  const loadDesired = async (source: ProjectSource) => {
    const loaded = await load(source);
    if (!loaded.ok)
      return { code: 'INVALID_PROJECT' as const, errors: loaded.errors, warnings: loaded.warnings };
    const d = toDesired(loaded.project, (await store.get(loaded.project.name))?.scale ?? {});
    return 'desired' in d ? { project: loaded.project, desired: d.desired } : d;
  };
  const imageOps = createImageOps({ images, ops, desired: loadDesired });

  return {
    internals: { engine, store, ...(supervisor ? { supervisor } : {}), ready },
    build: imageOps.build,
    pull: imageOps.pull,
    top: async (target, services) => projectTop(engine, (await resolveName(target)).name, services),
    images: async (target, services) => projectImages(engine, (await resolveName(target)).name, services),
    run: createRunner({ engine, images, desired: loadDesired, up: (s, o) => up(s, o) }),
    async health() {
      const v = await engine.version();
      return { engineVersion: v.Version, engineApiVersion: v.ApiVersion };
    },
    listProjects,
    getProject,
    async config(source) {
      const loaded = await load(source);
      if (!loaded.ok) return { code: 'INVALID_PROJECT', errors: loaded.errors, warnings: loaded.warnings };
      const d = toDesired(loaded.project, {});
      const hashes =
        'desired' in d ? Object.fromEntries(d.desired.services.map((x) => [x.name, x.hash])) : {};
      return { ok: true, project: loaded.project, warnings: loaded.warnings, hashes };
    },
    up,
    down,
    serviceAction,
    scale,
    getOperation: (id) => ops.get(id),
    operationProgress: (id, signal) => ops.progress(id, signal),
    events: (filter, signal) => bus.subscribe(filter, signal),
    async *logs(target, o, signal) {
      const { name } = await resolveName(target);
      yield* followProjectLogs(engine, name, o, signal, bus);
    },
    async exec(target, o) {
      const { name } = await resolveName(target);
      const observed = await observeProject(engine, name);
      const index = o.index ?? 1;
      const c = observed.containers.find((x) => x.service === o.service && x.number === index && !x.oneoff);
      if (!c) {
        throw new OrcError(
          'NOT_FOUND',
          `service ${o.service} of project ${name} has no container number ${index}`,
        );
      }
      if (c.state !== 'running') {
        throw new OrcError(
          'CONFLICT',
          `container ${c.name} is ${c.state}, not running; start it first (orc start ${o.service})`,
        );
      }
      return openExec(engine, c.id, o);
    },
    async close() {
      restarter.stop();
      await supervisor?.stop();
      await Promise.all(ops.running());
      await locks.idle();
    },
  };
}

function omit(record: Record<string, number>, keys: string[]): Record<string, number> {
  return Object.fromEntries(Object.entries(record).filter(([k]) => !keys.includes(k)));
}

function sameJson(a: unknown, b: unknown): boolean {
  return stableJson(a) === stableJson(b);
}

function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${stableJson(x)}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

function sameRecord(a: ProjectRecord, b: ProjectRecord): boolean {
  const { updatedAt: _a, ...ra } = a;
  const { updatedAt: _b, ...rb } = b;
  return stableJson(ra) === stableJson(rb);
}

/** `up --wait`: every selected service's containers running, and healthy where they have a healthcheck. */
async function waitForServices(
  engine: Engine,
  desired: DesiredState,
  o: UpOptions,
  run: RunContext,
): Promise<void> {
  const only = o.services?.length ? new Set(o.services) : undefined;
  const timeoutMs = (o.waitTimeoutSeconds ?? run.waitTimeoutMs / 1000) * 1000;
  await Promise.all(
    desired.services
      .filter((s) => !only || only.has(s.name))
      .flatMap((s) =>
        s.containers.map((c) =>
          waitForContainer(engine, c.name, s.has_healthcheck ? 'healthy' : 'running', {
            service: s.name,
            timeoutMs,
            ...(run.nudge ? { nudge: run.nudge } : {}),
          }),
        ),
      ),
  );
}
