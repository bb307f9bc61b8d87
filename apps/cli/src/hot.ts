import { type DownFlags, downCommand } from './commands/down-run.js';
import { type PsFlags, ps } from './commands/ps-run.js';
import { type UpFlags, upCommand } from './commands/up-run.js';
import { repeat, scaleArg, seconds } from './commands/util.js';
import { contextOf } from './context.js';
import { type GlobalOptions, noGlobals, withComposeVariables } from './globals.js';

/*
 * `orc ps`, `orc up` and `orc down` without commander (issue 17, items 2, 3 and 6: building the program, its
 * global flags twice and parsing cost ~3-4 ms of every run). Only the plain forms are read here: `--flag`,
 * `--flag value`, `--flag=value`, `-x`, `-x value`, services. Anything else (help, an unknown or combined flag,
 * a missing or refused value, `--`, `--orphans`' optional value, an argument to `down`) gives undefined and
 * commander parses the line as before, so its errors and help stay the only ones. hot.test.ts checks this
 * table against commander's definitions (ps.ts, up.ts, down.ts, globals.ts) and the results against
 * commander's on many lines.
 */

type Parse = (value: string, previous: unknown) => unknown;

/** `bool`: `--x` sets true; `negate`: `--no-x` sets false; `value`: takes the next argument. */
export interface HotFlag {
  key: string;
  kind: 'bool' | 'negate' | 'value';
  parse?: Parse;
  choices?: readonly string[];
}

export interface HotCommand {
  flags: Record<string, HotFlag>;
  /** commander's defaults: a lone `--no-x` makes x true; `ps --format` is 'table'. */
  defaults: Record<string, unknown>;
  /** False for a command without arguments (`down`): commander refuses any, so a line with one is its. */
  services: boolean;
  run: (ctx: ReturnType<typeof contextOf>, flags: never, services: string[]) => Promise<void>;
}

const bool = (key: string): HotFlag => ({ key, kind: 'bool' });
const negate = (key: string): HotFlag => ({ key, kind: 'negate' });
const value = (key: string, parse?: Parse, choices?: readonly string[]): HotFlag => ({
  key,
  kind: 'value',
  ...(parse ? { parse } : {}),
  ...(choices ? { choices } : {}),
});
const repeated = repeat as Parse;

/** compose's global flags (globals.ts GLOBALS), keyed as readGlobals merges them. */
export const HOT_GLOBALS: Record<string, HotFlag> = {
  '-f': value('file', repeated),
  '--file': value('file', repeated),
  '-p': value('projectName'),
  '--project-name': value('projectName'),
  '--project-directory': value('projectDirectory'),
  '--profile': value('profile', repeated),
  '--env-file': value('envFile', repeated),
  '--var': value('var', repeated),
  '--var-file': value('varFile', repeated),
  '--progress': value('progress', undefined, ['auto', 'tty', 'plain', 'json', 'quiet']),
  '--ansi': value('ansi', undefined, ['never', 'always', 'auto']),
  '--debug': bool('debug'),
};

export const HOT_COMMANDS: Record<string, HotCommand> = {
  ps: {
    flags: {
      '-a': bool('all'),
      '--all': bool('all'),
      '-q': bool('quiet'),
      '--quiet': bool('quiet'),
      '--services': bool('services'),
      '--status': value('status', repeated),
      '--filter': value('filter'),
      '--format': value('format'),
      '--no-trunc': negate('trunc'),
    },
    defaults: { format: 'table', trunc: true },
    services: true,
    run: (ctx, flags: PsFlags, services) => ps(ctx, flags, services),
  },
  up: {
    flags: {
      '-d': bool('detach'),
      '--detach': bool('detach'),
      '--wait': bool('wait'),
      '--wait-timeout': value('waitTimeout', seconds('--wait-timeout')),
      '--build': bool('build'),
      '--no-build': negate('build'),
      '--pull': value('pull'),
      '--force-recreate': bool('forceRecreate'),
      '--no-recreate': negate('recreate'),
      '--no-deps': negate('deps'),
      '--remove-orphans': bool('removeOrphans'),
      '--scale': value('scale', scaleArg as Parse),
      '-t': value('timeout', seconds('-t')),
      '--timeout': value('timeout', seconds('-t')),
      '--dry-run': bool('dryRun'),
      '--force': bool('force'),
      '--abort-on-container-exit': bool('abortOnContainerExit'),
      '--abort-on-container-failure': bool('abortOnContainerFailure'),
      '--attach-dependencies': bool('attachDependencies'),
      '--exit-code-from': value('exitCodeFrom'),
      '--attach': value('attach', repeated),
      '--no-attach': value('noAttach', repeated),
      '--no-start': negate('start'),
      '--always-recreate-deps': bool('alwaysRecreateDeps'),
      '-V': bool('renewAnonVolumes'),
      '--renew-anon-volumes': bool('renewAnonVolumes'),
      '--timestamps': bool('timestamps'),
      '--no-log-prefix': negate('logPrefix'),
      '--no-color': negate('color'),
      '-y': bool('yes'),
      '--yes': bool('yes'),
      '--quiet-pull': bool('quietPull'),
      '-w': bool('watch'),
      '--watch': bool('watch'),
      '--target': value('target', undefined, ['local', 'swarm']),
    },
    // --build and --no-build are both defined: commander gives build no default.
    defaults: { recreate: true, deps: true, start: true, logPrefix: true, color: true },
    services: true,
    run: (ctx, flags: UpFlags, services) => upCommand(ctx, flags, services),
  },
  down: {
    flags: {
      '-v': bool('volumes'),
      '--volumes': bool('volumes'),
      '--remove-orphans': bool('removeOrphans'),
      // `--rmi`'s value is checked by downCommand, on both paths (commander defines no choices for it).
      '--rmi': value('rmi'),
      '-t': value('timeout', seconds('-t')),
      '--timeout': value('timeout', seconds('-t')),
      '--force': bool('force'),
    },
    defaults: {},
    services: false,
    run: (ctx, flags: DownFlags) => downCommand(ctx, flags),
  },
};

export interface HotLine {
  command: string;
  /** The global flags before the command, and those after it (commander's hidden copies). */
  globals: Record<string, unknown>;
  after: Record<string, unknown>;
  flags: Record<string, unknown>;
  services: string[];
}

/**
 * Reads one flag at argv[i] into `into`; the index of its last argument, or -1 for a form left to
 * commander (a parser's refusal included: commander calls the same parser and reports it).
 */
function readFlag(argv: string[], i: number, table: Record<string, HotFlag>, into: Record<string, unknown>) {
  const arg = argv[i] as string;
  const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
  const name = eq < 0 ? arg : arg.slice(0, eq);
  const flag = table[name];
  if (!flag) return -1;
  if (flag.kind !== 'value') {
    if (eq >= 0) return -1;
    into[flag.key] = flag.kind === 'bool';
    return i;
  }
  let given: string | undefined;
  let last = i;
  if (eq >= 0) given = arg.slice(eq + 1);
  else {
    given = argv[i + 1];
    last = i + 1;
    // commander would take a flag-like next argument as the value: rare enough to leave to it.
    if (given === undefined || given.startsWith('-')) return -1;
  }
  if (flag.choices && !flag.choices.includes(given)) return -1;
  try {
    into[flag.key] = flag.parse ? flag.parse(given, into[flag.key]) : given;
  } catch {
    return -1;
  }
  return last;
}

/** The hot command line (split by splitShortEquals), or undefined when commander must read it. */
export function parseHot(argv: string[]): HotLine | undefined {
  const globals: Record<string, unknown> = {};
  let i = 2;
  for (; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (!arg.startsWith('-')) break;
    i = readFlag(argv, i, HOT_GLOBALS, globals);
    if (i < 0) return undefined;
  }
  const command = argv[i];
  const spec = command === undefined ? undefined : HOT_COMMANDS[command];
  if (!spec || command === undefined) return undefined;
  const flags: Record<string, unknown> = { ...spec.defaults };
  const after: Record<string, unknown> = {};
  const services: string[] = [];
  for (i++; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (!arg.startsWith('-') || arg === '-') {
      services.push(arg);
      continue;
    }
    const at = i;
    i = readFlag(argv, at, spec.flags, flags);
    if (i < 0) i = readFlag(argv, at, HOT_GLOBALS, after);
    if (i < 0) return undefined;
  }
  if (services.length && !spec.services) return undefined;
  // commander's command options hold its copies of the global flags too.
  return { command, globals, after, flags: { ...flags, ...after }, services };
}

/** readGlobals' result: the flags before the command, then its copies (lists add up, the later wins). */
export function hotGlobals(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
  env: NodeJS.ProcessEnv,
): GlobalOptions {
  const g = noGlobals();
  const list = (key: string) => [
    ...((before[key] as string[] | undefined) ?? []),
    ...((after[key] as string[] | undefined) ?? []),
  ];
  const one = <T>(key: string) => (after[key] ?? before[key]) as T | undefined;
  g.file = list('file');
  g.profile = list('profile');
  g.envFile = list('envFile');
  g.variable = list('var');
  g.varFile = list('varFile');
  const projectName = one<string>('projectName');
  if (projectName !== undefined) g.projectName = projectName;
  const projectDirectory = one<string>('projectDirectory');
  if (projectDirectory !== undefined) g.projectDirectory = projectDirectory;
  const progress = one<GlobalOptions['progress']>('progress');
  if (progress !== undefined) g.progress = progress;
  const ansi = one<GlobalOptions['ansi']>('ansi');
  if (ansi !== undefined) g.ansi = ansi;
  if (before.debug || after.debug) g.debug = true;
  return withComposeVariables(g, { progress: progress !== undefined, ansi: ansi !== undefined }, env);
}

/** Runs a line parseHot read. */
export async function runLine(line: HotLine): Promise<void> {
  const spec = HOT_COMMANDS[line.command] as HotCommand;
  const ctx = contextOf(hotGlobals(line.globals, line.after, process.env));
  await spec.run(ctx, line.flags as never, line.services);
}

/** Runs a hot command line without commander; false when it is not one (commander's turn). */
export async function runHot(argv: string[]): Promise<boolean> {
  const line = parseHot(argv);
  if (!line) return false;
  await runLine(line);
  return true;
}
