/**
 * `orc run`: a one-off container of a service. It carries `com.docker.compose.oneoff=True`, so the planner,
 * the supervisor, `ps` and `logs` leave it alone; its dependencies are started first (as a plain `up` of
 * them that does not register the project), its networks and volumes made if missing.
 */
import { randomBytes } from 'node:crypto';
import type { DesiredState, Project } from '@orc/spec';
import { isOrcError, OrcError } from '../contract/errors.js';
import type { LoadFailure, ProjectSource, RunOptions, UpOptions } from '../contract/types.js';
import type { Engine } from '../engine/engine.js';
import { attachContainer, resizeContainer } from '../engine/oneoff.js';
import { oneOffBody, oneOffDesired, oneOffVolumeKeys, planOneOff, planOneOffStep } from '../plan/oneoff.js';
import type { Plan } from '../plan/types.js';
import { chosenServices, loadNaming } from './images-ops.js';
import { selectionFailure } from './selection.js';
import type { OperationHandle, RunSession } from './types.js';

export interface RunDeps {
  /** Reads only (inspect, attach, wait): every change is a plan that `execute` runs. */
  engine: Engine;
  /** Runs a plan with the executor; `env` and `desired` serve its image step (the client's registry auth). */
  execute(
    plan: Plan,
    env: Record<string, string>,
    desired: DesiredState,
    images?: { build?: boolean; pull?: 'always' | 'missing' | 'never' },
  ): Promise<void>;
  desired(source: ProjectSource): Promise<{ project: Project; desired: DesiredState } | LoadFailure>;
  up(source: ProjectSource, opts: UpOptions): Promise<OperationHandle | LoadFailure>;
}

/** The services `name` depends on, transitively (compose starts them all before the one-off). */
export function dependencies(desired: DesiredState, name: string): string[] {
  const out = new Set<string>();
  const visit = (n: string) => {
    const s = desired.services.find((x) => x.name === n);
    for (const dep of Object.keys(s?.depends_on ?? {})) {
      if (out.has(dep)) continue;
      out.add(dep);
      visit(dep);
    }
  };
  visit(name);
  out.delete(name);
  return [...out].sort();
}

export function createRunner(deps: RunDeps) {
  const { engine } = deps;
  return async (
    source: ProjectSource,
    o: RunOptions,
  ): Promise<{ container: string } | RunSession | LoadFailure> => {
    // Named on the command line, the service enables its own profiles (compose runs a disabled one too).
    const d = await loadNaming(deps.desired, source, [o.service]);
    if ('code' in d) return d;
    const desired = oneOffDesired(d.desired, d.project, o);
    const [svc] = chosenServices(desired, [o.service]);
    if (!svc) throw new OrcError('SERVICE_NOT_FOUND', `no such service: ${o.service}`);

    const deps_ = o.noDeps ? [] : dependencies(desired, svc.name);
    // The one-off's own problems (its env_file); the up below checks the dependencies it starts. A one-off
    // never takes its service's container_name, so it clashes with no one.
    const problem = selectionFailure(d.project, [svc.name], []);
    if (problem) return problem;
    // Refused before anything is started: a bad `-p` or `-v` is the request's fault.
    oneOffBody(svc, desired, o);
    if (deps_.length) {
      const started = await deps.up(source, {
        services: deps_,
        keep: false,
        ...(o.build ? { build: true } : {}),
        ...(o.pull ? { pull: o.pull } : {}),
        ...(o.removeOrphans ? { removeOrphans: true } : {}),
      });
      if ('code' in started) return started;
      const rec = await started.done;
      if (rec.error) {
        throw new OrcError(
          'DEPENDENCY_FAILED',
          `starting the dependencies of ${svc.name} (${deps_.join(', ')}) failed: ${rec.error.message}`,
        );
      }
    }
    // Every change is a plan the executor runs: image, missing networks and volumes, the container, and
    // (detached) its start. Reads stay reads: which networks and volumes exist now.
    const existingNetworks = new Set<string>();
    const existingVolumes = new Set<string>();
    for (const key of svc.networks) {
      const n = desired.networks.find((x) => x.key === key);
      if (n && (await engine.inspectNetwork(n.name))) existingNetworks.add(n.name);
    }
    for (const key of oneOffVolumeKeys(svc, desired, o)) {
      const v = desired.volumes.find((x) => x.key === key);
      if (v && (await engine.inspectVolume(v.name))) existingVolumes.add(v.name);
    }
    const name = o.name ?? `${desired.project}-${svc.name}-run-${randomBytes(6).toString('hex')}`;
    if (o.name) {
      // As `docker run --name`: a name someone holds is refused, and the holder is never touched.
      const holder = await engine.inspectContainer(o.name);
      if (holder) {
        throw new OrcError(
          'NAME_IN_USE',
          `container name ${o.name} is already used by container ${holder.Id.slice(0, 12)}; remove it or choose another --name`,
          { containerId: holder.Id },
        );
      }
    }
    const step = (kind: Parameters<typeof planOneOffStep>[3]) =>
      deps.execute(planOneOffStep(desired.project, svc.name, name, kind), source.env, desired);
    const cleanup = async () => {
      if (o.rm) await step({ kind: 'remove' }).catch(() => undefined);
    };
    try {
      await deps.execute(
        planOneOff({
          desired,
          service: svc,
          name,
          options: o,
          existingNetworks,
          existingVolumes,
          start: o.detach ?? false,
        }),
        source.env,
        desired,
        { ...(o.build ? { build: true } : {}), ...(o.pull ? { pull: o.pull } : {}) },
      );
    } catch (err) {
      // A name taken meanwhile is someone else's container: `rm` must not remove it.
      if (!isOrcError(err, 'NAME_IN_USE') && !isOrcError(err, 'STALE_PLAN')) await cleanup();
      throw err;
    }
    try {
      if (o.detach) return { container: name };
      // Attached before start, so not a byte of its output is missed.
      const stream = await attachContainer(engine, name, o.interactive ?? false);
      await step({ kind: 'start' });
      let code: Promise<number> | undefined;
      let ended = false;
      const exitCode = () => {
        code ??= engine.waitContainer(name).finally(async () => {
          ended = true;
          await cleanup();
        });
        return code;
      };
      return {
        container: name,
        stream,
        tty: o.tty ?? false,
        resize: (rows, cols) => resizeContainer(engine, name, rows, cols),
        exitCode,
        async abandon() {
          if (ended) return;
          // As compose on Ctrl-C: the one-off stops with its client; waiting for it then removes it (rm).
          await step({ kind: 'stop', timeoutSeconds: svc.stop_grace_period }).catch(() => undefined);
          await exitCode().catch(() => undefined);
        },
      };
    } catch (err) {
      await cleanup();
      throw err;
    }
  };
}
