/**
 * What every verb shares: the engine, the store, the event bus, the operation registry, the per-project
 * lock, and the few steps each verb starts with (load the files, turn them into a desired state, find the
 * project a request names, save its record). Built once per daemon by `createCore` (core.ts).
 */
import { join } from 'node:path';
import {
  canonicalJson,
  createLoadCache,
  type DesiredState,
  DesiredStateError,
  desiredState,
  formatProblem,
  Labels,
  type LoadResult,
  type LogDefaults,
  type Project,
} from '@orc/spec';
import { OrcError } from '../contract/errors.js';
import { createEventBus, type EventBus } from '../contract/event-bus.js';
import type { LoadFailure, ProjectSource, WatchInfo } from '../contract/types.js';
import { createEngine, type Engine } from '../engine/engine.js';
import { engineBound } from '../execute/limiter.js';
import type { OpContext } from '../execute/operations.js';
import { createImageEngine, createImageService, type ImageService } from '../images/index.js';
import { createObservedCache, type ObservedCache } from '../observe/cache.js';
import { type DaemonIdentity, loadDaemonIdentity } from '../store/daemon-identity.js';
import {
  createProjectStore,
  defaultStateDir,
  type ProjectRecord,
  type ProjectStore,
} from '../store/store.js';
import type { BackoffOptions } from '../supervise/backoff.js';
import type { Restarter } from '../supervise/restarter.js';
import type { EngineEventHook, Supervisor } from '../supervise/supervisor.js';
import type { RunContext } from './converge.js';
import { imageEnsurer } from './images.js';
import { createKeyedLock, type KeyedLock } from './locks.js';
import { createOperationRegistry, type OperationRegistry } from './operations.js';
import { sameRecord } from './record.js';
import { desiredStateFailure } from './selection.js';
import type { ProjectTarget } from './types.js';

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
  /**
   * Engine operations in flight across all plans at once (default 8); `auto`: a bound that follows the
   * engine's latency (execute/adaptive.ts).
   */
  parallelism?: number | 'auto';
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

export interface VerbContext {
  opts: CoreOptions;
  engine: Engine;
  store: ProjectStore;
  images: ImageService;
  log: CoreLogger;
  bus: EventBus;
  locks: KeyedLock;
  ops: OperationRegistry;
  run: RunContext;
  /**
   * What the engine has, kept fresh from the supervisor's event stream (`ps`, `up`'s first look); it
   * lists while there is no stream (supervision off, or a gap).
   */
  observed: ObservedCache;
  /** Set by `createCore` once the supervisor exists (absent when supervision is off). */
  supervisor?: Supervisor;
  /** This daemon, as other daemons on the engine see it (its lease on the projects it keeps). */
  identity(): Promise<DaemonIdentity>;
  /** The project's file watch (`orc watch`), as the other verbs need it (set by `createCore`). */
  watches?: { stop(name: string): Promise<boolean>; info(name: string): WatchInfo | undefined };
  /** The restarter's kept history, as the verbs need it (set by `createCore`). */
  restarts?: Pick<Restarter, 'heldDown' | 'forget'>;
  stateDir: string;
  /** The desired state each registered project was last applied with (also kept in its record). */
  applied: Map<string, DesiredState>;
  /** Bumped after each operation on a project: tells whether an earlier observation may be reused. */
  generations: Map<string, number>;
  /** Queues a task behind the project's lock and bumps its generation when it ends. */
  underLock(project: string): (task: () => Promise<void>) => Promise<void>;
  ensureFor(
    desired: DesiredState,
    env: Record<string, string>,
    o: Parameters<typeof imageEnsurer>[3],
  ): OpContext['ensureImage'];
  load(source: ProjectSource): Promise<LoadResult>;
  toDesired(
    project: Project,
    scale: Record<string, number>,
  ): { ok: true; desired: DesiredState } | LoadFailure;
  /** The project name a target means; a source is loaded for it (its `-p`, else its files). */
  resolveName(target: ProjectTarget): Promise<{ name: string; project?: Project }>;
  desiredFor(name: string, project?: Project): Promise<DesiredState | undefined>;
  /** Saves the record; an unchanged one (a no-op re-apply) is not rewritten, to spare the fsync. */
  remember(record: ProjectRecord, previous?: ProjectRecord): Promise<void>;
  /** build, pull, run: the project as `up` would see it, nothing registered. */
  loadDesired(source: ProjectSource): Promise<{ project: Project; desired: DesiredState } | LoadFailure>;
}

const silent: CoreLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

export function createVerbContext(opts: CoreOptions): VerbContext {
  const engine = opts.engine ?? createEngine();
  const stateDir = opts.stateDir ?? defaultStateDir();
  const log = opts.log ?? silent;
  const bus = createEventBus();
  // One bad record never takes the daemon down: it is set aside, and the log and an event say which,
  // why, and the command that makes the project kept again.
  const store =
    opts.store ??
    createProjectStore(stateDir, {
      onBadRecord: (bad) => {
        void readoptCommand(engine, bad.project).then((command) => {
          const where = bad.movedTo ? `; set aside as ${bad.movedTo}` : '';
          const how = command
            ? `; to keep the project again, run: ${command}`
            : '; nothing of it runs on the engine';
          log.warn('project record set aside', { ...bad, ...(command ? { command } : {}) });
          bus.publish({
            type: 'store',
            project: bad.project,
            action: 'record-set-aside',
            reason: `the record ${bad.file} cannot be trusted (${bad.reason})${where}${how}`,
          });
        });
      },
    });
  const images =
    opts.images ??
    createImageService({
      engine: createImageEngine(engine.docker),
      pullLogPath: join(stateDir, 'pulls.json'),
    });
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
    // One bound for every plan at once (see execute/limiter.ts); each plan's own is the same number.
    ...engineBound(opts.parallelism ?? 8),
    waitTimeoutMs: opts.waitTimeoutMs ?? 300_000,
    ensureImage: async (op) => {
      throw new OrcError('INTERNAL', `no image step configured for ${op.image}`);
    },
  };
  const applied = new Map<string, DesiredState>();
  // A no-op `up` parses nothing: the last loads are kept, each served only while every file it read (or
  // looked for) still holds the same bytes and the request is the same (environment included).
  const loads = createLoadCache();
  // ...and the desired state of a kept Project is made once per replica counts.
  const desiredOf = new WeakMap<Project, { scale: string; desired: DesiredState }>();
  const generations = new Map<string, number>();
  let identity: Promise<DaemonIdentity> | undefined;

  const ctx: VerbContext = {
    opts,
    engine,
    store,
    stateDir,
    images,
    log,
    bus,
    locks,
    ops,
    run,
    applied,
    generations,
    observed: createObservedCache({ engine, log }),
    identity: () => {
      identity ??= loadDaemonIdentity(stateDir);
      identity.catch(() => {
        identity = undefined;
      });
      return identity;
    },
    underLock: (project) => (task) =>
      locks.run(project, async () => {
        try {
          await task();
        } finally {
          generations.set(project, (generations.get(project) ?? 0) + 1);
        }
      }),
    ensureFor: (desired, env, o) => opts.ensureImage ?? imageEnsurer(images, desired, env, o),
    load: async (source) => loads.load(source).result,
    toDesired(project, scale) {
      try {
        const key = canonicalJson(scale);
        const kept = desiredOf.get(project);
        if (kept?.scale === key) return { ok: true, desired: kept.desired };
        const defaultLogging = opts.defaultLogging;
        const desired = desiredState(project, { scale, ...(defaultLogging ? { defaultLogging } : {}) });
        desiredOf.set(project, { scale: key, desired });
        return { ok: true, desired };
      } catch (err) {
        // desiredState throws for what only the whole project shows; it reaches the client as a load failure.
        if (err instanceof DesiredStateError) return desiredStateFailure(err);
        throw err;
      }
    },
    async resolveName(target) {
      if ('name' in target) return { name: target.name };
      const loaded = await ctx.load(target.source);
      if (!loaded.ok) {
        if (target.source.projectName) return { name: target.source.projectName };
        throw new OrcError('INVALID_REQUEST', loaded.errors.map(formatProblem).join('\n'), {
          errors: loaded.errors,
        });
      }
      return { name: loaded.project.name, project: loaded.project };
    },
    async desiredFor(name, project) {
      const record = await store.get(name);
      if (record?.desired) return record.desired;
      if (!project) return undefined;
      const d = ctx.toDesired(project, record?.scale ?? {});
      return 'desired' in d ? d.desired : undefined;
    },
    async remember(record, previous) {
      if (!previous || !sameRecord(previous, record)) await store.put(record);
      if (record.desired) applied.set(record.name, record.desired);
      ctx.supervisor?.track(record.name);
    },
    async loadDesired(source) {
      const loaded = await ctx.load(source);
      if (!loaded.ok)
        return { code: 'INVALID_PROJECT' as const, errors: loaded.errors, warnings: loaded.warnings };
      const d = ctx.toDesired(loaded.project, (await store.get(loaded.project.name))?.scale ?? {});
      return 'desired' in d ? { project: loaded.project, desired: d.desired } : d;
    },
  };
  return ctx;
}

/** `cd DIR && orc -p NAME -f FILE… up -d`, from the labels of the project's containers; undefined without any. */
export async function readoptCommand(engine: Engine, project: string): Promise<string | undefined> {
  const containers = await engine.listContainers({ label: [`${Labels.project}=${project}`] }).catch(() => []);
  const labels = containers.map((c) => c.Labels ?? {}).find((l) => l[Labels.workingDir]);
  if (!labels) return undefined;
  const q = (x: string) => (/^[\w@%+=:,./-]+$/.test(x) ? x : `'${x.replace(/'/g, `'\\''`)}'`);
  const files = (labels[Labels.configFiles] ?? '').split(',').filter(Boolean);
  return [
    `cd ${q(labels[Labels.workingDir] ?? '')} &&`,
    'orc',
    '-p',
    q(project),
    ...files.flatMap((f) => ['-f', q(f)]),
    'up',
    '-d',
  ].join(' ');
}
