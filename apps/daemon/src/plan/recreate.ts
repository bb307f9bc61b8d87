/** Why an existing container must be recreated; an empty list means it is up to date. */
import type { DesiredService, DesiredState } from '@orc/spec';
import { Labels } from '@orc/spec';
import { diffDefinitions, summarizeChanges } from '../explain/index.js';
import type { ObservedContainer, ObservedProject } from '../observe/types.js';
import type { InfraOutcome } from './infra.js';
import type { PlanOptions } from './types.js';

export interface RecreateInput {
  desired: DesiredState;
  observed: ObservedProject;
  options: PlanOptions;
  infra: InfraOutcome;
  /** Services recreated earlier in this plan (dependencies come first). */
  recreatedServices: Set<string>;
}

export function recreateReasons(
  input: RecreateInput,
  service: DesiredService,
  c: ObservedContainer,
): string[] {
  // A dead container cannot be started again: recreating it is the only way, whatever the flags say.
  if (c.state === 'dead') return ['container is dead'];
  if (input.options.noRecreate) return [];
  if (input.options.forceRecreate) return ['forced (--force-recreate)'];
  const named = input.options.services;
  if (input.options.alwaysRecreateDeps && named?.length && !named.includes(service.name))
    return ['forced (--always-recreate-deps)'];
  const reasons: string[] = [];
  if (c.configHash !== service.hash) reasons.push(configCause(c, service));
  const imageId = input.observed.images[service.image];
  if (imageId && c.imageLabel && imageId !== c.imageLabel)
    reasons.push(`image id ${shortId(c.imageLabel)} → ${shortId(imageId)}`);
  reasons.push(...networkReasons(input, service, c), ...volumeReasons(input, service, c));
  const shared = service.uses.filter((dep) => input.recreatedServices.has(dep));
  if (shared.length > 0)
    reasons.push(`dependency recreated: ${shared.join(', ')} (shared namespace or volumes)`);
  return reasons;
}

function configCause(c: ObservedContainer, service: DesiredService): string {
  const label = c.labels[Labels.orcDefinition];
  if (!label) return 'config hash differs';
  const changes = diffDefinitions(label, service.definition).filter((ch) => ch.path !== '');
  return changes.length > 0 ? `config hash differs: ${summarizeChanges(changes)}` : 'config hash differs';
}

export function shortId(id: string): string {
  const [algo, hex] = id.includes(':') ? id.split(':', 2) : ['', id];
  const short = (hex ?? '').slice(0, 12);
  return `${algo ? `${algo}:` : ''}${short}${(hex ?? '').length > 12 ? '…' : ''}`;
}

function networkReasons(input: RecreateInput, service: DesiredService, c: ObservedContainer): string[] {
  const reasons: string[] = [];
  for (const key of service.networks) {
    const network = input.desired.networks.find((n) => n.key === key);
    if (!network) continue;
    const endpoint = c.networks[network.name];
    const currentId = input.infra.networkId.get(network.name);
    if (!endpoint) reasons.push(`network ${key}: not connected`);
    else if (
      input.infra.recreatedNetworks.has(network.name) ||
      // A container that never ran has no endpoint yet: the engine reports an empty network id until
      // its first start (measured on 20.10). Empty is "not attached yet", not "another network": read as
      // a mismatch, every supervisor pass replaced a created container (issue 22: two `created` app-1).
      (currentId && endpoint.networkId !== '' && endpoint.networkId !== currentId)
    )
      reasons.push(`network ${key}: recreated`);
  }
  return reasons;
}

function volumeReasons(input: RecreateInput, service: DesiredService, c: ObservedContainer): string[] {
  const mounted = new Set(c.mounts.filter((m) => m.type === 'volume').map((m) => m.name));
  const reasons: string[] = [];
  for (const key of service.volumes) {
    const volume = input.desired.volumes.find((v) => v.key === key);
    if (volume && !mounted.has(volume.name)) reasons.push(`volume ${key}: not mounted`);
  }
  return reasons;
}
