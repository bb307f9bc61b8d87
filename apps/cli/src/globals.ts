import type { Command } from 'commander';
import type { ProjectSource } from './client/types.js';
import { usageError } from './errors.js';
import type { AnsiMode } from './render/color.js';

export type ProgressMode = 'auto' | 'tty' | 'plain' | 'json' | 'quiet';

export interface GlobalOptions {
  file: string[];
  projectName?: string;
  projectDirectory?: string;
  profile: string[];
  envFile: string[];
  /** `--var NAME=VALUE`, in the order given (a later one for the same name wins). */
  variable: string[];
  varFile: string[];
  progress: ProgressMode;
  ansi: AnsiMode;
  debug: boolean;
}

type GlobalSpec = [short: string | undefined, long: string, description: string, choices?: string[]];

/** compose's global flags (global-flags.ts adds them to commander; fast.ts reads the hot commands' own way). */
export const GLOBALS: GlobalSpec[] = [
  ['-f', '--file <path>', 'compose configuration file (repeatable)'],
  ['-p', '--project-name <name>', 'project name (default: the project directory name)'],
  [
    undefined,
    '--project-directory <path>',
    'alternate working directory (default: the first file’s directory)',
  ],
  [undefined, '--profile <name>', 'enable a profile (repeatable)'],
  [undefined, '--env-file <path>', 'alternate environment file (repeatable)'],
  [undefined, '--var <NAME=VALUE>', 'set a compose variable (under the environment; repeatable)'],
  [undefined, '--var-file <path>', 'file of compose `variables:` (repeatable; --var wins)'],
  [undefined, '--progress <mode>', 'progress output', ['auto', 'tty', 'plain', 'json', 'quiet']],
  [undefined, '--ansi <when>', 'control characters', ['never', 'always', 'auto']],
  [undefined, '--debug', 'show details (stack traces) on errors'],
];

interface RawGlobals {
  file?: string[];
  projectName?: string;
  projectDirectory?: string;
  profile?: string[];
  envFile?: string[];
  var?: string[];
  varFile?: string[];
  progress?: ProgressMode;
  ansi?: AnsiMode;
  debug?: boolean;
}

const PROGRESS = new Set(['auto', 'tty', 'plain', 'json', 'quiet']);
const ANSI = new Set(['never', 'always', 'auto']);

/**
 * The program's values, then the subcommand's (repeatable flags add up; single ones: the later wins);
 * compose's variables fill in what no flag gave: COMPOSE_PROGRESS, COMPOSE_ANSI, COMPOSE_ENV_FILES.
 */
export function readGlobals(cmd: Command, env: NodeJS.ProcessEnv = process.env): GlobalOptions {
  const chain: Command[] = [];
  for (let c: Command | null = cmd; c; c = c.parent) chain.unshift(c);
  const merged = noGlobals();
  for (const c of chain) {
    const o = c.opts<RawGlobals>();
    merged.file.push(...(o.file ?? []));
    merged.profile.push(...(o.profile ?? []));
    merged.envFile.push(...(o.envFile ?? []));
    merged.variable.push(...(o.var ?? []));
    merged.varFile.push(...(o.varFile ?? []));
    if (o.projectName !== undefined) merged.projectName = o.projectName;
    if (o.projectDirectory !== undefined) merged.projectDirectory = o.projectDirectory;
    if (o.progress !== undefined) merged.progress = o.progress;
    if (o.ansi !== undefined) merged.ansi = o.ansi;
    if (o.debug) merged.debug = true;
  }
  const given = (key: keyof RawGlobals) => chain.some((c) => c.getOptionValueSource(key) === 'cli');
  return withComposeVariables(merged, { progress: given('progress'), ansi: given('ansi') }, env);
}

/** The empty globals: what no flag gives. */
export function noGlobals(): GlobalOptions {
  return {
    file: [],
    profile: [],
    envFile: [],
    variable: [],
    varFile: [],
    progress: 'auto',
    ansi: 'auto',
    debug: false,
  };
}

/** COMPOSE_PROGRESS, COMPOSE_ANSI, COMPOSE_ENV_FILES fill in what no flag gave. */
export function withComposeVariables(
  merged: GlobalOptions,
  given: { progress: boolean; ansi: boolean },
  env: NodeJS.ProcessEnv,
): GlobalOptions {
  if (!given.progress && env.COMPOSE_PROGRESS && PROGRESS.has(env.COMPOSE_PROGRESS))
    merged.progress = env.COMPOSE_PROGRESS as ProgressMode;
  if (!given.ansi && env.COMPOSE_ANSI && ANSI.has(env.COMPOSE_ANSI))
    merged.ansi = env.COMPOSE_ANSI as AnsiMode;
  if (merged.envFile.length === 0 && env.COMPOSE_ENV_FILES) {
    merged.envFile = env.COMPOSE_ENV_FILES.split(',')
      .map((f) => f.trim())
      .filter(Boolean);
  }
  return merged;
}

/** Variables the daemon must never receive: they are the client's credentials, not project input. */
const PRIVATE_ENV = new Set(['ORC_TOKEN']);

/** The environment sent for interpolation: the client's own, minus its credentials. */
export function clientEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined && !PRIVATE_ENV.has(key)) out[key] = value;
  }
  return out;
}

/** What the daemon loads the project from (LoadOptions): paths stay relative to our working directory. */
export function projectSource(
  g: GlobalOptions,
  cwd: string,
  env: NodeJS.ProcessEnv,
  services?: string[],
): ProjectSource {
  return {
    workingDir: cwd,
    env: clientEnv(env),
    ...(g.file.length ? { files: g.file } : {}),
    ...(g.envFile.length ? { envFiles: g.envFile } : {}),
    ...(g.variable.length ? { variables: parseVars(g.variable) } : {}),
    ...(g.varFile.length ? { variableFiles: g.varFile } : {}),
    ...(g.projectName ? { projectName: g.projectName } : {}),
    ...(g.projectDirectory ? { projectDirectory: g.projectDirectory } : {}),
    ...(g.profile.length ? { profiles: g.profile } : {}),
    ...(services?.length ? { services } : {}),
  };
}

const VAR_NAME = /^[_a-zA-Z][_a-zA-Z0-9]*$/;

/** `--var NAME=VALUE` flags → a map; the value may hold `=`, the name must be a variable name. */
export function parseVars(flags: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const flag of flags) {
    const eq = flag.indexOf('=');
    const name = eq < 0 ? flag : flag.slice(0, eq);
    if (eq < 0 || !VAR_NAME.test(name))
      throw usageError(`--var ${flag}: expected NAME=VALUE, NAME being letters, digits and "_"`);
    out[name] = flag.slice(eq + 1);
  }
  return out;
}

/** compose reads boolean variables with Go's strconv.ParseBool. */
export function envTrue(value: string | undefined): boolean {
  return value !== undefined && ['1', 't', 'T', 'true', 'TRUE', 'True'].includes(value);
}
