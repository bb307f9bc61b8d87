import { serviceDependencies } from '../desired/order.js';
import type { Project, Service } from '../model/project.js';
import { RenderError } from './errors.js';

/**
 * `orc config web`: the named services and everything they need (depends_on, network_mode/ipc/pid
 * service:, volumes_from, links), with only the networks, volumes, secrets and configs those use.
 */
export function selectServices(project: Project, names: string[]): Project {
  const unknown = names.filter((n) => !(n in project.services));
  if (unknown.length > 0) {
    throw new RenderError(
      'UNKNOWN_SERVICE',
      `no such service: ${unknown.join(', ')}`,
      `services are: ${Object.keys(project.services).sort().join(', ')}`,
    );
  }
  const keep = new Set<string>();
  const queue = [...names];
  while (queue.length > 0) {
    const name = queue.pop() as string;
    if (keep.has(name)) continue;
    keep.add(name);
    queue.push(...serviceDependencies(project.services[name] as Service, project));
  }
  const services = Object.fromEntries(Object.entries(project.services).filter(([name]) => keep.has(name)));
  const used = {
    networks: new Set<string>(),
    volumes: new Set<string>(),
    secrets: new Set<string>(),
    configs: new Set<string>(),
  };
  for (const service of Object.values(services)) {
    for (const key of Object.keys(service.networks ?? {})) used.networks.add(key);
    for (const v of service.volumes ?? []) if (v.type === 'volume' && v.source) used.volumes.add(v.source);
    for (const ref of [...(service.secrets ?? []), ...(service.build?.secrets ?? [])])
      used.secrets.add(ref.source);
    for (const ref of service.configs ?? []) used.configs.add(ref.source);
  }
  const only = <T>(record: Record<string, T> | undefined, keys: Set<string>) =>
    Object.fromEntries(Object.entries(record ?? {}).filter(([key]) => keys.has(key)));
  return {
    ...project,
    services,
    networks: only(project.networks, used.networks),
    volumes: only(project.volumes, used.volumes),
    secrets: only(project.secrets, used.secrets),
    configs: only(project.configs, used.configs),
  };
}
