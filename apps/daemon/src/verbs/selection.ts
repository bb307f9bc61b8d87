/**
 * Service problems (a missing env_file, a container_name clash) fail only the commands that act on the
 * services concerned, as compose checks them per command: `up a` works while `b`'s env_file is missing,
 * `up` (everything) and `up b` fail with the located error the load used to give. The rule itself is
 * packages/spec's `problemsFor`; here the verbs turn it into their load failure.
 */
import { type DesiredStateError, type Project, problemsFor, type SpecWarning } from '@orc/spec';
import { OrcError } from '../contract/errors.js';
import type { LoadFailure } from '../contract/types.js';

/** A service named on the command line that the project does not have: refused before anything is done. */
export function assertServicesExist(project: Project, services: string[] | undefined): void {
  for (const s of services ?? []) {
    if (!project.services[s]) {
      throw new OrcError(
        'SERVICE_NOT_FOUND',
        `no such service: ${s} (project ${project.name} has ${Object.keys(project.services).join(', ')})`,
      );
    }
  }
}

/** The load failure of a command acting on `selected` (after its depends_on expansion), if any applies. */
export function selectionFailure(
  project: Project,
  selected: Iterable<string>,
  warnings: SpecWarning[],
): LoadFailure | undefined {
  const errors = problemsFor(project, selected);
  return errors.length > 0 ? { code: 'INVALID_PROJECT', errors, warnings } : undefined;
}

/** What only the whole project shows (the desired state refused it), as the load failure the client gets. */
export function desiredStateFailure(err: DesiredStateError): LoadFailure {
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

/**
 * The services the supervisor keeps converged after a partial command acted on `acted`: `kept` (undefined
 * = every service) without the services of problems that apply to it but that the command did not face.
 * Else a partial `up a` after a full `up` would have the supervisor recreate `b` without its env_file,
 * or start both services of a clash. Undefined stays undefined when nothing is left out.
 */
export function keptWithoutProblems(
  project: Project,
  kept: string[] | undefined,
  acted: Iterable<string>,
): string[] | undefined {
  const set = new Set(kept ?? Object.keys(project.services));
  const faced = new Set(acted);
  let dropped = false;
  for (const p of project.serviceProblems ?? []) {
    if (!p.services.every((s) => set.has(s))) continue;
    for (const s of p.services) {
      if (faced.has(s) || !set.has(s)) continue;
      set.delete(s);
      dropped = true;
    }
  }
  if (!dropped) return kept;
  return [...set].sort();
}
