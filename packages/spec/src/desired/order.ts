import type { Project, Service } from '../model/project.js';
import { DesiredStateError } from './errors.js';

/**
 * Services this one needs before it can be created: `depends_on`, the service whose network
 * namespace it joins (`network_mode: service:x`), services it takes volumes from, and links.
 * Only services present in the project count (a disabled optional dependency is not waited for).
 */
export function serviceDependencies(service: Service, project: Project): string[] {
  const deps = new Set<string>(Object.keys(service.depends_on ?? {}));
  for (const used of usedServices(service)) deps.add(used);
  for (const link of service.links ?? []) deps.add(link.split(':')[0] ?? link);
  deps.delete(service.name);
  return [...deps].filter((name) => name in project.services).sort();
}

/** Services whose containers this one shares a namespace or volumes with. */
export function usedServices(service: Service): string[] {
  const used = new Set<string>();
  const mode = service.network_mode;
  if (mode?.startsWith('service:')) used.add(mode.slice('service:'.length));
  for (const ref of [service.ipc, service.pid]) if (ref?.startsWith('service:')) used.add(ref.slice(8));
  for (const entry of service.volumes_from ?? []) {
    if (entry.startsWith('container:')) continue;
    used.add(entry.split(':')[0] ?? entry);
  }
  used.delete(service.name);
  return [...used].sort();
}

/** Dependencies first; among services that are ready at the same time, by name (Kahn with a sorted queue). */
export function dependencyOrder(project: Project): string[] {
  const names = Object.keys(project.services).sort();
  const pending = new Map<string, Set<string>>();
  const dependents = new Map<string, string[]>();
  for (const name of names) {
    const deps = serviceDependencies(project.services[name] as Service, project);
    pending.set(name, new Set(deps));
    for (const dep of deps) {
      const list = dependents.get(dep);
      if (list) list.push(name);
      else dependents.set(dep, [name]);
    }
  }
  // Kept sorted from last to first, so the next (smallest) name is popped; a sort and a shift per
  // step cost ~4 ms on 1,000 services.
  const ready = names.filter((n) => pending.get(n)?.size === 0).reverse();
  const order: string[] = [];
  while (ready.length > 0) {
    const next = ready.pop() as string;
    order.push(next);
    for (const dependent of dependents.get(next) ?? []) {
      const waiting = pending.get(dependent);
      waiting?.delete(next);
      if (waiting?.size === 0) insertDescending(ready, dependent);
    }
  }
  if (order.length < names.length) {
    const stuck = names.filter((n) => !order.includes(n));
    throw new DesiredStateError(
      'DEPENDENCY_CYCLE',
      `services depend on each other in a cycle: ${stuck.join(', ')}`,
      {
        hint: 'remove one of the depends_on / network_mode / volumes_from / links entries between them',
      },
    );
  }
  return order;
}

/** Inserts `name` into `list`, sorted from last to first (as `sort()` orders strings). */
function insertDescending(list: string[], name: string): void {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((list[mid] as string) > name) lo = mid + 1;
    else hi = mid;
  }
  list.splice(lo, 0, name);
}
