/**
 * The `--filter` flags of `ps` and `ls` and compose's boolean flags that take a value (`--orphans=false`),
 * read as compose reads them. Pure: the commands call these before they talk to the daemon.
 */
import { usageError } from '../errors.js';

/** Go's strconv.ParseBool, which `--flag=value` of a cobra bool flag goes through. */
export function goBool(flag: string): (value: string | undefined) => boolean {
  return (value) => {
    if (value === undefined) return true;
    if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value)) return true;
    if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(value)) return false;
    throw usageError(`${flag}=${value}: expected true or false`);
  };
}

/**
 * `ps --filter KEY=VAL`: compose knows one key, `status` (it joins `--status`); `source` is reserved and
 * not implemented there either. The flag is not repeatable in compose (the last one wins), nor here.
 */
export function psFilterStatus(filter: string | undefined): string[] {
  if (filter === undefined || filter === '') return [];
  const at = filter.indexOf('=');
  if (at < 0) throw usageError(`--filter ${filter}: arguments to --filter should be in form KEY=VAL`);
  const key = filter.slice(0, at);
  const value = filter.slice(at + 1);
  if (key === 'status') return [value];
  if (key === 'source')
    throw usageError('--filter source=…: not implemented (compose does not implement it either)');
  throw usageError(`--filter ${filter}: unknown filter ${key}`, 'supported filters: status');
}

/** `ls --filter name=VAL` (repeatable): docker's filter arguments, the one key compose accepts. */
export interface LsFilter {
  names: string[];
}

export function lsFilter(values: string[] | undefined): LsFilter {
  const names: string[] = [];
  for (const v of values ?? []) {
    if (v === '') continue;
    const at = v.indexOf('=');
    if (at < 0) throw usageError(`--filter ${v}: bad format of filter (expected name=value)`);
    const key = v.slice(0, at).trim().toLowerCase();
    if (key !== 'name') throw usageError(`--filter ${v}: invalid filter '${key}'`, 'supported filters: name');
    names.push(v.slice(at + 1).trim());
  }
  return { names };
}

/**
 * docker's `Args.Match`: the name equals a value, or a value as a regular expression matches somewhere in
 * it (unanchored: `name=web` keeps `myweb` too); a value that is not a valid expression only matches
 * exactly.
 */
export function matchesLsFilter(f: LsFilter, name: string): boolean {
  if (f.names.length === 0) return true;
  return f.names.some((v) => {
    if (v === name) return true;
    try {
      return new RegExp(v).test(name);
    } catch {
      return false;
    }
  });
}
