/**
 * The verbs of a project whose target is a Swarm cluster (issue 15): `up`, `down`, `scale`, `restart`,
 * `ps` and `logs`, over the daemon's engine, which must be a swarm manager. The record remembers the
 * target (`target: 'swarm'`, desired state in `swarm`), so every later command follows it. The local
 * verbs are untouched: `core.ts` chooses between the two by the record (and `up` by `--target` / the
 * file's `x-orc.target`). Plans come from swarm/ (pure), run by swarm/'s walker.
 */
import {
  DesiredStateError,
  type DesiredSwarm,
  formatProblem,
  type LoadResult,
  loadProject,
  type Project,
  SwarmProblemsError,
  swarmCovered,
  swarmDesiredState,
  withSwarmImage,
} from '@orc/spec';
import { isOrcError, OrcError } from '../contract/errors.js';
import type {
  ContainerSummary,
  DownOptions,
  LoadFailure,
  LogLine,
  LogOptions,
  ProjectSource,
  ProjectSummary,
  UpOptions,
} from '../contract/types.js';
import { createSwarmEngine, type SwarmEngine } from '../engine/swarm.js';
import { createLogParser, splitTimestamp } from '../logs/container-logs.js';
import type { ProjectRecord } from '../store/store.js';
import { executeSwarmPlan } from '../swarm/execute.js';
import { prepareSwarmImages } from '../swarm/images.js';
import { planSwarm, planSwarmDown, renderSwarmPlan, selectedServices } from '../swarm/index.js';
import { observeSwarm } from '../swarm/observe.js';
import type { ObservedSwarm, ObservedSwarmTask, SwarmPlan, SwarmPlanOptions } from '../swarm/types.js';
import type { VerbContext } from './context.js';
import type { OperationScope } from './operations.js';
import { toOperationError } from './operations.js';
import { assertServicesExist, desiredStateFailure, selectionFailure } from './selection.js';
import type { OperationHandle } from './types.js';

/** A project record of the swarm target. */
export type SwarmRecord = ProjectRecord & { target: 'swarm'; swarm?: DesiredSwarm };

export function isSwarmRecord(r: ProjectRecord | undefined): r is SwarmRecord {
  return r?.target === 'swarm';
}

export interface SwarmVerbs {
  readonly engine: SwarmEngine;
  up(source: ProjectSource, o: UpOptions): Promise<OperationHandle | LoadFailure>;
  down(record: SwarmRecord, o: DownOptions): Promise<OperationHandle>;
  scale(record: SwarmRecord, replicas: Record<string, number>): Promise<OperationHandle>;
  /** `restart [SVC…]`: a forced rolling update of each (new tasks, Swarm's update_config order). */
  restart(record: SwarmRecord, services: string[]): Promise<OperationHandle>;
  summary(record: SwarmRecord): Promise<ProjectSummary>;
  /**
   * The watcher's pass: plan the record against the cluster (a service removed or scaled by hand) and,
   * when there is work, run it as a `repair` operation. Returns the causes repaired (none: converged).
   */
  repair(record: SwarmRecord, reason: string): Promise<string[]>;
  logs(record: SwarmRecord, o: LogOptions, signal: AbortSignal): AsyncIterable<LogLine>;
}

export function createSwarmVerbs(ctx: VerbContext): SwarmVerbs {
  const { store, ops } = ctx;
  const swarm = createSwarmEngine(ctx.engine);

  const load = (source: ProjectSource, services?: string[]): Promise<LoadResult> =>
    loadProject({ ...source, ...(services?.length ? { services } : {}), target: 'swarm' });

  const translate = (
    project: Project,
    scale: Record<string, number>,
    services?: string[],
    noDeps?: boolean,
  ): { desired: DesiredSwarm } | LoadFailure => {
    try {
      const selection = { ...(services?.length ? { services } : {}), ...(noDeps ? { noDeps } : {}) };
      return { desired: swarmDesiredState(project, { scale, ...selection }) };
    } catch (err) {
      if (!(err instanceof DesiredStateError)) throw err;
      if (err instanceof SwarmProblemsError)
        return { code: 'INVALID_PROJECT', errors: err.problems, warnings: [] };
      return desiredStateFailure(err);
    }
  };

  /**
   * Runs a plan as an operation of the project, under its lock, with the executor's progress vocabulary.
   * `planned` is the plan, or the steps that make it inside the operation (build and push come first:
   * the plan needs their digests), with the observation it was made from.
   */
  const runPlan = (
    name: string,
    kind: 'up' | 'down' | 'scale' | 'restart' | 'repair',
    planned: SwarmPlan | ((scope: OperationScope) => Promise<{ plan: SwarmPlan; observed: ObservedSwarm }>),
    warnings: string[],
    observedEarly: ObservedSwarm,
    env: Record<string, string> = {},
  ): OperationHandle =>
    ops.start(
      name,
      kind,
      async (scope) => {
        for (const w of warnings) scope.warn(w);
        const { plan, observed } =
          typeof planned === 'function' ? await planned(scope) : { plan: planned, observed: observedEarly };
        scope.setPlan(renderSwarmPlan(plan));
        for (const w of plan.warnings) scope.warn(w);
        if (plan.problems.length) {
          throw new OrcError('CONFLICT', plan.problems.map((p) => p.message).join('; '));
        }
        const result = await executeSwarmPlan(plan, {
          swarm,
          observed,
          limiter: ctx.run.engineLimit ?? { limit: 8, run: (t) => t() },
          progress: (e) => scope.progress({ ...e, project: name }),
          // Every node pulls the image: the client's credentials for its registry go with the service.
          authFor: (image) => ctx.images.authFor(image, env),
          waitTimeoutMs: ctx.run.waitTimeoutMs,
          removeVolume: (v) => ctx.engine.removeVolume(v),
        });
        for (const w of result.warnings) scope.warn(w);
        const first = result.failed[0];
        if (first) {
          const { error, op } = first;
          if (isOrcError(error)) throw error;
          throw new OrcError('ENGINE_ERROR', `${op.kind} ${op.name}: ${error.message}`);
        }
      },
      ctx.underLock(name),
    );

  /** The record, written before acting (as on one host); `keep: false` writes none. */
  const remember = async (
    previous: ProjectRecord | undefined,
    name: string,
    source: ProjectSource,
    scale: Record<string, number>,
    desired: DesiredSwarm,
    o: UpOptions,
  ): Promise<SwarmRecord | undefined> => {
    if (o.keep === false) return undefined;
    const now = new Date().toISOString();
    const record: SwarmRecord = {
      name,
      source,
      runState: {},
      scale,
      target: 'swarm',
      swarm: desired,
      ...(o.services?.length ? { services: o.services } : {}),
      createdAt: previous?.createdAt ?? now,
      updatedAt: now,
    };
    await store.put(record);
    return record;
  };

  const refuse = (name: string, kind: 'up', plan: SwarmPlan, warnings: string[]) =>
    ops.finished(
      name,
      kind,
      renderSwarmPlan(plan),
      [...warnings, ...plan.warnings],
      plan.problems.length
        ? toOperationError(new OrcError('CONFLICT', plan.problems.map((p) => p.message).join('; ')))
        : undefined,
    );

  return {
    engine: swarm,

    async up(source, o) {
      const loaded = await load(source, o.services);
      if (!loaded.ok) return { code: 'INVALID_PROJECT', errors: loaded.errors, warnings: loaded.warnings };
      const project = loaded.project;
      const name = project.name;
      assertServicesExist(project, o.services);
      // What Swarm cannot do (per field, located) fails the services it concerns before anything is made:
      // the named ones and the dependencies this up creates with them.
      const selected = swarmCovered(project, o.services, o.noDeps);
      const problem = selectionFailure(project, selected, loaded.warnings);
      if (problem) return problem;
      const previous = await store.get(name);
      if (previous && !isSwarmRecord(previous) && previous.desired) {
        throw new OrcError(
          'CONFLICT',
          `project ${name} runs on the local engine; take it down first (orc -p ${name} down) to move it to the swarm`,
        );
      }
      await swarm.assertManager();
      const scale = { ...(previous?.scale ?? {}), ...(o.scale ?? {}) };
      const t = translate(project, scale, o.services, o.noDeps);
      if (!('desired' in t)) return t;
      const desired = t.desired;
      const observed = await observeSwarm(swarm, name, desired);
      const planOptions: SwarmPlanOptions = {
        ...(o.services?.length ? { services: o.services } : {}),
        ...(o.noDeps ? { noDeps: true } : {}),
        ...(o.removeOrphans ? { removeOrphans: true } : {}),
        ...(o.wait ? { wait: true } : {}),
        ...(o.forceRecreate ? { forceUpdate: true } : {}),
        disabledServices: Object.keys(project.disabled_services ?? {}),
      };
      const converged = selectedServices(desired, planOptions);
      const warnings = loaded.warnings.map(formatProblem);
      const env = source.env ?? {};
      // Pins of built services this `up` does not touch are kept, so the record never unpins them.
      const kept = keptPins(previous, desired, converged);
      const building = desired.services.some((s) => s.build && converged.has(s.name));
      const imageOptions = {
        images: ctx.images,
        env,
        services: converged,
        pullPolicies: pullPolicies(project),
        ...(o.build ? { build: true } : {}),
        ...(o.noBuild ? { noBuild: true } : {}),
        ...(o.pull ? { pull: o.pull } : {}),
        event: (e: { service: string; action: string; reason: string }) =>
          ctx.bus.publish({ type: 'image', project: name, ...e }),
      };
      if (o.dryRun || !building) {
        // A dry run builds as `up` would (to know whether the digest changes) and pushes nothing.
        const made = building
          ? await prepareSwarmImages(desired, { ...imageOptions, push: false, progress: () => undefined })
          : { images: {}, unpushed: [] };
        const plan = planSwarm(desired, observed, {
          ...planOptions,
          images: { ...kept, ...made.images },
          ...(made.unpushed.length ? { unpushed: made.unpushed } : {}),
        });
        if (o.dryRun || plan.problems.length) return refuse(name, 'up', plan, warnings);
        await remember(previous, name, source, scale, pinned(desired, kept), o);
        return runPlan(name, 'up', plan, warnings, observed, env);
      }
      // Problems of the cluster (a missing external network, a name held) refuse before anything is built.
      const early = planSwarm(desired, observed, { ...planOptions, images: kept });
      if (early.problems.length) return refuse(name, 'up', early, warnings);
      return runPlan(
        name,
        'up',
        async (scope) => {
          const made = await prepareSwarmImages(desired, {
            ...imageOptions,
            push: true,
            progress: (e) => scope.progress({ ...e, project: name }),
          });
          const images = { ...kept, ...made.images };
          // Written before acting on the cluster, once the digests are known: the record's pins are what
          // the watcher's repairs restore (a failed build leaves the last record in place).
          await remember(previous, name, source, scale, pinned(desired, images), o);
          const now = await observeSwarm(swarm, name, desired);
          return { plan: planSwarm(desired, now, { ...planOptions, images }), observed: now };
        },
        warnings,
        observed,
        env,
      );
    },

    async down(record, o) {
      const name = record.name;
      await store.remove(name);
      const observed = await observeSwarm(swarm, name, record.swarm);
      const plan = planSwarmDown(record.swarm, observed, {
        ...(o.volumes ? { volumes: true } : {}),
        ...(o.removeOrphans ? { removeOrphans: true } : {}),
      });
      return runPlan(name, 'down', plan, [], observed);
    },

    async scale(record, replicas) {
      const loaded = await load(record.source);
      if (!loaded.ok) {
        throw new OrcError('INVALID_PROJECT', loaded.errors.map(formatProblem).join('\n'), {
          errors: loaded.errors,
        });
      }
      for (const s of Object.keys(replicas)) {
        if (!loaded.project.services[s]) throw new OrcError('SERVICE_NOT_FOUND', `no such service: ${s}`);
      }
      const scale = { ...record.scale, ...replicas };
      const t = translate(loaded.project, scale);
      if (!('desired' in t)) throw new OrcError('INVALID_PROJECT', t.errors.map(formatProblem).join('\n'));
      // A scale changes replicas only: the images stay pinned to the digests the last `up` pushed.
      const images = keptPins(record, t.desired, new Set());
      const observed = await observeSwarm(swarm, record.name, t.desired);
      const plan = planSwarm(t.desired, observed, { services: Object.keys(replicas), noDeps: true, images });
      await store.put({
        ...record,
        scale,
        swarm: pinned(t.desired, images),
        updatedAt: new Date().toISOString(),
      });
      return runPlan(record.name, 'scale', plan, [], observed, record.source.env);
    },

    async restart(record, services) {
      if (!record.swarm)
        throw new OrcError('PROJECT_NOT_FOUND', `project ${record.name} has no desired state`);
      const observed = await observeSwarm(swarm, record.name, record.swarm);
      const plan = planSwarm(record.swarm, observed, {
        ...(services.length ? { services } : {}),
        noDeps: true,
        forceUpdate: true,
      });
      return runPlan(record.name, 'restart', plan, [], observed, record.source.env);
    },

    async repair(record, reason) {
      if (!record.swarm) return [];
      const observed = await observeSwarm(swarm, record.name, record.swarm);
      const plan = planSwarm(record.swarm, observed, {});
      const work = plan.operations.filter((op) => op.kind !== 'wait-service');
      if (work.length === 0 || plan.problems.length) return [];
      const causes = [...new Set(work.map((op) => `${op.name}: ${op.cause}`))];
      ctx.bus.publish({
        type: 'repair',
        project: record.name,
        action: 'repair',
        reason: `${reason}; ${causes.join('; ')}`,
      });
      const handle = runPlan(record.name, 'repair', plan, [], observed, record.source.env);
      const done = await handle.done;
      if (done.error)
        ctx.log.warn('swarm repair failed', { project: record.name, error: done.error.message });
      return causes;
    },

    async summary(record) {
      const observed = await observeSwarm(swarm, record.name, record.swarm);
      return swarmSummary(record, observed);
    },

    logs: (record, o, signal) => swarmLogs(swarm, record, o, signal),
  };
}

/** compose's `pull_policy` per service as the local target reads it (`if_not_present` is `missing`). */
function pullPolicies(project: Project): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, service] of Object.entries(project.services)) {
    const policy = service.pull_policy;
    out[name] = policy === 'if_not_present' ? 'missing' : (policy ?? 'missing');
  }
  return out;
}

/** The desired state with the services' images pinned (`name:tag@sha256:…`). */
function pinned(desired: DesiredSwarm, images: Record<string, string>): DesiredSwarm {
  if (Object.keys(images).length === 0) return desired;
  return {
    ...desired,
    services: desired.services.map((s) => {
      const image = images[s.name];
      return image ? withSwarmImage(s, image) : s;
    }),
  };
}

/**
 * The digests an earlier `up` pinned for services this one leaves alone, while their `image:` is still the
 * same name and tag (a pin of another image would run the wrong bits).
 */
export function keptPins(
  previous: ProjectRecord | undefined,
  desired: DesiredSwarm,
  selected: ReadonlySet<string>,
): Record<string, string> {
  if (!isSwarmRecord(previous) || !previous.swarm) return {};
  const before = new Map(
    previous.swarm.services.map((s) => [s.name, s.spec.TaskTemplate.ContainerSpec.Image]),
  );
  const out: Record<string, string> = {};
  for (const s of desired.services) {
    if (selected.has(s.name)) continue;
    const image = before.get(s.name);
    const at = image?.indexOf('@') ?? -1;
    if (image && at > 0 && sameName(image.slice(0, at), s.image)) out[s.name] = image;
  }
  return out;
}

/** `reg/app:1` and `reg/app:1@sha256:…` name the same tag; `reg/app` is `reg/app:latest`. */
function sameName(a: string, b: string): boolean {
  const tagged = (x: string) => {
    const bare = x.replace(/@.*$/, '');
    return bare.lastIndexOf(':') > bare.lastIndexOf('/') ? bare : `${bare}:latest`;
  };
  return tagged(a) === tagged(b);
}

/** `ps`: one row per task (name, node, desired and current state, error, ports). */
export function swarmSummary(record: SwarmRecord, observed: ObservedSwarm): ProjectSummary {
  const imageOf = new Map(
    observed.services.map((s) => [s.id, s.spec.TaskTemplate?.ContainerSpec?.Image ?? '']),
  );
  const nameOf = new Map(observed.services.map((s) => [s.id, s.name]));
  // Tasks Swarm replaced on purpose (an update, a scale down) are history; failed ones stay visible.
  const shown = observed.tasks.filter((t) => !(t.desiredState === 'shutdown' && t.state === 'shutdown'));
  const containers: ContainerSummary[] = shown
    .sort((a, b) => a.service.localeCompare(b.service) || (a.slot ?? 0) - (b.slot ?? 0))
    .map((t) =>
      taskRow(record.name, t, nameOf.get(t.serviceId) ?? t.service, imageOf.get(t.serviceId) ?? ''),
    );
  const running = containers.filter((c) => c.State === 'running').length;
  const other = containers.length - running;
  return {
    name: record.name,
    workingDir: record.swarm?.working_dir ?? record.source.workingDir,
    configFiles: record.swarm?.config_files ?? [],
    registered: true,
    target: 'swarm',
    status:
      [running ? `running(${running})` : '', other ? `other(${other})` : ''].filter(Boolean).join(', ') ||
      'none',
    services: (record.swarm?.services ?? []).map((s) => ({
      name: s.name,
      desired: 'running',
      replicas: s.replicas,
    })),
    containers,
  };
}

function taskRow(
  project: string,
  t: ObservedSwarmTask,
  serviceName: string,
  image: string,
): ContainerSummary {
  const name = `${serviceName}.${t.slot ?? t.nodeId ?? ''}`;
  const status = `${t.state}${t.desiredState !== t.state ? ` (desired ${t.desiredState})` : ''}${t.error ? `: ${t.error}` : ''}`;
  return {
    ID: t.id,
    Name: name,
    Service: t.service,
    Project: project,
    Number: t.slot ?? 0,
    State: t.state,
    Health: '',
    ExitCode: t.exitCode ?? 0,
    Image: image.replace(/@sha256:[0-9a-f]+$/, ''),
    Command: '',
    Created: t.timestamp ?? '',
    Status: status,
    RestartCount: 0,
    // The engine lists a host-mode port once per address family: one row each.
    Publishers: uniquePorts(t.ports).map((p) => ({
      URL: '0.0.0.0',
      TargetPort: p.targetPort,
      PublishedPort: p.publishedPort ?? 0,
      Protocol: p.protocol,
      Mode: p.publishMode,
    })),
    Networks: [],
    Node: t.node ?? t.nodeId ?? '',
    DesiredState: t.desiredState,
    CurrentState: t.state,
    Error: t.error ?? '',
  };
}

function uniquePorts(ports: ObservedSwarmTask['ports']): ObservedSwarmTask['ports'] {
  const seen = new Map(
    ports.map((p) => [`${p.protocol}/${p.targetPort}/${p.publishedPort}/${p.publishMode}`, p]),
  );
  return [...seen.values()];
}

/** Service logs across nodes (the manager gathers them), one stream per service, merged. */
async function* swarmLogs(
  swarm: SwarmEngine,
  record: SwarmRecord,
  o: LogOptions,
  signal: AbortSignal,
): AsyncIterable<LogLine> {
  const observed = await observeSwarm(swarm, record.name, record.swarm);
  const wanted = observed.services.filter((s) => {
    const compose = s.labels['dev.orc.service'] ?? s.name;
    return !o.services?.length || o.services.includes(compose);
  });
  const taskName = new Map(
    observed.tasks.map((t) => [
      t.id,
      `${observed.services.find((s) => s.id === t.serviceId)?.name}.${t.slot ?? t.nodeId}`,
    ]),
  );
  const queue: LogLine[] = [];
  let wake: (() => void) | undefined;
  let open = wanted.length;
  const push = (l: LogLine) => {
    queue.push(l);
    wake?.();
  };
  for (const s of wanted) {
    const compose = s.labels['dev.orc.service'] ?? s.name;
    void (async () => {
      try {
        const stream = await swarm.serviceLogs(s.id, {
          follow: o.follow ?? false,
          ...(o.tail !== undefined ? { tail: Number(o.tail) } : {}),
          ...(o.since ? { since: o.since } : {}),
          signal,
        });
        const parser = createLogParser(false, (streamName, raw) => {
          const { time, line } = splitTimestamp(raw);
          // `details=true`: "com.docker.swarm.node.id=…,com.docker.swarm.service.id=…,com.docker.swarm.task.id=… text"
          const sp = line.indexOf(' ');
          const details = sp > 0 && line.startsWith('com.docker.swarm') ? line.slice(0, sp) : '';
          const text = details ? line.slice(sp + 1) : line;
          const task = /com\.docker\.swarm\.task\.id=([a-z0-9]+)/.exec(details)?.[1] ?? '';
          push({
            service: compose,
            container: taskName.get(task) ?? `${s.name}.${task.slice(0, 12)}`,
            stream: streamName,
            time,
            line: text,
          });
        });
        for await (const chunk of stream) parser.push(Buffer.from(chunk as Buffer));
        parser.end();
      } catch {
        // A stream that breaks ends this service's lines (an aborted follow, a removed service).
      } finally {
        open--;
        wake?.();
      }
    })();
  }
  while (open > 0 || queue.length) {
    if (signal.aborted) return;
    if (!queue.length) {
      await new Promise<void>((r) => {
        wake = r;
      });
      wake = undefined;
      continue;
    }
    if (!o.follow && open > 0) {
      await new Promise<void>((r) => {
        wake = r;
      });
      wake = undefined;
      continue;
    }
    const batch = queue.splice(0).sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
    yield* batch;
  }
}
