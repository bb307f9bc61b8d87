/**
 * Networks and volumes for `up`: create what is missing, recreate networks whose config changed (after
 * stopping and disconnecting what is attached), remove duplicate networks we made, never touch volumes
 * beyond creating them.
 */
import type { DesiredNetwork, DesiredState } from '@orc/spec';
import { Labels } from '@orc/spec';
import type { ObservedContainer, ObservedNetwork, ObservedProject } from '../observe/types.js';
import { addError, addOp, addWarning, type Draft } from './draft.js';
import { disconnectId, removeNetworkId, stopContainerId } from './ids.js';
import type { OpId, PlanOptions } from './types.js';

export interface InfraOutcome {
  /** Engine network name → ops after which containers may be created on it (created / duplicates gone). */
  networkReady: Map<string, OpId[]>;
  /** Engine network name → the id containers must be attached to; absent = it is created by this plan. */
  networkId: Map<string, string>;
  /** Networks this plan removes and creates again: everything attached must be recreated. */
  recreatedNetworks: Set<string>;
  /** Engine volume name → op creating it. */
  volumeReady: Map<string, OpId>;
  /** Containers stopped early because a network they are on is recreated (container name → stop op). */
  stoppedForNetwork: Map<string, OpId>;
}

export function planInfrastructure(
  draft: Draft,
  desired: DesiredState,
  observed: ObservedProject,
  options: PlanOptions,
  timeoutFor: (c: ObservedContainer) => { timeoutSeconds: number; signal?: string },
): InfraOutcome {
  const outcome: InfraOutcome = {
    networkReady: new Map(),
    networkId: new Map(),
    recreatedNetworks: new Set(),
    volumeReady: new Map(),
    stoppedForNetwork: new Map(),
  };
  for (const network of desired.networks) planNetwork(draft, network, observed, options, outcome, timeoutFor);
  planVolumes(draft, desired, observed, outcome);
  return outcome;
}

function planNetwork(
  draft: Draft,
  network: DesiredNetwork,
  observed: ObservedProject,
  options: PlanOptions,
  outcome: InfraOutcome,
  timeoutFor: (c: ObservedContainer) => { timeoutSeconds: number; signal?: string },
): void {
  const ours = observed.networks.filter((n) => n.name === network.name);
  if (network.external) {
    const found = ours[0]?.id ?? observed.foreign.networksByName[network.name]?.id;
    if (found) outcome.networkId.set(network.name, found);
    else
      addError(
        draft,
        'EXTERNAL_NETWORK_MISSING',
        `network ${network.name} declared as external, but could not be found; create it with \`docker network create ${network.name}\``,
      );
    return;
  }
  const foreign = observed.foreign.networksByName[network.name];
  if (ours.length === 0 && foreign) {
    addWarning(
      draft,
      `a network with name ${network.name} exists but was not created by orc; set \`external: true\` to use an existing network`,
    );
    outcome.networkId.set(network.name, foreign.id);
    return;
  }
  const diverged = (n: ObservedNetwork) => {
    const hash = n.labels[Labels.orcConfigHash];
    return hash !== undefined && hash !== network.hash;
  };
  // Several networks may share a name (Engine 20.10): keep the best one, remove the others.
  const ranked = [...ours].sort(
    (a, b) =>
      Number(diverged(a)) - Number(diverged(b)) ||
      a.created.localeCompare(b.created) ||
      a.id.localeCompare(b.id),
  );
  let keep = ranked[0];
  if (keep && diverged(keep)) {
    if (options.noRecreate) {
      addWarning(
        draft,
        `network ${network.name} configuration differs from the project; not recreated because of --no-recreate`,
      );
    } else keep = undefined;
  }
  const ready: OpId[] = [];
  for (const old of ranked) {
    if (old === keep) continue;
    // --no-recreate: a duplicate in use stays, since removing it would mean recreating its containers.
    const inUse = observed.containers.some((c) =>
      Object.values(c.networks).some((e) => e.networkId === old.id),
    );
    if (options.noRecreate && inUse) {
      addWarning(
        draft,
        `duplicate network ${network.name} (${old.id.slice(0, 12)}) is in use; kept because of --no-recreate`,
      );
      continue;
    }
    const cause = keep ? 'duplicate network (same name)' : 'config hash differs';
    ready.push(removeNetwork(draft, old, observed, cause, outcome, timeoutFor));
  }
  if (keep) {
    outcome.networkId.set(network.name, keep.id);
  } else {
    if (ours.length > 0) outcome.recreatedNetworks.add(network.name);
    const create = addOp(draft, {
      kind: 'create-network',
      id: `create-network:${network.name}`,
      after: ready,
      cause: ours.length > 0 ? 'config hash differs' : 'missing',
      name: network.name,
      key: network.key,
      body: network.create,
    });
    ready.splice(0, ready.length, create.id);
  }
  outcome.networkReady.set(network.name, ready);
}

/** Stops and disconnects what is attached, then removes the network. */
function removeNetwork(
  draft: Draft,
  old: ObservedNetwork,
  observed: ObservedProject,
  cause: string,
  outcome: InfraOutcome,
  timeoutFor: (c: ObservedContainer) => { timeoutSeconds: number; signal?: string },
): OpId {
  const detach: OpId[] = [];
  for (const c of observed.containers) {
    if (!Object.values(c.networks).some((e) => e.networkId === old.id)) continue;
    let stop: OpId | undefined;
    // Orphans and one-off containers are only disconnected: stopping them is not this plan's business.
    const ownService = !c.oneoff && c.service !== '' && c.number > 0;
    if (ownService && isActive(c)) {
      stop = addOp(draft, {
        kind: 'stop-container',
        id: stopContainerId(c.name),
        after: [],
        cause: `network ${old.name} recreated`,
        service: c.service,
        name: c.name,
        containerId: c.id,
        ...timeoutFor(c),
      }).id;
      outcome.stoppedForNetwork.set(c.name, stop);
    }
    const disconnect = addOp(draft, {
      kind: 'disconnect-network',
      id: disconnectId(c.name, old.id),
      after: stop ? [stop] : [],
      cause: `network ${old.name} recreated`,
      service: c.service,
      container: c.name,
      network: old.id,
    });
    detach.push(disconnect.id);
    draft.disconnects.set(c.name, [...(draft.disconnects.get(c.name) ?? []), disconnect.id]);
  }
  return addOp(draft, {
    kind: 'remove-network',
    id: removeNetworkId(old.id),
    after: detach,
    cause,
    name: old.name,
    networkId: old.id,
  }).id;
}

export function isActive(c: ObservedContainer): boolean {
  return c.state === 'running' || c.state === 'paused' || c.state === 'restarting';
}

function planVolumes(draft: Draft, desired: DesiredState, observed: ObservedProject, outcome: InfraOutcome) {
  for (const volume of desired.volumes) {
    const ours = observed.volumes.find((v) => v.name === volume.name);
    const foreign = observed.foreign.volumesByName[volume.name];
    if (volume.external) {
      if (!ours && !foreign)
        addError(
          draft,
          'EXTERNAL_VOLUME_MISSING',
          `volume ${volume.name} declared as external, but could not be found; create it with \`docker volume create ${volume.name}\``,
        );
      continue;
    }
    if (ours) {
      const hash = ours.labels[Labels.orcConfigHash];
      // Volumes hold data: a changed definition is reported, never applied by recreating.
      if (hash !== undefined && hash !== volume.hash)
        addWarning(
          draft,
          `volume ${volume.name} already exists with a different configuration; it is kept as it is (remove it with \`down -v\` to apply the new one)`,
        );
      continue;
    }
    if (foreign) {
      addWarning(
        draft,
        `volume ${volume.name} already exists but was not created by orc; use \`external: true\` to use an existing volume`,
      );
      continue;
    }
    const op = addOp(draft, {
      kind: 'create-volume',
      id: `create-volume:${volume.name}`,
      after: [],
      cause: 'missing',
      name: volume.name,
      key: volume.key,
      body: volume.create,
    });
    outcome.volumeReady.set(volume.name, op.id);
  }
}
