import type { ServiceProblem, SpecProblem } from '../model/errors.js';
import type { Project } from '../model/project.js';

/**
 * The problems of `project` that fail a command acting on `selected` (its services after any
 * depends_on expansion the command does; every service for `up` or `config` naming none). A problem
 * applies when all of its services are selected: a missing env_file when its service is, a
 * container_name clash when both services of the pair are. Pure: no files, no engine.
 *
 * Returned as plain located problems (the `services` field dropped), in the order the loader found
 * them, so a command that selects everything fails exactly as the load used to.
 */
export function problemsFor(project: Project, selected: Iterable<string>): SpecProblem[] {
  const chosen = new Set(selected);
  const out: SpecProblem[] = [];
  const seen = new Set<string>();
  for (const p of project.serviceProblems ?? []) {
    if (!p.services.every((s) => chosen.has(s))) continue;
    // Clashes are recorded pairwise in file order: the first pair that applies at a place names the
    // first selected service using that name, as the whole-project check did; later pairs there repeat it.
    // A problem of one service is its own: two at one place (a port that is a range and an ingress port
    // on dnsrr) are both listed.
    const pair = p.services.length > 1 ? '' : p.message;
    const at = `${p.code}\u0000${p.path ?? ''}\u0000${p.file ?? ''}\u0000${pair}`;
    if (seen.has(at)) continue;
    seen.add(at);
    out.push(withoutServices(p));
  }
  return out;
}

function withoutServices(p: ServiceProblem): SpecProblem {
  const { services: _services, ...rest } = p;
  return rest;
}
