/**
 * The hottest commands in their common shapes, read without commander: a no-op `up -d` and a `ps` are
 * each less work than building commander's program with every command (issue 17, items 2 and 6), so
 * `main.ts` tries this first and loads commander only when it answers undefined: for any other command,
 * any other flag, `--help`, a value that looks like a flag, `-pNAME`, `--`, ... `fast.test.ts` checks
 * that both ways read every shape taken here alike (the same globals, the same flags).
 */

import type { PsFlags } from './commands/ps-run.js';
import type { UpFlags } from './commands/up-run.js';
import { GLOBALS, type GlobalOptions, noGlobals, withComposeVariables } from './globals.js';

export type FastInvocation =
  | { command: 'up'; globals: GlobalOptions; flags: UpFlags; services: string[] }
  | { command: 'ps'; globals: GlobalOptions; flags: PsFlags; services: string[] };

interface ValueFlag {
  key:
    | 'file'
    | 'projectName'
    | 'projectDirectory'
    | 'profile'
    | 'envFile'
    | 'variable'
    | 'varFile'
    | 'progress'
    | 'ansi';
  repeatable: boolean;
  choices?: string[];
}

const KEYS: Record<string, ValueFlag['key']> = {
  '--file': 'file',
  '--project-name': 'projectName',
  '--project-directory': 'projectDirectory',
  '--profile': 'profile',
  '--env-file': 'envFile',
  '--var': 'variable',
  '--var-file': 'varFile',
  '--progress': 'progress',
  '--ansi': 'ansi',
};

/** `-f`, `--file`, ... → what they set, from the one table of global flags. */
const VALUE_FLAGS = new Map<string, ValueFlag>();
for (const [short, long, description, choices] of GLOBALS) {
  const name = long.split(' ')[0] ?? long;
  const key = KEYS[name];
  if (!key || !long.includes('<')) continue;
  const flag: ValueFlag = {
    key,
    repeatable: /repeatable/.test(description),
    ...(choices ? { choices } : {}),
  };
  VALUE_FLAGS.set(name, flag);
  if (short) VALUE_FLAGS.set(short, flag);
}

/** Each command's own flags taken here: boolean ones, and those that take a value. */
const COMMAND_FLAGS = {
  up: { booleans: { '-d': 'detach', '--detach': 'detach' }, values: {} },
  ps: {
    booleans: { '-a': 'all', '--all': 'all', '-q': 'quiet', '--quiet': 'quiet', '--services': 'services' },
    values: { '--format': 'format' },
  },
} as const satisfies Record<string, { booleans: Record<string, string>; values: Record<string, string> }>;

/** `orc [globals] up|ps [flags] [services]` in a shape read the same with or without commander; else undefined. */
export function fastInvocation(argv: string[], env: NodeJS.ProcessEnv): FastInvocation | undefined {
  const globals = noGlobals();
  const given = { progress: false, ansi: false };
  let command: 'up' | 'ps' | undefined;
  const flags: Record<string, unknown> = {};
  const services: string[] = [];
  const args = argv.slice(2);
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (!arg.startsWith('-')) {
      if (command) services.push(arg);
      else if (arg === 'up' || arg === 'ps') command = arg;
      else return undefined;
      continue;
    }
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const inline = eq > 0 ? arg.slice(eq + 1) : undefined;
    const global = VALUE_FLAGS.get(name);
    const own = command ? COMMAND_FLAGS[command] : undefined;
    const ownValue = own ? (own.values as Record<string, string>)[name] : undefined;
    const ownBoolean = own ? (own.booleans as Record<string, string>)[name] : undefined;
    if (global || ownValue) {
      const value = inline ?? args[++i];
      // A missing value, or one that looks like a flag: commander's errors and rules, not ours.
      if (value === undefined || (inline === undefined && value.startsWith('-'))) return undefined;
      if (ownValue) {
        flags[ownValue] = value;
        continue;
      }
      const g = global as ValueFlag;
      if (g.choices && !g.choices.includes(value)) return undefined;
      if (g.repeatable) (globals[g.key] as string[]).push(value);
      else (globals as unknown as Record<string, string>)[g.key] = value;
      if (g.key === 'progress' || g.key === 'ansi') given[g.key] = true;
      continue;
    }
    if (ownBoolean && inline === undefined) {
      flags[ownBoolean] = true;
      continue;
    }
    return undefined;
  }
  if (!command) return undefined;
  const merged = withComposeVariables(globals, given, env);
  if (command === 'up') return { command, globals: merged, flags: flags as UpFlags, services };
  return { command, globals: merged, flags: { format: 'table', ...flags } as PsFlags, services };
}
