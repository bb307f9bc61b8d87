import type { PathProblem } from '../normalize/context.js';
import { composeFileShape } from './compose-schema.js';
import { checkShape } from './shape.js';

/**
 * Top-level keys that compose knows and orc does not support: refused by name, with why and what to do,
 * instead of as an unknown key (which would suggest a typo).
 */
export const UNSUPPORTED_TOP_LEVEL: Readonly<Record<string, { message: string; hint: string }>> = {
  jobs: {
    message:
      'top-level "jobs" is not supported by orc: compose\'s jobs (containers that run to completion, started by `docker compose run` or on a cron schedule) are experimental and run by Docker Engine\'s jobs extension, which orc does not drive',
    hint: 'declare the job as a service (with `profiles: [jobs]` so that `up` leaves it out) and start it with `orc run SERVICE`',
  },
};

/** Checks one (interpolated) compose file against the specification: every problem, with its path. */
export function validateComposeFile(tree: unknown): PathProblem[] {
  const out: PathProblem[] = [];
  checkShape(composeFileShape, tree, [], out);
  return out.map((p) => {
    const known =
      p.code === 'UNKNOWN_KEY' && p.path.length === 1 ? UNSUPPORTED_TOP_LEVEL[String(p.path[0])] : undefined;
    return known ? { code: 'NOT_SUPPORTED', path: p.path, at: 'key', ...known } : p;
  });
}
