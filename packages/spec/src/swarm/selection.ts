import type { Project } from '../model/project.js';

/**
 * The services a swarm `up` acts on: the named ones with everything they `depends_on`, transitively
 * (the planner creates those too), or only the named ones with `noDeps`; every service when none is
 * named. Its problems are the ones that must stop the command: a dependency that Swarm cannot run is
 * refused as the named service is, never created with a field silently dropped.
 */
export function swarmCovered(project: Project, services?: readonly string[], noDeps = false): string[] {
  if (!services?.length) return Object.keys(project.services).sort();
  const out = new Set<string>();
  const add = (name: string): void => {
    const service = project.services[name];
    if (!service || out.has(name)) return;
    out.add(name);
    if (!noDeps) for (const dep of Object.keys(service.depends_on ?? {})) add(dep);
  };
  for (const name of services) add(name);
  return [...out].sort();
}
