/** Which services a plan covers, and how they depend on each other. */
import type { DesiredService, DesiredState } from '@orc/spec';
import { addError, type Draft } from './draft.js';

/** Direct dependencies: `depends_on` plus namespaces/volumes shared with (`network_mode: service:x`, `volumes_from`). */
export function dependenciesOf(service: DesiredService): string[] {
  return [...new Set([...Object.keys(service.depends_on), ...service.uses])];
}

/**
 * The services named (plus, unless `noDeps`, everything they depend on, transitively); all when none
 * are named. Unknown names become plan errors.
 */
export function selectServices(
  desired: DesiredState,
  names: string[] | undefined,
  noDeps: boolean,
  draft: Draft,
): Set<string> {
  const byName = new Map(desired.services.map((s) => [s.name, s]));
  if (!names || names.length === 0) return new Set(byName.keys());
  const selected = new Set<string>();
  const visit = (name: string) => {
    if (selected.has(name)) return;
    const service = byName.get(name);
    if (!service) return;
    selected.add(name);
    if (!noDeps) for (const dep of dependenciesOf(service)) visit(dep);
  };
  for (const name of names) {
    if (!byName.has(name)) {
      addError(
        draft,
        'UNKNOWN_SERVICE',
        `no such service: ${name} (services: ${[...byName.keys()].join(', ')})`,
      );
      continue;
    }
    visit(name);
  }
  return selected;
}

/**
 * The services an operation on `names` covers (with their dependencies unless `noDeps`), sorted; every
 * service when none are named. What the daemon records as the set it keeps converged.
 */
export function coveredServices(
  desired: DesiredState,
  names: string[] | undefined,
  noDeps: boolean,
): string[] {
  const draft = {
    project: desired.project,
    ops: new Map(),
    warnings: [],
    errors: [],
    disconnects: new Map(),
  };
  return [...selectServices(desired, names, noDeps, draft)].sort();
}

/** Service → the services that depend on it directly (for stopping in reverse order). */
export function dependentsOf(services: DesiredService[]): Map<string, string[]> {
  const dependents = new Map<string, string[]>();
  for (const s of services) {
    for (const dep of dependenciesOf(s)) {
      const list = dependents.get(dep) ?? [];
      list.push(s.name);
      dependents.set(dep, list);
    }
  }
  return dependents;
}
