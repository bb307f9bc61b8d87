/**
 * `orc run`'s engine changes as a plan (pure): the image, the service's networks and volumes that are
 * missing (a one-off may come before any `up`), the one-off container itself, and its start when it runs
 * detached (an attached one is started by a second plan, once its output is attached).
 */
import type { ContainerCreateBody, DesiredService, DesiredState } from '@orc/spec';
import type { Operation, Plan } from './types.js';

export interface OneOffInput {
  desired: DesiredState;
  service: DesiredService;
  /** `<project>-<service>-run-<random>`. */
  name: string;
  /** The one-off's create body (see verbs/run.ts): no published ports, no restart policy, no aliases. */
  body: ContainerCreateBody;
  /** Engine names of the service's networks and volumes that exist now. */
  existingNetworks: ReadonlySet<string>;
  existingVolumes: ReadonlySet<string>;
  start: boolean;
}

export function planOneOff(i: OneOffInput): Plan {
  const { desired, service } = i;
  const ops: Operation[] = [];
  const image = `ensure-image:${service.image}`;
  ops.push({
    kind: 'ensure-image',
    id: image,
    after: [],
    cause: 'one-off',
    service: service.name,
    image: service.image,
    pullPolicy: service.pull_policy,
    build: false,
  });
  const infra: string[] = [];
  for (const key of service.networks) {
    const n = desired.networks.find((x) => x.key === key);
    if (!n || n.external || i.existingNetworks.has(n.name)) continue;
    const id = `create-network:${n.name}`;
    ops.push({ kind: 'create-network', id, after: [], cause: 'missing', name: n.name, key, body: n.create });
    infra.push(id);
  }
  for (const key of service.volumes) {
    const v = desired.volumes.find((x) => x.key === key);
    if (!v || v.external || i.existingVolumes.has(v.name)) continue;
    const id = `create-volume:${v.name}`;
    ops.push({ kind: 'create-volume', id, after: [], cause: 'missing', name: v.name, key, body: v.create });
    infra.push(id);
  }
  const create = `create-container:${i.name}`;
  // A one-off must not take the service's traffic: no network alias on any of its networks.
  const endpoints = (service.containers[0]?.endpoints ?? []).map((ep) => {
    const { Aliases: _a, ...settings } = ep.settings ?? {};
    return { ...ep, aliases: [], settings };
  });
  ops.push({
    kind: 'create-container',
    id: create,
    after: [image, ...infra],
    cause: 'one-off',
    service: service.name,
    name: i.name,
    createAs: i.name,
    number: 0,
    body: i.body,
    endpoints,
  });
  if (i.start) {
    ops.push({
      kind: 'start-container',
      id: `start-container:${i.name}`,
      after: [create],
      cause: 'one-off, detached',
      service: service.name,
      name: i.name,
    });
  }
  return { project: desired.project, operations: ops, warnings: [], errors: [] };
}

/** A single step on the one-off (start once attached, stop on Ctrl-C, remove for `--rm`). */
export function planOneOffStep(
  project: string,
  service: string,
  name: string,
  step: { kind: 'start' } | { kind: 'stop'; timeoutSeconds: number } | { kind: 'remove' },
): Plan {
  const base = { after: [], service, name };
  const operation: Operation =
    step.kind === 'start'
      ? { ...base, kind: 'start-container', id: `start-container:${name}`, cause: 'one-off, attached' }
      : step.kind === 'stop'
        ? {
            ...base,
            kind: 'stop-container',
            id: `stop-container:${name}`,
            cause: 'one-off abandoned by its client',
            containerId: name,
            timeoutSeconds: step.timeoutSeconds,
          }
        : {
            ...base,
            kind: 'remove-container',
            id: `remove-container:${name}`,
            cause: 'one-off ended (--rm)',
            containerId: name,
            volumes: true,
          };
  return { project, operations: [operation], warnings: [], errors: [] };
}
