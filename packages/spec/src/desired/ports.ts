import { sortBy } from '../hash/sort.js';
import type { HostConfigBody } from '../model/desired.js';
import type { Service } from '../model/project.js';

type PortBindings = NonNullable<HostConfigBody['PortBindings']>;

/** `3000`, `3000/udp`, `3000-3002/tcp` → `3000/tcp`... (the engine wants one key per port). */
export function exposeKeys(spec: string): string[] {
  const [range = '', protocol = 'tcp'] = spec.split('/');
  const [startText = '', endText] = range.split('-');
  const start = Number(startText);
  const end = endText === undefined ? start : Number(endText);
  if (!Number.isInteger(start) || !Number.isInteger(end) || end < start) return [`${range}/${protocol}`];
  const keys: string[] = [];
  for (let port = start; port <= end; port++) keys.push(`${port}/${protocol}`);
  return keys;
}

/** `ports` targets and `expose` entries, as the engine's `ExposedPorts` set. */
export function exposedPorts(service: Service): Record<string, Record<string, never>> | undefined {
  const keys = new Set<string>();
  for (const port of service.ports ?? []) keys.add(`${port.target}/${port.protocol ?? 'tcp'}`);
  for (const spec of service.expose ?? []) for (const key of exposeKeys(String(spec))) keys.add(key);
  if (keys.size === 0) return undefined;
  const out: Record<string, Record<string, never>> = {};
  for (const key of sortBy([...keys], comparePortKeys)) out[key] = {};
  return out;
}

/** Published ports; an absent `published` asks the engine for an ephemeral port (HostPort ''). */
export function portBindings(service: Service): PortBindings | undefined {
  const out: PortBindings = {};
  for (const port of service.ports ?? []) {
    const key = `${port.target}/${port.protocol ?? 'tcp'}`;
    const binding: { HostIp?: string; HostPort?: string } = {};
    if (port.host_ip) binding.HostIp = port.host_ip;
    binding.HostPort = port.published ?? '';
    const list = out[key] ?? [];
    list.push(binding);
    out[key] = list;
  }
  const keys = sortBy(Object.keys(out), comparePortKeys);
  if (keys.length === 0) return undefined;
  const sorted: PortBindings = {};
  for (const key of keys) sorted[key] = out[key] ?? [];
  return sorted;
}

/**
 * Host ports the service pins (`8080/tcp`, `127.0.0.1:8080/tcp`): two containers cannot hold them
 * at once, so a start-first update is impossible with them.
 */
export function fixedHostPorts(service: Service): string[] {
  const out = new Set<string>();
  for (const port of service.ports ?? []) {
    if (port.published === undefined || port.published === '' || port.published === '0') continue;
    const ip = port.host_ip ? `${port.host_ip}:` : '';
    out.add(`${ip}${port.published}/${port.protocol ?? 'tcp'}`);
  }
  return [...out].sort();
}

function comparePortKeys(a: string, b: string): number {
  const [pa = '', ta = ''] = a.split('/');
  const [pb = '', tb = ''] = b.split('/');
  const diff = Number(pa) - Number(pb);
  if (diff !== 0 && !Number.isNaN(diff)) return diff;
  if (pa !== pb) return pa < pb ? -1 : 1;
  return ta < tb ? -1 : ta > tb ? 1 : 0;
}
