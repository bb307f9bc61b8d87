/** `ensure-image` ops: build or pull what a container needs, as `--build`, `--pull` and pull_policy say. */
import type { DesiredService } from '@orc/spec';
import type { ObservedProject } from '../observe/types.js';
import { addError, addOp, type Draft } from './draft.js';
import type { OpId, PlanOptions } from './types.js';

type Need = { build: boolean; pullPolicy: string; cause: string } | 'present' | 'unavailable';

function need(
  project: string,
  service: DesiredService,
  observed: ObservedProject,
  options: PlanOptions,
  creating: boolean,
): Need {
  const present = observed.images[service.image] !== undefined;
  const policy = options.pull === 'policy' ? service.pull_policy : (options.pull ?? 'missing');
  const buildable = service.build !== undefined && !options.noBuild;
  if (buildable && options.build) return { build: true, pullPolicy: service.pull_policy, cause: '--build' };
  // The build-only default name (`<project>-<service>`) gets policy `build` from the desired state: that
  // means "build when missing" (as the images module reads it), not "rebuild on every up".
  const defaultName = service.image === `${project}-${service.name}`;
  if (buildable && policy === 'build' && !defaultName)
    return { build: true, pullPolicy: 'build', cause: 'pull_policy build' };
  if (policy === 'always') return { build: false, pullPolicy: 'always', cause: 'pull always' };
  // `daily`, `weekly`, `every_<d>`: whether the last pull is old enough is the images module's call (it
  // keeps the pull log); the planner only makes sure it is asked, present image or not.
  if (options.pull === 'policy' && refreshing(policy))
    return { build: false, pullPolicy: policy, cause: `pull_policy ${policy}` };
  if (present || !creating) return 'present';
  if (buildable) return { build: true, pullPolicy: service.pull_policy, cause: 'missing' };
  if (policy === 'never' || service.pull_policy === 'never') return 'unavailable';
  return { build: false, pullPolicy: 'missing', cause: 'missing' };
}

function refreshing(policy: string): boolean {
  return policy === 'daily' || policy === 'weekly' || policy.startsWith('every_');
}

/**
 * The op that makes the service's image available, when one is needed. `creating` = a container of the
 * service is about to be created (a missing image only matters then); `--build`/`--pull always` act anyway.
 */
export function ensureImage(
  draft: Draft,
  service: DesiredService,
  observed: ObservedProject,
  options: PlanOptions,
  creating = true,
): OpId | undefined {
  const n = need(draft.project, service, observed, options, creating);
  if (n === 'present') return undefined;
  if (n === 'unavailable') {
    addError(
      draft,
      'IMAGE_MISSING',
      `image ${service.image} of service ${service.name} is not present and pull_policy is never; pull or build it first`,
    );
    return undefined;
  }
  const id = `ensure-image:${service.image}`;
  const existing = draft.ops.get(id);
  // Several services may share an image: one op, building when any of them builds.
  if (existing?.kind === 'ensure-image') {
    if (n.build && !existing.build)
      Object.assign(existing, { build: true, pullPolicy: n.pullPolicy, cause: n.cause });
    return id;
  }
  return addOp(draft, {
    kind: 'ensure-image',
    id,
    after: [],
    cause: n.cause,
    service: service.name,
    image: service.image,
    pullPolicy: n.pullPolicy,
    build: n.build,
  }).id;
}
