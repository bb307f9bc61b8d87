import type { Protocol, ServicePort } from '../model/project.js';

/**
 * The index in the file's `ports:` list each normalised port came from: one short entry with a range
 * becomes several ports, and problems found later must point at the entry that was written.
 */
export const portSourceIndex = new WeakMap<ServicePort, number>();

export type PortResult = { ok: true; ports: ServicePort[] } | { ok: false; message: string; hint?: string };

const PROTOCOLS = new Set(['tcp', 'udp', 'sctp']);

interface Range {
  start: number;
  end: number;
}

function parseRange(text: string): Range | string {
  const m = /^(\d+)(?:-(\d+))?$/.exec(text);
  if (!m) return `"${text}" is not a port or a port range`;
  const start = Number(m[1]);
  const end = m[2] === undefined ? start : Number(m[2]);
  for (const p of [start, end]) if (p < 0 || p > 65535) return `port ${p} is out of range (0-65535)`;
  if (end < start) return `port range "${text}" ends before it starts`;
  return { start, end };
}

/** `"8080:80"`, `"127.0.0.1:8080:80/udp"`, `"3000-3005"`, `"[::1]:80:80"`, `3000` → long syntax entries. */
export function parseShortPort(spec: string | number): PortResult {
  const text = String(spec).trim();
  let rest = text;
  let protocol: Protocol = 'tcp';
  const slash = rest.lastIndexOf('/');
  if (slash >= 0) {
    const proto = rest.slice(slash + 1).toLowerCase();
    if (!PROTOCOLS.has(proto)) {
      return {
        ok: false,
        message: `unknown protocol "${proto}" in port "${text}"`,
        hint: 'use tcp, udp or sctp',
      };
    }
    protocol = proto as Protocol;
    rest = rest.slice(0, slash);
  }
  let hostIp: string | undefined;
  let hostPart: string | undefined;
  let containerPart: string;
  const v6 = /^\[([^\]]+)\]:(.*)$/.exec(rest);
  if (v6) {
    hostIp = v6[1];
    const parts = v6[2]!.split(':');
    if (parts.length !== 2) return { ok: false, message: `invalid port "${text}"` };
    hostPart = parts[0];
    containerPart = parts[1]!;
  } else {
    const parts = rest.split(':');
    if (parts.length === 1) containerPart = parts[0]!;
    else if (parts.length === 2) {
      hostPart = parts[0];
      containerPart = parts[1]!;
    } else if (parts.length === 3) {
      hostIp = parts[0];
      hostPart = parts[1];
      containerPart = parts[2]!;
    } else {
      const last = rest.lastIndexOf(':');
      const before = rest.slice(0, last);
      const hp = before.lastIndexOf(':');
      hostIp = before.slice(0, hp);
      hostPart = before.slice(hp + 1);
      containerPart = rest.slice(last + 1);
    }
  }
  if (containerPart === '') return { ok: false, message: `port "${text}" has no container port` };
  const container = parseRange(containerPart);
  if (typeof container === 'string') return { ok: false, message: `${container} in "${text}"` };
  let host: Range | undefined;
  if (hostPart !== undefined && hostPart !== '') {
    const h = parseRange(hostPart);
    if (typeof h === 'string') return { ok: false, message: `${h} in "${text}"` };
    host = h;
  }
  const count = container.end - container.start + 1;
  const base = (): Omit<ServicePort, 'target'> => ({
    mode: 'ingress',
    ...(hostIp ? { host_ip: hostIp } : {}),
    protocol,
  });
  const ports: ServicePort[] = [];
  if (host && count > 1) {
    const hostCount = host.end - host.start + 1;
    if (hostCount !== count) {
      return {
        ok: false,
        message: `port ranges in "${text}" differ in length (${hostCount} host ports, ${count} container ports)`,
      };
    }
    for (let i = 0; i < count; i++) {
      ports.push({ ...base(), target: container.start + i, published: String(host.start + i) });
    }
  } else if (host) {
    const published = host.start === host.end ? String(host.start) : `${host.start}-${host.end}`;
    ports.push({ ...base(), target: container.start, published });
  } else {
    for (let i = 0; i < count; i++) ports.push({ ...base(), target: container.start + i });
  }
  return { ok: true, ports };
}
