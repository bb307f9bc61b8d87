import { sortedRecord } from '../hash/canonical.js';
import { bodyHash } from '../hash/service-hash.js';
import type { DesiredNetwork, DesiredVolume, NetworkCreateBody, VolumeCreateBody } from '../model/desired.js';
import { COMPOSE_COMPAT_VERSION, Labels, ORC_VERSION } from '../model/labels.js';
import type { Network, Project, Volume } from '../model/project.js';

export function networkEngineName(project: Project, key: string): string {
  return project.networks?.[key]?.name ?? `${project.name}_${key}`;
}

export function volumeEngineName(project: Project, key: string): string {
  return project.volumes?.[key]?.name ?? `${project.name}_${key}`;
}

/** Labels whose change must not recreate a network or volume (an orc upgrade is not a config change). */
const VERSION_LABELS: readonly string[] = [Labels.version, Labels.orcVersion];

function withoutVersionLabels(labels: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(labels)) if (!VERSION_LABELS.includes(k)) out[k] = v;
  return out;
}

export function desiredNetwork(project: Project, key: string): DesiredNetwork {
  const network: Network = project.networks?.[key] ?? {
    name: `${project.name}_${key}`,
    labels: {},
    extensions: {},
  };
  const name = networkEngineName(project, key);
  const labels = sortedRecord({
    ...network.labels,
    [Labels.project]: project.name,
    [Labels.network]: key,
    [Labels.version]: COMPOSE_COMPAT_VERSION,
    [Labels.orcManaged]: 'true',
    [Labels.orcVersion]: ORC_VERSION,
  });
  // CheckDuplicate: Engine 20.10 lets two networks share a name unless asked not to.
  const body: NetworkCreateBody = { Name: name, CheckDuplicate: true, Labels: labels };
  if (network.driver) body.Driver = network.driver;
  if (network.internal !== undefined) body.Internal = network.internal;
  if (network.attachable !== undefined) body.Attachable = network.attachable;
  if (network.enable_ipv6 !== undefined) body.EnableIPv6 = network.enable_ipv6;
  if (network.driver_opts && Object.keys(network.driver_opts).length > 0) {
    body.Options = sortedRecord(network.driver_opts);
  }
  if (network.ipam) {
    const ipam: NonNullable<NetworkCreateBody['IPAM']> = {};
    if (network.ipam.driver) ipam.Driver = network.ipam.driver;
    if (network.ipam.config && network.ipam.config.length > 0) {
      ipam.Config = network.ipam.config.map((c) => {
        const entry: NonNullable<NonNullable<NetworkCreateBody['IPAM']>['Config']>[number] = {};
        if (c.subnet) entry.Subnet = c.subnet;
        if (c.ip_range) entry.IPRange = c.ip_range;
        if (c.gateway) entry.Gateway = c.gateway;
        if (c.aux_addresses && Object.keys(c.aux_addresses).length > 0) {
          entry.AuxiliaryAddresses = sortedRecord(c.aux_addresses);
        }
        return entry;
      });
    }
    if (network.ipam.options && Object.keys(network.ipam.options).length > 0) {
      ipam.Options = sortedRecord(network.ipam.options);
    }
    if (Object.keys(ipam).length > 0) body.IPAM = ipam;
  }
  const hash = bodyHash({ ...body, Labels: withoutVersionLabels(body.Labels) });
  body.Labels = sortedRecord({ ...body.Labels, [Labels.orcConfigHash]: hash });
  return { key, name, external: network.external === true, create: body, hash };
}

export function desiredVolume(project: Project, key: string): DesiredVolume {
  const volume: Volume = project.volumes?.[key] ?? {
    name: `${project.name}_${key}`,
    labels: {},
    extensions: {},
  };
  const name = volumeEngineName(project, key);
  const labels = sortedRecord({
    ...volume.labels,
    [Labels.project]: project.name,
    [Labels.volume]: key,
    [Labels.version]: COMPOSE_COMPAT_VERSION,
    [Labels.orcManaged]: 'true',
    [Labels.orcVersion]: ORC_VERSION,
  });
  const body: VolumeCreateBody = { Name: name, Labels: labels };
  if (volume.driver) body.Driver = volume.driver;
  if (volume.driver_opts && Object.keys(volume.driver_opts).length > 0) {
    body.DriverOpts = sortedRecord(volume.driver_opts);
  }
  const hash = bodyHash({ ...body, Labels: withoutVersionLabels(body.Labels) });
  body.Labels = sortedRecord({ ...body.Labels, [Labels.orcConfigHash]: hash });
  return { key, name, external: volume.external === true, create: body, hash };
}
