/**
 * `planServiceAction()`: start / stop / restart / kill / pause / unpause / rm of some services, each as
 * small ops in dependency order (starts and restarts: dependencies first; stops: dependents first).
 */
import type { DesiredService, DesiredState } from '@orc/spec';
import type { ObservedContainer, ObservedProject } from '../observe/types.js';
import { addAfter, addError, addOp, addWarning, type Draft, finishPlan, newDraft } from './draft.js';
import { addHooks } from './hooks.js';
import { removeContainerId, startContainerId, stopContainerId, waitId } from './ids.js';
import { isActive } from './infra.js';
import { stopSettings } from './service.js';
import { dependenciesOf, dependentsOf } from './services.js';
import type { OpId, Plan, PlanServiceAction, PlanServiceActionOptions } from './types.js';

const UNTIL = {
  service_started: 'running',
  service_healthy: 'healthy',
  service_completed_successfully: 'exited-0',
} as const;

export function planServiceAction(
  desired: DesiredState | undefined,
  observed: ObservedProject,
  action: PlanServiceAction,
  options: PlanServiceActionOptions = {},
): Plan {
  const draft = newDraft(desired?.project ?? observed.project);
  const services = new Map((desired?.services ?? []).map((s) => [s.name, s]));
  const known = new Set([
    ...services.keys(),
    ...observed.containers.filter((c) => !c.oneoff).map((c) => c.service),
  ]);
  const names = options.services && options.services.length > 0 ? options.services : [...known];
  for (const name of names)
    if (!known.has(name)) addError(draft, 'UNKNOWN_SERVICE', `no such service: ${name}`);
  const chosen = new Set(names.filter((n) => known.has(n)));
  // compose's kill acts on the services the project declares, orphans only with --remove-orphans (a
  // project known only from the engine declares every service it has containers of).
  if (action === 'kill' && desired && !options.removeOrphans) {
    for (const n of chosen) if (!services.has(n)) chosen.delete(n);
  }
  // compose: restarting a service restarts the dependents that declare `depends_on: {restart: true}`.
  if (action === 'restart' && !options.noDeps) {
    for (let grew = true; grew; ) {
      grew = false;
      for (const s of services.values()) {
        const follows = Object.entries(s.depends_on).some(([dep, d]) => d.restart && chosen.has(dep));
        if (follows && !chosen.has(s.name)) {
          chosen.add(s.name);
          grew = true;
        }
      }
    }
  }
  const containers = observed.containers.filter((c) => !c.oneoff && chosen.has(c.service));
  if (action === 'start') {
    for (const name of chosen) {
      if (!containers.some((c) => c.service === name))
        addWarning(draft, `service ${name} has no containers to start; create them with \`orc up\``);
    }
  }
  const cause = `${action} requested`;
  const byService = new Map<string, OpId[]>();
  const note = (service: string, id: OpId) => byService.set(service, [...(byService.get(service) ?? []), id]);

  for (const c of containers) {
    const service = services.get(c.service);
    const stop = stopSettings(service, options);
    const base = { after: [] as OpId[], cause, service: c.service, name: c.name };
    switch (action) {
      case 'start':
        if (c.state === 'exited' || c.state === 'created')
          note(
            c.service,
            addOp(draft, { ...base, kind: 'start-container', id: startContainerId(c.name) }).id,
          );
        break;
      case 'stop':
        if (isActive(c))
          note(
            c.service,
            addOp(draft, {
              ...base,
              kind: 'stop-container',
              id: stopContainerId(c.name),
              containerId: c.id,
              ...stop,
            }).id,
          );
        break;
      case 'restart':
        note(
          c.service,
          addOp(draft, {
            ...base,
            kind: 'restart-container',
            id: `restart-container:${c.name}`,
            containerId: c.id,
            timeoutSeconds: stop.timeoutSeconds,
          }).id,
        );
        break;
      case 'kill':
        // The engine kills a paused container too (measured on 20.10).
        if (isActive(c))
          addOp(draft, {
            ...base,
            kind: 'kill-container',
            id: `kill-container:${c.name}`,
            containerId: c.id,
            signal: options.signal ?? 'SIGKILL',
          });
        break;
      case 'pause':
        if (c.state === 'running')
          addOp(draft, {
            ...base,
            kind: 'pause-container',
            id: `pause-container:${c.name}`,
            containerId: c.id,
          });
        break;
      case 'unpause':
        if (c.state === 'paused')
          addOp(draft, {
            ...base,
            kind: 'unpause-container',
            id: `unpause-container:${c.name}`,
            containerId: c.id,
          });
        break;
      case 'rm':
        planRemove(draft, c, options, stop, cause);
        break;
    }
  }
  if (action === 'start' || action === 'restart')
    orderAfterDependencies(draft, services, containers, byService);
  if (action === 'stop') orderAfterDependents(draft, services, byService);
  addHooks(draft, desired, observed);
  return finishPlan(draft);
}

function planRemove(
  draft: Draft,
  c: ObservedContainer,
  options: PlanServiceActionOptions,
  stop: { timeoutSeconds: number; signal?: string },
  cause: string,
): void {
  const after: OpId[] = [];
  if (isActive(c)) {
    if (!options.stop) {
      addWarning(draft, `container ${c.name} is running and was not removed; stop it first or use \`rm -s\``);
      return;
    }
    after.push(
      addOp(draft, {
        kind: 'stop-container',
        id: stopContainerId(c.name),
        after: [],
        cause,
        service: c.service,
        name: c.name,
        containerId: c.id,
        ...stop,
      }).id,
    );
  }
  addOp(draft, {
    kind: 'remove-container',
    id: removeContainerId(c.name),
    after,
    cause,
    service: c.service,
    name: c.name,
    containerId: c.id,
    volumes: options.volumes ?? false,
  });
}

/** A service starts once its dependencies (those being acted on) are running / healthy / done. */
function orderAfterDependencies(
  draft: Draft,
  services: Map<string, DesiredService>,
  containers: ObservedContainer[],
  byService: Map<string, OpId[]>,
): void {
  for (const [name, ops] of byService) {
    const service = services.get(name);
    if (!service) continue;
    for (const [dep, d] of Object.entries(service.depends_on)) {
      const until = UNTIL[d.condition];
      for (const c of containers.filter((x) => x.service === dep)) {
        const ready = byService.get(dep)?.find((id) => id.endsWith(`:${c.name}`));
        const wait = addOp(draft, {
          kind: 'wait-container',
          id: waitId(c.name, until, d.required),
          after: ready ? [ready] : [],
          cause: `${name} depends on ${dep} (${d.condition})`,
          service: dep,
          name: c.name,
          until,
          required: d.required,
        });
        for (const id of ops) {
          const op = draft.ops.get(id);
          if (op) addAfter(op, wait.id);
        }
      }
    }
    for (const dep of dependenciesOf(service).filter((d) => !(d in service.depends_on))) {
      for (const id of ops) {
        const op = draft.ops.get(id);
        if (op) addAfter(op, ...(byService.get(dep) ?? []));
      }
    }
  }
}

function orderAfterDependents(
  draft: Draft,
  services: Map<string, DesiredService>,
  byService: Map<string, OpId[]>,
) {
  const dependents = dependentsOf([...services.values()]);
  for (const [name, ops] of byService) {
    for (const dependent of dependents.get(name) ?? []) {
      for (const id of ops) {
        const op = draft.ops.get(id);
        if (op) addAfter(op, ...(byService.get(dependent) ?? []));
      }
    }
  }
}
