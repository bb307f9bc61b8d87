/**
 * `orc build` and `orc pull` as long operations: the images module does the work (each distinct build
 * once, build-only images never pulled); here the project is loaded, the services chosen, and the images
 * module's progress turned into the operation's progress lines.
 */
import type { DesiredService, DesiredState, Project } from '@orc/spec';
import { OrcError } from '../contract/errors.js';
import { ImageError } from '../contract/image-errors.js';
import type { PushOptions } from '../contract/objects.js';
import type { BuildOptions, LoadFailure, ProjectSource, PullOptions } from '../contract/types.js';
import type { BatchResult, EnsureImageRequest, ImageProgress, ImageService } from '../images/index.js';
import { withDependencies } from './dependencies.js';
import type { OperationRegistry, OperationScope } from './operations.js';
import { selectionFailure } from './selection.js';
import type { OperationHandle } from './types.js';

export interface ImageOpsDeps {
  images: ImageService;
  ops: OperationRegistry;
  /** Load + desired state of the project (the core's own, with its logging defaults and scale). */
  desired(source: ProjectSource): Promise<{ project: Project; desired: DesiredState } | LoadFailure>;
}

export function chosenServices(desired: DesiredState, services: string[] | undefined): DesiredService[] {
  for (const s of services ?? []) {
    if (!desired.services.some((x) => x.name === s)) {
      throw new OrcError(
        'SERVICE_NOT_FOUND',
        `no such service: ${s} (project ${desired.project} has ${desired.services.map((x) => x.name).join(', ')})`,
      );
    }
  }
  const only = services?.length ? new Set(services) : undefined;
  return desired.services.filter((s) => !only || only.has(s.name));
}

function request(desired: DesiredState, s: DesiredService, env: Record<string, string>): EnsureImageRequest {
  return {
    service: s.name,
    image: s.image,
    pullPolicy: s.pull_policy,
    ...(s.build ? { build: s.build } : {}),
    ...(s.platform ? { platform: s.platform } : {}),
    project: desired.project,
    env,
  };
}

/** Image progress as operation progress; per-layer pull chatter is dropped (one line per image state). */
export function reportImage(scope: OperationScope, project: string, p: ImageProgress): void {
  if (p.layer && p.state === 'working') return;
  const message = p.message ?? p.status;
  scope.progress({
    project,
    kind: 'image',
    resource: p.image,
    action: p.action,
    state: p.state,
    ...(message ? { message } : {}),
  });
}

/** A batch that failed: the first failure's code, every failure named (the others are in `details`). */
function throwFailures(batch: BatchResult, what: string): void {
  const first = batch.failures[0];
  if (!first) return;
  const names = batch.failures.map((f) => f.service).join(', ');
  throw new OrcError(first.error.code, `${what} failed for ${names}: ${first.error.message}`, {
    failures: batch.failures.map((f) => ({
      service: f.service,
      image: f.image,
      code: f.error.code,
      message: f.error.message,
    })),
  });
}

type DesiredLoader<T extends { desired: DesiredState }> = (source: ProjectSource) => Promise<T | LoadFailure>;

/**
 * The project for a command that names services: those named enable their own profiles, as in compose
 * (loaded a second time only then). A name the project does not have at all is SERVICE_NOT_FOUND.
 */
export async function loadNaming<T extends { desired: DesiredState }>(
  load: DesiredLoader<T>,
  source: ProjectSource,
  services: string[] | undefined,
): Promise<T | LoadFailure> {
  const plain = await load(source);
  if ('code' in plain || !services?.length) return plain;
  const known = new Set(plain.desired.services.map((s) => s.name));
  if (services.every((s) => known.has(s))) return plain;
  const again = await load({ ...source, services: [...(source.services ?? []), ...services] });
  if ('code' in again) chosenServices(plain.desired, services);
  return again;
}

export function createImageOps(deps: ImageOpsDeps) {
  const build = async (source: ProjectSource, o: BuildOptions): Promise<OperationHandle | LoadFailure> => {
    const d = await loadNaming(deps.desired, source, o.services);
    if ('code' in d) return d;
    const { desired } = d;
    chosenServices(desired, o.services);
    const named =
      o.withDependencies && o.services?.length ? withDependencies(desired, o.services) : o.services;
    const chosen = chosenServices(desired, named);
    const problem = selectionFailure(
      d.project,
      chosen.map((s) => s.name),
      [],
    );
    if (problem) return problem;
    const services = chosen.filter((s) => s.build);
    const overrides = {
      ...(o.noCache ? { noCache: true } : {}),
      ...(o.pull ? { pull: true } : {}),
      ...(o.buildArgs?.length ? { args: o.buildArgs } : {}),
      ...(o.memory ? { memory: o.memory } : {}),
    };
    const reqs = services.map((s) => ({
      ...request(desired, s, source.env),
      ...(Object.keys(overrides).length ? { buildOverrides: overrides } : {}),
    }));
    return deps.ops.start(desired.project, 'build', async (scope) => {
      if (reqs.length === 0)
        scope.warn('no service to build: none of the chosen services has a build section');
      const batch = await deps.images.buildImages(reqs, (p) => reportImage(scope, desired.project, p));
      for (const r of batch.results) for (const w of r.warnings) scope.warn(w);
      throwFailures(batch, 'build');
    });
  };

  const pull = async (source: ProjectSource, o: PullOptions): Promise<OperationHandle | LoadFailure> => {
    const d = await loadNaming(deps.desired, source, o.services);
    if ('code' in d) return d;
    const { desired } = d;
    chosenServices(desired, o.services);
    const named = o.includeDeps && o.services?.length ? withDependencies(desired, o.services) : o.services;
    const chosen = chosenServices(desired, named);
    const problem = selectionFailure(
      d.project,
      chosen.map((s) => s.name),
      [],
    );
    if (problem) return problem;
    // compose's pull --ignore-buildable: a service that can build its image is not pulled at all.
    const skipped = o.ignoreBuildable ? chosen.filter((s) => s.build) : [];
    const wanted = chosen.filter((s) => !skipped.includes(s)).map((s) => request(desired, s, source.env));
    // compose's `pull --policy` is every service's pull_policy for this pull.
    const policy = o.policy;
    const asked = policy ? wanted.map((r) => ({ ...r, pullPolicy: policy })) : wanted;
    const present =
      o.policy === 'missing'
        ? new Set(
            (
              await Promise.all(
                asked.map(async (r) => ((await deps.images.localDigest(r.image)) ? r : undefined)),
              )
            )
              .filter((r) => r !== undefined)
              .map((r) => r.service),
          )
        : new Set<string>();
    const reqs = asked.filter((r) => !present.has(r.service));
    return deps.ops.start(desired.project, 'pull', async (scope) => {
      for (const r of asked.filter((x) => present.has(x.service))) {
        scope.progress({
          project: desired.project,
          kind: 'image',
          resource: r.image,
          action: 'pull',
          state: 'skipped',
          message: 'image is already present locally',
        });
      }
      for (const s of skipped) {
        scope.progress({
          project: desired.project,
          kind: 'image',
          resource: s.image,
          action: 'pull',
          state: 'skipped',
          message: 'image can be built',
        });
      }
      const batch = await deps.images.pullImages(
        reqs,
        (p) => reportImage(scope, desired.project, p),
        undefined,
        o.ignorePullFailures ? { ignoreFailures: true } : {},
      );
      for (const r of batch.results) for (const w of r.warnings) scope.warn(w);
      // As compose: an image a service can build is not fatal to miss in a registry (`up` builds it).
      const buildable = new Set(reqs.filter((r) => r.build).map((r) => r.service));
      const fatal = batch.failures.filter((f) => !o.ignorePullFailures && !buildable.has(f.service));
      for (const f of batch.failures.filter((x) => !fatal.includes(x))) {
        const why = buildable.has(f.service) ? '; it will be built' : '';
        scope.warn(`pull of ${f.image} (${f.service}) failed${why}: ${f.error.message}`);
      }
      throwFailures({ ...batch, failures: fatal }, 'pull');
    });
  };

  /**
   * compose's push: the services that have both `build:` and `image:` (the others are skipped, as compose
   * does), one after the other; `includeDeps` adds the services they depend on.
   */
  const push = async (source: ProjectSource, o: PushOptions): Promise<OperationHandle | LoadFailure> => {
    const d = await loadNaming(deps.desired, source, o.services);
    if ('code' in d) return d;
    const { desired } = d;
    let names = o.services;
    if (names?.length && o.includeDeps) names = withDependencies(desired, names);
    const chosen = chosenServices(desired, names);
    const reqs = chosen.filter((s) => s.build && s.image).map((s) => request(desired, s, source.env));
    return deps.ops.start(desired.project, 'push', async (scope) => {
      for (const s of chosen.filter((x) => !(x.build && x.image))) {
        scope.progress({
          project: desired.project,
          kind: 'image',
          resource: s.name,
          action: 'push',
          state: 'skipped',
          message: 'no build section: nothing of ours to push',
        });
      }
      for (const r of reqs) {
        try {
          await deps.images.pushImage(r, (p) => reportImage(scope, desired.project, p));
        } catch (err) {
          const error =
            err instanceof ImageError ? err : new ImageError('PUSH_FAILED', (err as Error).message, {});
          if (!o.ignorePushFailures) throw error;
          scope.warn(`push of ${r.image} (${r.service}) failed: ${error.message}`);
        }
      }
    });
  };

  return { build, pull, push };
}
