/**
 * What to do for one service's image: use what is there, pull, build, or refuse. A pure function of the
 * service's pull_policy, the command line (`--pull`, `--build`, `--no-build`) and what the engine has, so
 * it is table-tested without Docker.
 */
import { ImageError } from '../contract/image-errors.js';

export type PullOverride = 'always' | 'missing' | 'never' | 'policy';

export type PullPolicy =
  | { kind: 'always' }
  | { kind: 'missing' }
  | { kind: 'never' }
  | { kind: 'build' }
  /** `daily`, `weekly`, `every_<duration>`: pull when the last pull is older than this. */
  | { kind: 'refresh'; everyMs: number };

const UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/** Go-style durations (`12h`, `1h30m`, `90s`) as compose-go reads them, plus `d` and `w`. */
export function parseDuration(text: string): number | undefined {
  const whole = /^(?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h|d|w))+$/;
  if (!whole.test(text)) return undefined;
  let total = 0;
  for (const m of text.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h|d|w)/g)) {
    total += Number(m[1]) * (UNIT_MS[m[2]!] ?? 0);
  }
  return total > 0 ? total : undefined;
}

export function parsePullPolicy(policy: string | undefined, service?: string): PullPolicy {
  const p = (policy ?? '').trim() || 'missing';
  switch (p) {
    case 'always':
      return { kind: 'always' };
    case 'missing':
    case 'if_not_present':
      return { kind: 'missing' };
    case 'never':
      return { kind: 'never' };
    case 'build':
      return { kind: 'build' };
    case 'daily':
      return { kind: 'refresh', everyMs: 86_400_000 };
    case 'weekly':
      return { kind: 'refresh', everyMs: 604_800_000 };
  }
  if (p.startsWith('every_')) {
    const everyMs = parseDuration(p.slice('every_'.length));
    if (everyMs) return { kind: 'refresh', everyMs };
  }
  throw new ImageError(
    'INVALID_PULL_POLICY',
    `${service ? `service ${service}: ` : ''}unknown pull_policy "${p}"; use always, missing, never, build, daily, weekly or every_<duration> (e.g. every_12h)`,
    service ? { service } : {},
  );
}

export interface ImageDecisionInput {
  service: string;
  image: string;
  pullPolicy: string;
  override?: PullOverride;
  /** The image is present locally. */
  present: boolean;
  /** Last successful pull (ms since epoch), for refresh policies. */
  lastPulledAt?: number;
  now: number;
  hasBuild: boolean;
  /**
   * The image name is the build-only default (`<project>-<service>`): never pulled (it was never pushed
   * anywhere), and `pull_policy: build` on it (what the desired state gives build-only services) means
   * "build when missing", not "rebuild on every up".
   */
  defaultName: boolean;
  forceBuild?: boolean;
  noBuild?: boolean;
  /**
   * The supervisor's repair pass: an image that is present is used as it is, whatever the policy
   * (`always` or `build` would otherwise pull or rebuild on every pass).
   */
  converge?: boolean;
}

export type ImageDecision =
  | { action: 'use'; reason: string }
  | { action: 'pull'; reason: string /** Build if the pull fails. */; fallbackToBuild: boolean }
  | { action: 'build'; reason: string }
  | { action: 'fail'; error: ImageError };

export function decideImage(input: ImageDecisionInput): ImageDecision {
  const { present, hasBuild, noBuild, service, image } = input;
  const canBuild = hasBuild && !noBuild;
  const policy = parsePullPolicy(input.pullPolicy, service);
  const missingError = (why: string) =>
    new ImageError('IMAGE_MISSING', `service ${service}: image ${image} is not present locally and ${why}`, {
      service,
      image,
    });

  if (input.converge && present) return { action: 'use', reason: 'present' };
  if (input.forceBuild && canBuild) return { action: 'build', reason: '--build' };
  const overridden = input.override !== undefined && input.override !== 'policy';
  if (policy.kind === 'build' && canBuild && !input.defaultName && !overridden) {
    return { action: 'build', reason: 'pull_policy: build' };
  }
  const pullable = !(hasBuild && (input.defaultName || policy.kind === 'build'));

  const kind: PullPolicy['kind'] = overridden
    ? (input.override as Exclude<PullOverride, 'policy'>)
    : policy.kind === 'build'
      ? 'missing'
      : policy.kind;

  switch (kind) {
    case 'never':
      if (present) return { action: 'use', reason: 'present' };
      if (canBuild) return { action: 'build', reason: 'missing' };
      return {
        action: 'fail',
        error: missingError(
          'pull_policy is never; pull it (`orc pull`, `docker pull`) or change pull_policy/--pull',
        ),
      };
    case 'always':
      if (pullable) return { action: 'pull', reason: 'pull always', fallbackToBuild: canBuild };
      break;
    case 'refresh': {
      const every = policy.kind === 'refresh' ? policy.everyMs : 0;
      const fresh = input.lastPulledAt !== undefined && input.now - input.lastPulledAt < every;
      if (present && fresh) return { action: 'use', reason: 'pulled recently' };
      if (pullable) {
        return {
          action: 'pull',
          reason: present ? 'last pull is older than the policy allows' : 'missing',
          fallbackToBuild: canBuild && !present,
        };
      }
      break;
    }
    case 'missing':
      break;
  }
  // `missing` (and the cases above that cannot pull). A service with both `image:` and `build:` is pulled
  // first and built only when the pull fails, as compose does (`pullRequiredImages` ignores the failed
  // pull of an image it can build, then builds what is still missing).
  if (present) return { action: 'use', reason: 'present' };
  if (pullable) return { action: 'pull', reason: 'missing', fallbackToBuild: canBuild };
  if (canBuild) return { action: 'build', reason: 'missing' };
  return {
    action: 'fail',
    error: missingError('it has to be built, but --no-build was given; run `orc build` or drop --no-build'),
  };
}
