import type { KeyPath } from '../load/path.js';
import { isDict, type NormalizeContext, scalarString } from './context.js';

/** `["A=1", "B"]` or `{A: 1, B: null}` → `{A: "1", B: null}` (`KEY` alone → null). */
export function listOrDict(
  value: unknown,
  path: KeyPath,
  ctx: NormalizeContext,
  sep = '=',
): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  if (value == null) return out;
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      const s = scalarString(item);
      if (s === undefined) {
        ctx.report({ code: 'INVALID_VALUE', path: [...path, i], message: 'expected a "KEY=value" string' });
        return;
      }
      const at = s.indexOf(sep);
      if (at < 0) out[s] = null;
      else out[s.slice(0, at)] = s.slice(at + 1);
    });
    return out;
  }
  if (isDict(value)) {
    for (const k of Object.keys(value)) {
      const v = value[k];
      if (v === null || v === undefined) out[k] = null;
      else {
        const s = scalarString(v);
        if (s === undefined) {
          ctx.report({
            code: 'INVALID_VALUE',
            path: [...path, k],
            message: 'expected a string, number or boolean',
          });
        } else out[k] = s;
      }
    }
    return out;
  }
  ctx.report({ code: 'INVALID_VALUE', path, message: 'expected a list of "KEY=value" or a mapping' });
  return out;
}

/** Like listOrDict, for maps whose values may not be null (labels, sysctls): `KEY` alone → "". */
export function stringMap(value: unknown, path: KeyPath, ctx: NormalizeContext): Record<string, string> {
  // listOrDict's map is fresh: its nulls are replaced in place instead of copying it.
  const out = listOrDict(value, path, ctx) as Record<string, string | null>;
  for (const k of Object.keys(out)) if (out[k] === null) out[k] = '';
  return out as Record<string, string>;
}

/** A string or a list of strings → list. */
export function stringList(value: unknown, path: KeyPath, ctx: NormalizeContext): string[] {
  if (value == null) return [];
  if (!Array.isArray(value)) {
    const s = scalarString(value);
    if (s === undefined) {
      ctx.report({ code: 'INVALID_VALUE', path, message: 'expected a string or a list of strings' });
      return [];
    }
    return [s];
  }
  const out: string[] = [];
  value.forEach((item, i) => {
    const s = scalarString(item);
    if (s === undefined)
      ctx.report({ code: 'INVALID_VALUE', path: [...path, i], message: 'expected a string' });
    else out.push(s);
  });
  return out;
}

/** extra_hosts: `["h:1.2.3.4", "h=::1"]` or `{h: ip | [ips]}` → `{h: [ips]}`. */
export function extraHosts(value: unknown, path: KeyPath, ctx: NormalizeContext): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  const add = (host: string, ip: string) => {
    const list = out[host] ?? [];
    list.push(ip.replace(/^\[(.*)\]$/, '$1'));
    out[host] = list;
  };
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      const s = scalarString(item);
      const sep = s === undefined ? -1 : s.includes('=') ? s.indexOf('=') : s.indexOf(':');
      if (s === undefined || sep <= 0) {
        ctx.report({
          code: 'INVALID_VALUE',
          path: [...path, i],
          message: `invalid extra host ${JSON.stringify(item)}`,
          hint: 'write "hostname:ip" or "hostname=ip"',
        });
        return;
      }
      add(s.slice(0, sep), s.slice(sep + 1));
    });
  } else if (isDict(value)) {
    for (const [host, ips] of Object.entries(value)) {
      for (const ip of stringList(ips, [...path, host], ctx)) add(host, ip);
    }
  } else if (value != null) {
    ctx.report({ code: 'INVALID_VALUE', path, message: 'expected a list of "host:ip" or a mapping' });
  }
  return out;
}

/** `x-*` keys of a mapping. */
export function extensionsOf(value: unknown): Record<`x-${string}`, unknown> {
  const out: Record<`x-${string}`, unknown> = {};
  if (!isDict(value)) return out;
  // Keys, not entries: a pair array per key of every service was measurable on 1,000 services.
  const keys = Object.keys(value);
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    if (k.startsWith('x-')) out[k as `x-${string}`] = value[k];
  }
  return out;
}
