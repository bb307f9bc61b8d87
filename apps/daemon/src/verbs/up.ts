/**
 * `up`: load the files, write the desired state (before acting), plan against what the engine has, run
 * images first and then the rest, optionally wait for the services.
 */
import type { DesiredState } from '@orc/spec';
import { formatProblem } from '@orc/spec';
import { OrcError } from '../contract/errors.js';
import type { DesiredRunState, LoadFailure, ProjectSource, UpOptions } from '../contract/types.js';
import type { Engine } from '../engine/engine.js';
import { waitForContainer } from '../execute/wait.js';
import type { ObservedProject } from '../observe/types.js';
import { coveredServices, plan as planUp, renderPlan } from '../plan/index.js';
import type { PlanOptions } from '../plan/types.js';
import type { VerbContext } from './context.js';
import { observeFor, planFailure, type RunContext } from './converge.js';
import { assertProjectOwner } from './guard.js';
import { checkLease, claimLease, describeKeeper } from './lease.js';
import { toOperationError } from './operations.js';
import { omit, sameJson } from './record.js';
import { rolledBackDesired } from './rollback.js';
import { assertServicesExist, keptWithoutProblems, selectionFailure } from './selection.js';
import type { OperationHandle } from './types.js';
import { runImagesThenPlan } from './up-phases.js';

export type Up = (source: ProjectSource, o: UpOptions) => Promise<OperationHandle | LoadFailure>;

export function createUp(ctx: VerbContext): Up {
  const { store, ops, run, locks, generations, bus, engine } = ctx;
  return async (source, o) => {
    const loaded = await ctx.load({ ...source, ...(o.services?.length ? { services: o.services } : {}) });
    if (!loaded.ok) return { code: 'INVALID_PROJECT', errors: loaded.errors, warnings: loaded.warnings };
    const project = loaded.project;
    const name = project.name;
    assertServicesExist(project, o.services);
    const previous = await store.get(name);
    // compose: `up` runs the file's replicas plus its own --scale. Overrides (`orc scale`, an earlier
    // --scale) are dropped for the services this up covers; a partial up leaves the others' alone.
    const covering = ctx.toDesired(project, { ...(previous?.scale ?? {}), ...(o.scale ?? {}) });
    if (!('desired' in covering)) return covering;
    const covered = coveredServices(covering.desired, o.services, o.noDeps ?? false);
    // A missing env_file or a container_name clash fails the up only if it covers the services concerned.
    const problem = selectionFailure(project, covered, loaded.warnings);
    if (problem) return problem;
    const scale = { ...(o.services?.length ? omit(previous?.scale ?? {}, covered) : {}), ...(o.scale ?? {}) };
    const d = sameJson(scale, { ...(previous?.scale ?? {}), ...(o.scale ?? {}) })
      ? covering
      : ctx.toDesired(project, scale);
    if (!('desired' in d)) return d;
    const desired = d.desired;
    const generationSeen = generations.get(name) ?? 0;
    // The lease is read in the same round trip as the project (both read-only); its verdict is taken
    // after the owner check below, in the order the two checks always had.
    const leaseRead = ctx
      .identity()
      .then(async (me) => {
        // From memory while no volume was created or removed since the last read (another daemon taking
        // the project removes and creates the lease): a no-op up then sends the engine nothing.
        const lease = { engine, me, readVolume: ctx.observed.volume };
        return { lease, held: await checkLease(lease, name, o.force ?? false) };
      })
      .then(
        (r) => ({ ok: true as const, ...r }),
        (error: unknown) => ({ ok: false as const, error }),
      );
    // From memory when the event stream has kept it fresh (a no-op up lists nothing); the executor's
    // stale-plan requeue lists again if the engine still disagrees.
    const observedEarly = await ctx.observed.read(name, { desired });
    assertProjectOwner(
      observedEarly.containers.map((c) => c.labels),
      name,
      project.working_dir,
      o.force ?? false,
    );
    const runState: Record<string, DesiredRunState> = { ...(previous?.runState ?? {}) };
    for (const s of o.services?.length ? o.services : Object.keys(project.services)) delete runState[s];
    if (o.noStart && o.wait) {
      throw new OrcError('INVALID_REQUEST', 'noStart and wait cannot be combined: nothing would start');
    }
    if (o.noStart && !o.dryRun) keepStoppedWhatIsNot(runState, covered, observedEarly);
    const planOptions: PlanOptions = {
      ...(o.services?.length ? { services: o.services } : {}),
      ...(o.noDeps ? { noDeps: true } : {}),
      ...(o.forceRecreate ? { forceRecreate: true } : {}),
      ...(o.noRecreate ? { noRecreate: true } : {}),
      ...(o.removeOrphans ? { removeOrphans: true } : {}),
      ...(o.timeoutSeconds !== undefined ? { timeoutSeconds: o.timeoutSeconds } : {}),
      ...(o.build ? { build: true } : {}),
      ...(o.noBuild ? { noBuild: true } : {}),
      ...(o.noStart ? { noStart: true } : {}),
      ...(o.alwaysRecreateDeps ? { alwaysRecreateDeps: true } : {}),
      // A user's up follows each service's pull_policy (always, build, daily, ...); the supervisor's passes
      // leave `pull` unset (missing), so they never pull or build in a loop.
      pull: o.pull ?? 'policy',
      // Services left out by profiles are the project's, not orphans.
      disabledServices: Object.keys(project.disabled_services ?? {}),
      desiredRunState: runState,
      startExited: true,
    };
    const warnings = loaded.warnings.map(formatProblem);

    // Read-only before the record is written: a refused up writes nothing and creates nothing.
    const leased = await leaseRead;
    if (!leased.ok) throw leased.error;
    const { lease, held } = leased;
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
      const services = keptWithoutProblems(
        project,
        o.services?.length && (!previous || previous.services)
          ? [...new Set([...(previous?.services ?? []), ...covered])].sort()
          : undefined,
        covered,
      );
      // Written before acting: a crash from here on is repaired by the next start, toward this state; a
      // full state directory fails the up here, before anything is created on the engine.
      await ctx.remember(
        {
          name,
          source,
          runState,
          scale,
          ...(services ? { services } : {}),
          desired,
          leased: true,
          // A detached watch outlives a re-up (only `watch --stop` and `down` end it).
          ...(previous?.watch ? { watch: previous.watch } : {}),
          createdAt: previous?.createdAt ?? now,
          updatedAt: now,
        },
        previous,
      );
      // One keeper per project on the engine (checked above; claimed once the record is safe).
      const { from } = await claimLease(lease, name, held);
      if (from) {
        const reason = `took the project over from ${describeKeeper(from)}`;
        warnings.push(reason);
        bus.publish({ type: 'repair', project: name, action: 'take-over', reason });
      }
    }

    // What we observed is still the truth if no operation on the project ran or is queued since.
    const reusable = !locks.busy(name) && (generations.get(name) ?? 0) === generationSeen;
    return ops.start(
      name,
      'up',
      async (scope) => {
        for (const w of warnings) scope.warn(w);
        const observed = reusable ? observedEarly : await observeFor(run, name, desired);
        const ensure = ctx.ensureFor(desired, source.env, {
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
            await ctx.remember(
              { ...record, desired: back.desired, updatedAt: new Date().toISOString() },
              record,
            );
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
      ctx.underLock(name),
    );
  };
}

/**
 * `up --no-start`: the supervisor would start what this up only creates (it starts `created` containers);
 * a service with no running container is recorded as stopped, so that it waits for `start` or `up`.
 * Running services keep running, as under compose.
 */
function keepStoppedWhatIsNot(
  runState: Record<string, DesiredRunState>,
  covered: Iterable<string>,
  observed: ObservedProject,
): void {
  for (const service of covered) {
    const running = observed.containers.some(
      (c) =>
        c.service === service &&
        !c.oneoff &&
        (c.state === 'running' || c.state === 'restarting' || c.state === 'paused'),
    );
    if (!running) runState[service] = 'stopped';
  }
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
