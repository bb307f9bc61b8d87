/**
 * Applies a plan to an observed state in memory, as the engine would, in the plan's order. Strict where
 * the engine is strict (a name already taken, removing a running container or a network in use, acting on
 * something that is not there), and it refuses any op that touches a resource without our project label.
 * Property tests use it to check that planning again against the result gives an empty plan; `bench/` can
 * use it to measure plans without an engine.
 */
import { createHash } from 'node:crypto';
import { Labels } from '@orc/spec';
import type { ObservedContainer, ObservedProject } from '../../../src/observe/types.js';
import type { Operation, Plan } from '../../../src/plan/types.js';

export class SimulationError extends Error {
  readonly code = 'SIMULATION';
}

function fail(op: Operation, why: string): never {
  throw new SimulationError(`${op.id}: ${why}`);
}

function freshId(seed: string): string {
  return createHash('sha256').update(seed).digest('hex');
}

export function applyPlan(observed: ObservedProject, plan: Plan): ObservedProject {
  const state: ObservedProject = structuredClone(observed);
  let counter = 0;
  const nextId = (kind: string) => freshId(`${kind}:${plan.project}:${++counter}:${state.containers.length}`);
  const foreignContainer = (ref: string) =>
    Object.entries(state.foreign.containersByName).some(([name, c]) => name === ref || c.id === ref);
  const container = (op: Operation, ref: string): ObservedContainer => {
    if (foreignContainer(ref)) fail(op, `touches container ${ref}, which has no project label`);
    const found = state.containers.find((c) => c.id === ref || c.name === ref);
    if (!found) fail(op, `no such container ${ref}`);
    if (found.labels[Labels.project] !== plan.project)
      fail(op, `container ${ref} is not labelled ${plan.project}`);
    return found;
  };
  const nameTaken = (name: string) =>
    state.containers.some((c) => c.name === name) || state.foreign.containersByName[name] !== undefined;
  const active = (c: ObservedContainer) =>
    c.state === 'running' || c.state === 'paused' || c.state === 'restarting';

  for (const op of plan.operations) {
    switch (op.kind) {
      case 'create-network': {
        if (state.networks.some((n) => n.name === op.name) || state.foreign.networksByName[op.name])
          fail(op, `network ${op.name} already exists`);
        state.networks.push({
          id: nextId('network'),
          name: op.name,
          key: op.key,
          labels: { ...op.body.Labels },
          created: `2030-01-01T00:00:${String(counter).padStart(2, '0')}Z`,
        });
        break;
      }
      case 'remove-network': {
        if (state.foreign.networksByName[op.name]?.id === op.networkId)
          fail(op, 'touches a network without our label');
        const n = state.networks.find((x) => x.id === op.networkId);
        if (!n) fail(op, `no such network ${op.networkId}`);
        const users = state.containers.filter((c) =>
          Object.values(c.networks).some((e) => e.networkId === n.id),
        );
        if (users.length > 0) fail(op, `network in use by ${users.map((c) => c.name).join(', ')}`);
        state.networks = state.networks.filter((x) => x !== n);
        break;
      }
      case 'create-volume':
        if (state.volumes.some((v) => v.name === op.name) || state.foreign.volumesByName[op.name])
          fail(op, `volume ${op.name} already exists`);
        state.volumes.push({ name: op.name, key: op.key, labels: { ...op.body.Labels } });
        break;
      case 'remove-volume': {
        if (state.foreign.volumesByName[op.name]) fail(op, 'touches a volume without our label');
        if (!state.volumes.some((v) => v.name === op.name)) fail(op, `no such volume ${op.name}`);
        if (state.containers.some((c) => c.mounts.some((m) => m.name === op.name))) fail(op, 'volume in use');
        state.volumes = state.volumes.filter((v) => v.name !== op.name);
        break;
      }
      case 'ensure-image':
        state.images[op.image] ??= `sha256:${nextId('image')}`;
        break;
      case 'create-container': {
        if (nameTaken(op.createAs)) fail(op, `name ${op.createAs} already in use`);
        const image = state.images[op.body.Image];
        if (!image) fail(op, `no such image ${op.body.Image}`);
        const networks: ObservedContainer['networks'] = {};
        for (const endpoint of op.endpoints) {
          const n =
            state.networks.find((x) => x.name === endpoint.name) ??
            (state.foreign.networksByName[endpoint.name]
              ? { id: state.foreign.networksByName[endpoint.name]!.id }
              : undefined);
          if (!n) fail(op, `no such network ${endpoint.name}`);
          const sameName = state.networks.filter((x) => x.name === endpoint.name);
          if (sameName.length > 1) fail(op, `network name ${endpoint.name} is ambiguous`);
          // As the engine reports it: a container that never ran has no endpoint id yet (attached at start).
          networks[endpoint.name] = { networkId: '', aliases: endpoint.aliases };
        }
        const mounts: ObservedContainer['mounts'] = [];
        for (const m of op.body.HostConfig.Mounts ?? []) {
          if (m.Type !== 'volume' || !m.Source) continue;
          if (!state.volumes.some((v) => v.name === m.Source) && !state.foreign.volumesByName[m.Source])
            fail(op, `no such volume ${m.Source}`);
          mounts.push({ type: 'volume', name: m.Source, source: `/v/${m.Source}`, destination: m.Target });
        }
        const labels: Record<string, string> = { ...op.body.Labels, [Labels.image]: image };
        if (op.replaces) labels[Labels.replace] = op.replaces;
        const c: ObservedContainer = {
          id: nextId('container'),
          name: op.createAs,
          service: labels[Labels.service] ?? '',
          number: Number(labels[Labels.containerNumber] ?? 0),
          oneoff: labels[Labels.oneoff] === 'True',
          configHash: labels[Labels.configHash] ?? '',
          imageLabel: image,
          imageId: image,
          image: op.body.Image,
          state: 'created',
          exitCode: 0,
          restartCount: 0,
          created: `2030-01-01T00:00:${String(counter).padStart(2, '0')}Z`,
          startedAt: '',
          finishedAt: '',
          networks,
          mounts,
          labels,
        };
        if (op.replaces) c.replaces = op.replaces;
        state.containers.push(c);
        break;
      }
      case 'start-container': {
        const c = container(op, op.name);
        for (const [name, e] of Object.entries(c.networks)) {
          if (e.networkId === '') {
            // First start: the engine attaches it to the network of that name now.
            const byName =
              state.networks.find((n) => n.name === name)?.id ?? state.foreign.networksByName[name]?.id;
            if (!byName) fail(op, `network ${name} of ${c.name} is gone`);
            e.networkId = byName;
            continue;
          }
          const exists =
            state.networks.some((n) => n.id === e.networkId) ||
            state.foreign.networksByName[name]?.id === e.networkId;
          if (!exists) fail(op, `network ${name} of ${c.name} is gone`);
        }
        c.state = 'running';
        break;
      }
      case 'stop-container': {
        const c = container(op, op.containerId);
        if (c.state === 'running' || c.state === 'paused' || c.state === 'restarting') c.state = 'exited';
        c.exitCode = 0;
        break;
      }
      case 'kill-container':
        container(op, op.containerId).state = 'exited';
        break;
      case 'restart-container':
        container(op, op.containerId).state = 'running';
        break;
      case 'pause-container': {
        const c = container(op, op.containerId);
        if (c.state !== 'running') fail(op, `cannot pause a ${c.state} container`);
        c.state = 'paused';
        break;
      }
      case 'unpause-container': {
        const c = container(op, op.containerId);
        if (c.state !== 'paused') fail(op, `cannot unpause a ${c.state} container`);
        c.state = 'running';
        break;
      }
      case 'remove-container': {
        const c = container(op, op.containerId);
        if (active(c)) fail(op, `container ${c.name} is ${c.state}`);
        state.containers = state.containers.filter((x) => x !== c);
        break;
      }
      case 'rename-container': {
        const c = container(op, op.from);
        if (nameTaken(op.to)) fail(op, `name ${op.to} already in use`);
        c.name = op.to;
        break;
      }
      case 'connect-network': {
        const c = container(op, op.container);
        const n = state.networks.find((x) => x.name === op.network || x.id === op.network);
        if (!n) fail(op, `no such network ${op.network}`);
        c.networks[n.name] = {
          networkId: c.state === 'created' ? '' : n.id,
          aliases: op.endpoint.aliases,
        };
        break;
      }
      case 'disconnect-network': {
        const c = container(op, op.container);
        const entry = Object.entries(c.networks).find(
          ([name, e]) => e.networkId === op.network || name === op.network,
        );
        if (!entry) fail(op, `${c.name} is not connected to ${op.network}`);
        delete c.networks[entry[0]];
        break;
      }
      case 'run-provider':
      case 'run-init':
        // Created, run and removed by the executor: it leaves nothing behind.
        break;
      case 'exec-hook': {
        const c = container(op, op.target);
        if (c.state !== 'running') fail(op, `${c.name} is ${c.state}: a hook cannot run in it`);
        break;
      }
      case 'wait-container': {
        const c = container(op, op.name);
        if (
          (op.until === 'running' || op.until === 'healthy') &&
          !['running', 'restarting'].includes(c.state) &&
          op.required
        )
          fail(op, `${c.name} is ${c.state}, not ${op.until}`);
        break;
      }
    }
  }
  return state;
}
