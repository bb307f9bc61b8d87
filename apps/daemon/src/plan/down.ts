/**
 * `planDown()`: stop containers in reverse dependency order (a service stops once everything depending
 * on it has stopped; services of the same level stop in parallel), remove them, then the project's
 * networks and, only with `volumes`, its named volumes (never external ones).
 */
import type { DesiredService, DesiredState } from '@orc/spec';
import type { ObservedContainer, ObservedProject } from '../observe/types.js';
import { addAfter, addOp, addWarning, finishPlan, newDraft } from './draft.js';
import { addHooks } from './hooks.js';
import { removeContainerId, removeNetworkId, stopContainerId } from './ids.js';
import { isActive } from './infra.js';
import { stopSettings } from './service.js';
import { dependentsOf } from './services.js';
import type { OpId, Plan, PlanDownOptions } from './types.js';
import { orphanWarning, providerOp } from './up.js';

/** `desired` may be absent: a project known only from the engine's labels is taken down whole. */
export function planDown(
  desired: DesiredState | undefined,
  observed: ObservedProject,
  options: PlanDownOptions = {},
): Plan {
  const draft = newDraft(desired?.project ?? observed.project);
  const services = new Map((desired?.services ?? []).map((s) => [s.name, s]));
  const only = options.services && options.services.length > 0 ? new Set(options.services) : undefined;
  const disabled = new Set(options.disabledServices ?? []);
  const orphan = (c: ObservedContainer) =>
    desired !== undefined && !c.oneoff && !services.has(c.service) && !disabled.has(c.service);

  const leaving: ObservedContainer[] = [];
  const staying: ObservedContainer[] = [];
  for (const c of observed.containers) {
    const chosen = only ? only.has(c.service) && !c.oneoff : !orphan(c) || options.removeOrphans;
    (chosen ? leaving : staying).push(c);
  }
  const orphansLeft = staying.filter(orphan);
  if (!only && orphansLeft.length > 0) addWarning(draft, orphanWarning(orphansLeft));

  // Dependents first: each level of the dependency graph is one wave of parallel stops.
  const dependents = dependentsOf([...services.values()] as DesiredService[]);
  const depth = depthFrom(dependents);
  leaving.sort((a, b) => depth(a.service) - depth(b.service));
  const stops = new Map<string, OpId[]>();
  for (const c of leaving) {
    if (!isActive(c)) continue;
    const op = addOp(draft, {
      kind: 'stop-container',
      id: stopContainerId(c.name),
      after: [],
      cause: 'down',
      service: c.service,
      name: c.name,
      containerId: c.id,
      ...stopSettings(services.get(c.service), options),
    });
    stops.set(c.service, [...(stops.get(c.service) ?? []), op.id]);
  }
  // A dependency stops after its dependents, so nothing loses a service it still uses.
  for (const c of leaving) {
    const op = draft.ops.get(stopContainerId(c.name));
    if (!op) continue;
    for (const dependent of dependents.get(c.service) ?? []) {
      for (const id of stops.get(dependent) ?? []) if (!op.after.includes(id)) op.after.push(id);
    }
  }
  addHooks(draft, desired, observed);
  for (const service of services.values()) {
    if (!service.provider || (only && !only.has(service.name))) continue;
    // Taken down once nothing that uses it runs any more, as a container dependency would be.
    const op = providerOp(draft, service, 'down');
    for (const dependent of dependents.get(service.name) ?? []) addAfter(op, ...(stops.get(dependent) ?? []));
  }
  const removals: OpId[] = leaving.map(
    (c) =>
      addOp(draft, {
        kind: 'remove-container',
        id: removeContainerId(c.name),
        after: draft.ops.has(stopContainerId(c.name)) ? [stopContainerId(c.name)] : [],
        cause: 'down',
        service: c.service,
        name: c.name,
        containerId: c.id,
        volumes: options.volumes ?? false,
      }).id,
  );
  if (only) return finishPlan(draft);

  const external = new Set([
    ...(desired?.networks ?? []).filter((n) => n.external).map((n) => n.name),
    ...(desired?.volumes ?? []).filter((v) => v.external).map((v) => v.name),
  ]);
  for (const network of observed.networks) {
    if (external.has(network.name)) continue;
    const users = staying.filter((c) => Object.values(c.networks).some((e) => e.networkId === network.id));
    if (users.length > 0) {
      addWarning(
        draft,
        `network ${network.name} is kept: still in use by ${users.map((c) => c.name).join(', ')}`,
      );
      continue;
    }
    addOp(draft, {
      kind: 'remove-network',
      id: removeNetworkId(network.id),
      after: removals,
      cause: 'down',
      name: network.name,
      networkId: network.id,
    });
  }
  if (!options.volumes) return finishPlan(draft);
  for (const volume of observed.volumes) {
    if (external.has(volume.name)) continue;
    const users = staying.filter((c) => c.mounts.some((m) => m.type === 'volume' && m.name === volume.name));
    if (users.length > 0) {
      addWarning(
        draft,
        `volume ${volume.name} is kept: still in use by ${users.map((c) => c.name).join(', ')}`,
      );
      continue;
    }
    addOp(draft, {
      kind: 'remove-volume',
      id: `remove-volume:${volume.name}`,
      after: removals,
      cause: 'down -v',
      name: volume.name,
    });
  }
  return finishPlan(draft);
}

/** 0 for a service nothing depends on, else one more than its deepest dependent. */
function depthFrom(dependents: Map<string, string[]>): (service: string) => number {
  const memo = new Map<string, number>();
  const depth = (service: string, seen: Set<string>): number => {
    const known = memo.get(service);
    if (known !== undefined) return known;
    if (seen.has(service)) return 0;
    seen.add(service);
    const value = Math.max(-1, ...(dependents.get(service) ?? []).map((d) => depth(d, seen))) + 1;
    memo.set(service, value);
    return value;
  };
  return (service) => depth(service, new Set());
}
