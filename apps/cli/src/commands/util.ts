import type { Command } from 'commander';
import { type Context, createContext } from '../context.js';
import { usageError } from '../errors.js';

/** Wraps a command body: commander hands us (args..., options, command); we hand it a Context. */
export function handler<A extends unknown[], O>(
  body: (ctx: Context, opts: O, ...args: A) => Promise<void>,
): (...raw: unknown[]) => Promise<void> {
  return async (...raw) => {
    const cmd = raw[raw.length - 1] as Command;
    const opts = raw[raw.length - 2] as O;
    const args = raw.slice(0, -2) as A;
    await body(createContext(cmd), opts, ...args);
  };
}

export function seconds(flag: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0)
      throw usageError(`${flag} ${value}: expected a whole number of seconds`);
    return n;
  };
}

export function count(flag: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0) throw usageError(`${flag} ${value}: expected a whole number`);
    return n;
  };
}

/** `--scale web=3` (repeatable) into `{ web: 3 }`. */
export function scaleArg(
  value: string,
  previous: Record<string, number> | undefined,
): Record<string, number> {
  const match = /^([^=\s]+)=(\d+)$/.exec(value);
  if (!match?.[1] || match[2] === undefined) {
    throw usageError(`--scale ${value}: expected SERVICE=NUMBER`, 'e.g. --scale web=3');
  }
  return { ...previous, [match[1]]: Number(match[2]) };
}

export const repeat = (value: string, previous: string[] | undefined): string[] => [
  ...(previous ?? []),
  value,
];
