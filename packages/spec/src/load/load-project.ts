import { basename, dirname, isAbsolute, resolve } from 'node:path';
import type { ServiceProblem, SpecProblem } from '../model/errors.js';
import type { Project } from '../model/project.js';
import type { Dict, PathProblem } from '../normalize/context.js';
import { isDict } from '../normalize/context.js';
import { normalizeProject } from '../normalize/project.js';
import { swarmProblems } from '../swarm/compat.js';
import { declaredTarget, projectTarget } from '../swarm/target.js';
import { validateComposeFile } from '../validate/schema.js';
import { checkProject } from '../validate/semantic.js';
import { closest } from '../validate/suggest.js';
import {
  composeTags,
  enforceUnicity,
  hasMarkers,
  interpolateTree,
  type MergeProblem,
  markerPaths,
  mergeCompose,
  readEnvFiles,
  stripMarkers,
  substitute,
} from './deps.js';
import { discoverComposeFiles, splitComposeFileVar } from './discover.js';
import { resolveExtends } from './extends.js';
import { isFile, readTextFile, textOrUndefined } from './files.js';
import type { LoadOptions, LoadResult } from './options.js';
import { formatPath } from './path.js';
import { locate, type SourceMap } from './positions.js';
import { applyProfiles } from './profiles.js';
import { decideProjectName, type NameSource } from './project-name.js';
import {
  cliLayer,
  mergeReports,
  readVariablesBlock,
  readVariablesFile,
  readVariablesFiles,
  splitVariables,
  type VariableLayer,
  type VariableReport,
  variableScope,
} from './variables.js';
import { DEFAULT_YAML_LIMITS, type ParsedFile, parseComposeYaml } from './yaml.js';

/**
 * Collects problems of one load; errors fail it, warnings travel with the result, and service problems
 * travel with the Project, to fail only the commands that select their services.
 */
export interface Problems {
  errors: SpecProblem[];
  warnings: SpecProblem[];
  services: ServiceProblem[];
}

const yamlTags = composeTags;

/** Includes are loaded recursively: bound the recursion like any other input-driven work. */
const MAX_INCLUDE_DEPTH = 16;

interface SourceText {
  file: string;
  text: string;
}

/**
 * Compose files (or inline text) + the client's environment → a validated, normalised Project,
 * or every located error found. Never throws on bad input.
 */
export async function loadProject(opts: LoadOptions): Promise<LoadResult> {
  return loadProjectNow(opts);
}

/** `loadProject`, synchronously: nothing else runs during a load (load-inputs.ts records its reads). */
export function loadProjectNow(opts: LoadOptions): LoadResult {
  const problems: Problems = { errors: [], warnings: [], services: [] };
  try {
    const variables: VariableReport[] = [];
    const cli = cliVariables(opts, problems);
    const loaded =
      problems.errors.length === 0 ? loadInto(opts, problems, { chain: [], cli, variables }) : undefined;
    const project = loaded?.project;
    if (loaded && project && problems.errors.length === 0) {
      // Includes share `problems`: their services' problems are here too.
      if (problems.services.length > 0) project.serviceProblems = problems.services;
      return {
        ok: true,
        project,
        warnings: problems.warnings,
        variables: mergeReports(variables),
        environment: loaded.environment,
      };
    }
  } catch (err) {
    problems.errors.push({
      code: 'SCHEMA',
      message: `unexpected failure while loading: ${err instanceof Error ? err.message : String(err)}`,
      hint: 'this is a bug in orc; please report it with the compose file',
    });
  }
  return { ok: false, errors: problems.errors, warnings: problems.warnings };
}

interface Nesting {
  /** Files of the includes being loaded, outermost first (cycle detection). */
  chain: string[];
  /** Set when loading an included project: it takes the including project's name. */
  projectName?: string;
  /** `--var`, then `--var-file` layers (read once, shared by every file and include). */
  cli: VariableLayer[];
  /** The `include:` entry's own variables, for the files it includes. */
  include?: VariableLayer[];
  /** Collects `config --variables` rows of every file loaded. */
  variables: VariableReport[];
}

/** `--var` over `--var-file` (later files win); a missing file is an error like a missing `-f`. */
function cliVariables(opts: LoadOptions, problems: Problems): VariableLayer[] {
  const workingDir = resolve(opts.workingDir);
  const files = (opts.variableFiles ?? [])
    .map((f) => readVariablesFile(resolve(workingDir, f), `cli-file ${f}`, undefined, [], problems))
    .filter((l): l is VariableLayer => l !== undefined)
    .reverse();
  return [cliLayer(opts.variables, problems), ...files];
}

interface Loaded {
  project: Project;
  sources: SourceMap[];
  /** The interpolation environment (`config --environment`). */
  environment: Record<string, string>;
}

function loadInto(opts: LoadOptions, problems: Problems, nesting: Nesting): Loaded | undefined {
  const errorsBefore = problems.errors.length;
  const failed = () => problems.errors.length > errorsBefore;
  const workingDir = resolve(opts.workingDir);
  const clientEnv = opts.env ?? {};

  // COMPOSE_* may come from the `.env` of the working (or project) directory before files are known.
  const earlyDir = opts.projectDirectory ? resolve(workingDir, opts.projectDirectory) : workingDir;
  const earlyDotenv = readDotenvQuietly(earlyDir, opts, clientEnv);
  const earlyEnv = { ...earlyDotenv, ...clientEnv };

  const texts = collectSources(opts, workingDir, earlyEnv, problems);
  if (!texts || failed()) return undefined;
  const firstFile = texts[0]?.file;
  const projectDir = opts.projectDirectory
    ? resolve(workingDir, opts.projectDirectory)
    : opts.inline || !firstFile
      ? workingDir
      : dirname(firstFile);

  const envFiles = resolveEnvFiles(opts, workingDir, projectDir, problems);
  const dotenv = readEnvFiles(envFiles, clientEnv);
  for (const e of dotenv.errors) {
    problems.errors.push({
      code: 'ENV_FILE',
      file: e.file,
      ...(e.line ? { line: e.line, col: e.col ?? 1 } : {}),
      message: e.message,
    });
  }
  // compose v2 reads the `.env` of the directory it runs in (COMPOSE_* and variables alike) over the
  // project directory's: in a nested folder the nearer file wins. With --env-file, those files only.
  const nearer = !opts.envFiles?.length && earlyDir !== projectDir ? earlyDotenv : {};
  const env: Record<string, string> = { ...dotenv.values, ...nearer, ...clientEnv };

  const parsed: ParsedFile[] = [];
  for (const t of texts) {
    const r = parseComposeYaml(t.file, t.text, { customTags: yamlTags });
    if (!r.ok) problems.errors.push(...r.errors);
    else {
      parsed.push(r.parsed);
      problems.warnings.push(...r.parsed.warnings);
    }
  }
  if (failed()) return undefined;
  for (const p of parsed) {
    if (p.tree !== null && !isDict(p.tree)) {
      problems.errors.push({
        code: 'SCHEMA',
        file: p.file,
        line: 1,
        col: 1,
        message: 'a compose file must be a mapping (services:, networks:, ...)',
      });
    }
  }
  if (failed()) return undefined;

  const name = nesting.projectName ?? projectNameOf(opts, env, parsed, projectDir, problems);
  if (!name) return undefined;
  const projectNameVar = (v: string): string | undefined => (v === 'COMPOSE_PROJECT_NAME' ? name : undefined);
  const isIncluded = nesting.chain.length > 0;
  const declaredIncludes: IncludeVariables[] = [];
  const scopes = parsed.map((p, i) => {
    const split = splitVariables(isDict(p.tree) ? p.tree : {});
    const dir = p.file.startsWith('<') ? projectDir : dirname(p.file);
    const own = isIncluded ? 'included' : 'root';
    const layers = [
      ...nesting.cli,
      ...(nesting.include ?? []),
      readVariablesBlock(split.inline, `${own}-inline`, p.source, ['variables'], problems),
      ...readVariablesFiles(split.files, dir, `${own}-file`, p.source, ['variables_file'], problems, resolve),
    ];
    const scope = variableScope(env, clientEnv, layers, problems, projectNameVar);
    const withoutIncludeVars = takeIncludeVariables(split.rest);
    declaredIncludes[i] = withoutIncludeVars.declared;
    return { tree: withoutIncludeVars.tree, lookup: scope.lookup, report: scope.report };
  });
  if (failed()) return undefined;
  // extends files are interpolated like the first file: they are no file's own declarations.
  const lookup = scopes[0]?.lookup ?? ((v: string) => env[v] ?? projectNameVar(v));

  const sources: SourceMap[] = parsed.map((p) => p.source);
  const trees: Dict[] = [];
  for (const [index, p] of parsed.entries()) {
    const scope = scopes[index]!;
    // The variables report reads the strings interpolation met: no second walk of the tree.
    const templates: string[] = [];
    const r = interpolateTree(scope.tree, scope.lookup, { templates });
    nesting.variables.push(...scope.report(templates));
    for (const e of r.errors) {
      problems.errors.push({
        code: 'INTERPOLATION',
        ...locate([p.source], e.path),
        path: formatPath(e.path),
        ...interpolationMessage(e.message),
      });
    }
    for (const u of r.unset) {
      problems.warnings.push({
        code: 'UNSET_VARIABLE',
        ...locate([p.source], u.path),
        path: formatPath(u.path),
        message: `the "${u.variable}" variable is not set; defaulting to a blank string`,
        hint: `set ${u.variable} in the environment or .env, or give a default: \${${u.variable}:-value}`,
      });
    }
    const tree = isDict(r.value) ? r.value : {};
    // Validation only reads the tree: copy it without markers only when it has some.
    report(
      problems,
      [p.source],
      validateComposeFile(p.markers !== false && hasMarkers(tree) ? stripMarkers(tree) : tree),
    );
    if (tree.version !== undefined) {
      problems.warnings.push({
        code: 'DEPRECATED',
        ...locate([p.source], ['version'], 'key'),
        path: 'version',
        message: 'the top-level `version` is obsolete and ignored',
        hint: 'remove it',
      });
    }
    trees.push(tree);
  }
  if (failed()) return undefined;

  const included: Loaded[] = [];
  trees.forEach((tree, i) => {
    const file = parsed[i]!;
    const declaringDir = file.file.startsWith('<') ? projectDir : dirname(file.file);
    included.push(
      ...loadIncludes(tree.include, declaringDir, file, opts, problems, nesting, name, declaredIncludes[i]!),
    );
  });
  if (failed()) return undefined;

  let merged: Dict = {};
  const mergeProblems: MergeProblem[] = [];
  if (trees.length === 1 && parsed[0]?.markers === false) {
    // Merging one marker-free file into nothing only deep-copies it (a second copy of a 100k-value
    // tree for 1,000 services); its interpolated tree is this load's own (parsed for it, shared with
    // nothing outside it), and nothing else reads it after resolveExtends (which copies what it changes).
    merged = { ...trees[0]! };
  } else {
    for (const t of trees) merged = (mergeCompose(merged, t, mergeProblems) ?? {}) as Dict;
  }
  if (trees.length > 1) merged = enforceUnicity(merged, mergeProblems) as Dict;
  // mergeCompose builds a fresh tree (every value passes through stripMarkers): a second copy is
  // needed only if a marker is left.
  // Before they go: the paths each service's markers name, for `extends` (what a service inherits is
  // reset or replaced by its own markers too).
  const tagged = new Map<string, string[][]>();
  trees.forEach((tree, i) => {
    if (parsed[i]?.markers === false || !isDict(tree.services)) return;
    for (const [service, def] of Object.entries(tree.services)) {
      const paths = markerPaths(def);
      if (paths.length) tagged.set(service, [...(tagged.get(service) ?? []), ...paths]);
    }
  });
  if (parsed.some((p) => p.markers !== false) && hasMarkers(merged)) merged = stripMarkers(merged) as Dict;
  for (const m of mergeProblems) {
    problems.warnings.push({
      code: 'INVALID_VALUE',
      ...locate(sources, m.path),
      path: formatPath(m.path),
      message: m.message,
    });
  }
  delete merged.version;
  delete merged.include;
  delete merged.name;

  const extendsDir = (service: string): string => {
    for (let i = trees.length - 1; i >= 0; i--) {
      const svc = isDict(trees[i]!.services) ? (trees[i]!.services as Dict)[service] : undefined;
      if (isDict(svc) && svc.extends !== undefined) {
        const f = parsed[i]!.file;
        return f.startsWith('<') ? projectDir : dirname(f);
      }
    }
    return projectDir;
  };
  const extendsFiles = new Map<string, { services: Dict } | undefined>();
  if (isDict(merged.services)) {
    merged.services = resolveExtends({
      services: merged.services,
      dirOf: extendsDir,
      projectDir,
      report: (p) => report(problems, sources, [p]),
      tagged: (service) => tagged.get(service) ?? [],
      loadFile: (abs) => {
        if (!extendsFiles.has(abs)) extendsFiles.set(abs, loadExtendsFile(abs, lookup, problems, sources));
        return extendsFiles.get(abs);
      },
    });
  }
  if (failed()) return undefined;

  const activeProfiles = activeProfilesOf(opts, env);
  const split = applyProfiles(merged, activeProfiles, opts.services ?? []);
  if (nesting.chain.length === 0) {
    for (const target of opts.services ?? []) {
      if (split.enabled[target] === undefined && split.disabled[target] === undefined) {
        const guess = closest(target, [...Object.keys(split.enabled), ...Object.keys(split.disabled)]);
        problems.errors.push({
          code: 'UNKNOWN_SERVICE',
          message: `no such service: ${target}`,
          ...(guess ? { hint: `did you mean "${guess}"?` } : {}),
        });
      }
    }
  }
  const ctx = {
    projectName: name,
    workingDir: projectDir,
    env,
    readText: textOrUndefined,
    report: (p: PathProblem) => report(problems, sources, [p]),
  };
  const project = normalizeProject(
    {
      tree: { ...merged, services: split.enabled },
      disabled: split.disabled,
      profiles: split.profiles,
      configFiles: texts.map((t) => t.file),
    },
    ctx,
  );
  if (failed()) return undefined;
  for (const inc of included) {
    absorbInclude(project, inc.project, problems, sources);
    sources.unshift(...inc.sources);
  }
  if (nesting.chain.length === 0 && !opts.skipConsistencyCheck)
    report(problems, sources, checkProject(project));
  if (nesting.chain.length === 0) reportSwarmProblems(project, opts, problems, sources);
  return failed()
    ? undefined
    : { project, sources, environment: { COMPOSE_PROJECT_NAME: project.name, ...env } };
}

/**
 * On a swarm target (`--target swarm` or `x-orc: {target: swarm}`), what Swarm cannot do is listed now,
 * located, before anything is created: errors as problems of their services, warnings with the load's.
 */
function reportSwarmProblems(
  project: Project,
  opts: LoadOptions,
  problems: Problems,
  sources: SourceMap[],
): void {
  if (declaredTarget(project) === 'invalid') {
    report(problems, sources, [
      {
        code: 'INVALID_VALUE',
        path: ['x-orc', 'target'],
        message: 'x-orc.target must be "local" or "swarm"',
        hint: 'remove it for the local engine, or set target: swarm',
      },
    ]);
  }
  if (projectTarget(project, opts.target) === 'swarm') report(problems, sources, swarmProblems(project));
}

/** Reads a file named by `extends.file`: parsed, interpolated, its services (paths rebased later). */
function loadExtendsFile(
  abs: string,
  lookup: (v: string) => string | undefined,
  problems: Problems,
  sources: SourceMap[],
): { services: Dict } | undefined {
  const r = readTextFile(abs);
  if (!r.ok) {
    problems.errors.push({ code: 'EXTENDS', file: abs, message: `extends: file ${abs} not found` });
    return undefined;
  }
  const parsed = parseComposeYaml(abs, r.text, { customTags: yamlTags });
  if (!parsed.ok) {
    problems.errors.push(...parsed.errors);
    return undefined;
  }
  sources.unshift(parsed.parsed.source);
  const i = interpolateTree(parsed.parsed.tree ?? {}, lookup);
  for (const e of i.errors) {
    problems.errors.push({
      code: 'INTERPOLATION',
      ...locate([parsed.parsed.source], e.path),
      path: formatPath(e.path),
      ...interpolationMessage(e.message),
    });
  }
  const tree = stripMarkers(i.value);
  report(problems, [parsed.parsed.source], validateComposeFile(tree));
  return { services: isDict(tree) && isDict(tree.services) ? tree.services : {} };
}

/** `include:` entries of one file → the projects they load (same name, their own directories). */
function loadIncludes(
  value: unknown,
  declaringDir: string,
  file: ParsedFile,
  opts: LoadOptions,
  problems: Problems,
  nesting: Nesting,
  name: string,
  declared: IncludeVariables,
): Loaded[] {
  if (!Array.isArray(value)) return [];
  const out: Loaded[] = [];
  value.forEach((entry, i) => {
    const spec = typeof entry === 'string' ? { path: entry } : isDict(entry) ? entry : undefined;
    if (!spec) return;
    const rel = Array.isArray(spec.path)
      ? spec.path.map(String)
      : typeof spec.path === 'string'
        ? [spec.path]
        : [];
    const files = rel.map((f) => resolve(declaringDir, f));
    const where = locate([file.source], ['include', i]);
    const cyclic = files.find((f) => nesting.chain.includes(f) || f === file.file);
    if (cyclic) {
      const chain = [...nesting.chain, file.file, cyclic].join(' -> ');
      problems.errors.push({
        code: 'INCLUDE',
        ...where,
        path: `include[${i}]`,
        message: `include cycle: ${chain}`,
        hint: 'a file cannot include itself, directly or through others',
      });
      return;
    }
    if (nesting.chain.length >= MAX_INCLUDE_DEPTH) {
      problems.errors.push({
        code: 'INCLUDE',
        ...where,
        path: `include[${i}]`,
        message: `includes nest more than ${MAX_INCLUDE_DEPTH} levels deep`,
        hint: 'flatten the includes',
      });
      return;
    }
    const missing = files.find((f) => !isFile(f));
    if (missing) {
      problems.errors.push({
        code: 'INCLUDE',
        ...where,
        path: `include[${i}]`,
        message: `included file ${missing} not found`,
      });
      return;
    }
    const projectDirectory =
      typeof spec.project_directory === 'string'
        ? resolve(declaringDir, spec.project_directory)
        : dirname(files[0]!);
    const envFiles = Array.isArray(spec.env_file)
      ? spec.env_file.map((f) => resolve(declaringDir, String(f)))
      : typeof spec.env_file === 'string'
        ? [resolve(declaringDir, spec.env_file)]
        : undefined;
    const own = declared.get(i);
    const entryPath: ['include', number] = ['include', i];
    const includeLayers = own
      ? [
          readVariablesBlock(
            own.inline,
            'include-inline',
            file.source,
            [...entryPath, 'variables'],
            problems,
          ),
          // Relative to the included project, where the fixture of compose's tests keeps the file.
          ...readVariablesFiles(
            own.files,
            projectDirectory,
            'include-file',
            file.source,
            [...entryPath, 'variables_file'],
            problems,
            resolve,
          ),
        ]
      : [];
    const sub = loadInto(
      {
        ...opts,
        workingDir: projectDirectory,
        files,
        inline: undefined,
        projectDirectory,
        envFiles:
          envFiles ?? (isFile(resolve(projectDirectory, '.env')) ? [resolve(projectDirectory, '.env')] : []),
        projectName: name,
      },
      problems,
      {
        chain: [...nesting.chain, file.file],
        projectName: name,
        cli: nesting.cli,
        include: includeLayers,
        variables: nesting.variables,
      },
    );
    if (sub) out.push(sub);
  });
  return out;
}

/** An include entry's `variables` / `variables_file`, by the entry's index. */
type IncludeVariables = Map<number, { inline: unknown; files: unknown }>;

/** Takes the include entries' declarations out of `tree`, which is left untouched. */
function takeIncludeVariables(tree: Dict): { tree: Dict; declared: IncludeVariables } {
  const declared: IncludeVariables = new Map();
  if (!Array.isArray(tree.include)) return { tree, declared };
  const include = tree.include.map((entry: unknown, i: number) => {
    if (!isDict(entry)) return entry;
    const split = splitVariables(entry);
    if (split.had) declared.set(i, { inline: split.inline, files: split.files });
    return split.rest;
  });
  return declared.size > 0 ? { tree: { ...tree, include }, declared } : { tree, declared };
}

/** Adds an included project's resources; the same name defined twice (differently) is an error. */
function absorbInclude(project: Project, inc: Project, problems: Problems, sources: SourceMap[]): void {
  project.config_files.push(...inc.config_files.filter((f) => !project.config_files.includes(f)));
  const kinds = ['services', 'networks', 'volumes', 'secrets', 'configs'] as const;
  for (const kind of kinds) {
    const mine = project[kind] as Record<string, unknown>;
    for (const [key, value] of Object.entries(inc[kind] as Record<string, unknown>)) {
      if (key in mine && JSON.stringify(mine[key]) !== JSON.stringify(value)) {
        problems.errors.push({
          code: 'INCLUDE',
          ...locate(sources, [kind, key], 'key'),
          path: `${kind}.${key}`,
          message: `${kind}.${key} conflicts with the one defined by an included file`,
          hint: 'rename one of them; included resources cannot be redefined',
        });
        continue;
      }
      mine[key] = value;
    }
  }
  Object.assign(project.disabled_services, inc.disabled_services);
}

/** compose-go's multi-line interpolation messages, as one line plus a hint. */
function interpolationMessage(text: string): { message: string; hint: string } {
  const lines = text.split('\n');
  if (lines.length > 2) {
    return {
      message: `${lines[0]!.replace(/\.$/, '')}: ${lines.slice(2).join(' ')}`,
      // biome-ignore lint/suspicious/noTemplateCurlyInString: compose's variable syntax, shown to people
      hint: 'write $$ for a literal $; a variable is ${NAME}, ${NAME:-default}, ${NAME:?message}',
    };
  }
  return { message: text, hint: 'set the variable in the environment, .env or --env-file' };
}

/** Turns path problems into located ones. */
export function report(
  problems: Problems,
  sources: readonly SourceMap[],
  list: readonly PathProblem[],
): void {
  for (const p of list) {
    const located: SpecProblem = {
      code: p.code,
      message: p.message,
      ...locate(sources, p.path, p.at ?? 'value'),
      ...(p.path.length > 0 ? { path: formatPath(p.path) } : {}),
      ...(p.hint ? { hint: p.hint } : {}),
    };
    if (p.severity === 'warning') problems.warnings.push(located);
    else if (p.services) problems.services.push({ ...located, services: p.services });
    else problems.errors.push(located);
  }
}

function readDotenvQuietly(
  dir: string,
  opts: LoadOptions,
  env: Record<string, string>,
): Record<string, string> {
  const paths = opts.envFiles?.length
    ? opts.envFiles.map((f) => resolve(opts.workingDir, f))
    : [resolve(dir, '.env')];
  const files = paths.flatMap((p) => {
    const text = textOrUndefined(p);
    return text === undefined ? [] : [{ path: p, text }];
  });
  return readEnvFiles(files, env).values;
}

function collectSources(
  opts: LoadOptions,
  workingDir: string,
  env: Record<string, string>,
  problems: Problems,
): SourceText[] | undefined {
  if (opts.inline && opts.inline.length > 0) {
    const many = opts.inline.length > 1;
    return opts.inline.map((f, i) => ({
      file: f.name ?? (many ? `<inline:${i + 1}>` : '<inline>'),
      text: f.content,
    }));
  }
  let paths: string[];
  if (opts.files && opts.files.length > 0) paths = opts.files.map((f) => resolve(workingDir, f));
  else if (env.COMPOSE_FILE) {
    paths = splitComposeFileVar(env.COMPOSE_FILE, env.COMPOSE_PATH_SEPARATOR).map((f) =>
      resolve(workingDir, f),
    );
  } else {
    const found = discoverComposeFiles(
      opts.projectDirectory ? resolve(workingDir, opts.projectDirectory) : workingDir,
    );
    if (!found) {
      problems.errors.push({
        code: 'NO_COMPOSE_FILE',
        message: `no compose file found in ${workingDir} or any parent directory`,
        hint: 'create compose.yaml, or name the file with -f',
      });
      return undefined;
    }
    for (const other of found.ignored) {
      problems.warnings.push({
        code: 'NO_COMPOSE_FILE',
        file: other,
        message: `found several compose files; using ${found.files[0]}`,
      });
    }
    paths = found.files;
  }
  const out: SourceText[] = [];
  for (const p of paths) {
    const r = readTextFile(p);
    if (r.ok) out.push({ file: p, text: r.text });
    else if (r.reason === 'too-large') {
      problems.errors.push({
        code: 'FILE_TOO_LARGE',
        file: p,
        message: `compose file is ${r.detail}, more than the limit of ${DEFAULT_YAML_LIMITS.maxBytes} bytes`,
        hint: 'split the project into several files or remove unused content',
      });
    } else {
      problems.errors.push({
        code: 'FILE_NOT_FOUND',
        file: p,
        message:
          r.reason === 'directory'
            ? `${p} is a directory, not a compose file`
            : `compose file ${p} not found`,
        ...(r.detail ? { hint: r.detail } : {}),
      });
    }
  }
  return problems.errors.length > 0 ? undefined : out;
}

function resolveEnvFiles(
  opts: LoadOptions,
  workingDir: string,
  projectDir: string,
  problems: Problems,
): Array<{ path: string; text: string }> {
  if (opts.envFiles && opts.envFiles.length > 0) {
    const out: Array<{ path: string; text: string }> = [];
    for (const f of opts.envFiles) {
      const p = isAbsolute(f) ? f : resolve(workingDir, f);
      const r = readTextFile(p);
      if (r.ok) out.push({ path: p, text: r.text });
      else problems.errors.push({ code: 'ENV_FILE', file: p, message: `env file ${p} not found` });
    }
    return out;
  }
  const p = resolve(projectDir, '.env');
  if (!isFile(p)) return [];
  const r = readTextFile(p);
  return r.ok ? [{ path: p, text: r.text }] : [];
}

function projectNameOf(
  opts: LoadOptions,
  env: Record<string, string>,
  parsed: ParsedFile[],
  projectDir: string,
  problems: Problems,
): string | undefined {
  let source: NameSource | undefined;
  if (opts.projectName) source = { value: opts.projectName, origin: 'flag' };
  else if (env.COMPOSE_PROJECT_NAME) source = { value: env.COMPOSE_PROJECT_NAME, origin: 'environment' };
  else {
    for (let i = parsed.length - 1; i >= 0 && !source; i--) {
      const p = parsed[i]!;
      const raw = isDict(p.tree) ? p.tree.name : undefined;
      if (typeof raw !== 'string') continue;
      const r = substitute(raw, (v) => env[v]);
      if (!r.ok) continue;
      source = { value: r.value, origin: 'file', ...locate([p.source], ['name']) };
      if (r.value === '') source = undefined;
    }
  }
  source ??= { value: basename(projectDir), origin: 'directory' };
  const decided = decideProjectName(source);
  if ('error' in decided) {
    problems.errors.push(decided.error);
    return undefined;
  }
  return decided.name;
}

function activeProfilesOf(opts: LoadOptions, env: Record<string, string>): string[] {
  const fromEnv = (env.COMPOSE_PROFILES ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  return [...new Set([...fromEnv, ...(opts.profiles ?? [])])];
}
