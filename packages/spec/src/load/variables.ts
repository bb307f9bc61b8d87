/**
 * compose's `variables` / `variables_file`: defaults for `${...}` interpolation, declared in the
 * compose file (top level, or on an `include:` entry) or given with `--var` / `--var-file`.
 *
 * Precedence, highest first: the client's environment, `.env` / `--env-file` (compose-go hands the
 * loader one environment map with both, and `variables` are only defaults under it), `--var`,
 * `--var-file` (later files win), the include entry's `variables`, its `variables_file`, the file's
 * own `variables`, its `variables_file` (later files win). Declarations are scoped to the file that
 * makes them (or the include they configure): they never leak into a sibling include or the parent.
 */
import type { SpecProblem } from '../model/errors.js';
import { type Dict, isDict } from '../normalize/context.js';
import { substitute } from './deps.js';
import { readTextFile } from './files.js';
import { type VariableInfo, variablesOfTemplates } from './interpolate.js';
import { formatPath, type KeyPath } from './path.js';
import { locate, type SourceMap } from './positions.js';
import { parseComposeYaml } from './yaml.js';

/** Where a variable's value came from, as `config --variables` shows it. */
export type VariableSource = string;

/** One row of `config --variables`. */
export interface VariableReport {
  name: string;
  required: boolean;
  defaultValue?: string;
  alternateValue?: string;
  /** Absent: the variable has no value (unset). */
  value?: string;
  source?: VariableSource;
}

interface Declared {
  raw: string;
  sources: SourceMap[];
  path: KeyPath;
}

/** One set of declarations, all from the same place. */
export interface VariableLayer {
  label: VariableSource;
  vars: Map<string, Declared>;
}

export interface VariableSink {
  errors: SpecProblem[];
  warnings: SpecProblem[];
}

const NAME = /^[_a-zA-Z][_a-zA-Z0-9]*$/;

/**
 * A `variables:` mapping → a layer. Numbers and booleans become their text (`PORT: 8080` is "8080"),
 * as every interpolated value is text; anything else is refused where it was written.
 */
export function readVariablesBlock(
  value: unknown,
  label: VariableSource,
  source: SourceMap,
  path: KeyPath,
  sink: VariableSink,
): VariableLayer {
  const layer: VariableLayer = { label, vars: new Map() };
  if (value === undefined || value === null) return layer;
  if (!isDict(value)) {
    sink.errors.push(problem('SCHEMA', source, path, `${formatPath(path)} must be a mapping of NAME: value`));
    return layer;
  }
  for (const [name, v] of Object.entries(value)) {
    const at = [...path, name];
    if (!NAME.test(name)) {
      sink.errors.push({
        ...problem('INVALID_VALUE', source, at, `"${name}" is not a variable name`, 'key'),
        hint: 'a name is letters, digits and "_", not starting with a digit',
      });
      continue;
    }
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') {
      layer.vars.set(name, { raw: String(v), sources: [source], path: at });
      continue;
    }
    sink.errors.push({
      ...problem('INVALID_VALUE', source, at, `variable ${name} must be a string, a number or a boolean`),
      hint: v === null ? `write ${name}: "" for an empty value` : 'variables hold one value each',
    });
  }
  return layer;
}

/**
 * `variables_file:` (one path or a list) → one layer per file, highest precedence first (later
 * files win). Each file holds a `variables:` mapping and nothing else.
 */
export function readVariablesFiles(
  value: unknown,
  baseDir: string,
  labelPrefix: string,
  source: SourceMap,
  path: KeyPath,
  sink: VariableSink,
  resolvePath: (base: string, rel: string) => string,
): VariableLayer[] {
  if (value === undefined || value === null) return [];
  const entries = typeof value === 'string' ? [value] : Array.isArray(value) ? value : undefined;
  if (!entries) {
    sink.errors.push(
      problem('SCHEMA', source, path, `${formatPath(path)} must be a path or a list of paths`),
    );
    return [];
  }
  const layers: VariableLayer[] = [];
  entries.forEach((entry, i) => {
    const at = typeof value === 'string' ? path : [...path, i];
    if (typeof entry !== 'string') {
      sink.errors.push(problem('SCHEMA', source, at, `${formatPath(at)} must be a path`));
      return;
    }
    const abs = resolvePath(baseDir, entry);
    const layer = readVariablesFile(abs, `${labelPrefix} ${entry}`, source, at, sink);
    if (layer) layers.unshift(layer);
  });
  return layers;
}

/**
 * A `--var-file` or `variables_file` entry. A missing file is reported where it was named (`source`
 * at `at`); `--var-file` has no such place, so the error names the file itself.
 */
export function readVariablesFile(
  abs: string,
  label: VariableSource,
  source: SourceMap | undefined,
  at: KeyPath,
  sink: VariableSink,
): VariableLayer | undefined {
  const text = readTextFile(abs);
  if (!text.ok) {
    sink.errors.push({
      code: 'VARIABLES',
      ...(source ? locate([source], at) : { file: abs }),
      ...(source ? { path: formatPath(at) } : {}),
      message: `variables file ${abs} ${text.reason === 'directory' ? 'is a directory' : 'not found'}`,
    });
    return undefined;
  }
  const parsed = parseComposeYaml(abs, text.text);
  if (!parsed.ok) {
    sink.errors.push(...parsed.errors);
    return undefined;
  }
  const tree = parsed.parsed.tree;
  const src = parsed.parsed.source;
  if (tree !== null && !isDict(tree)) {
    sink.errors.push(problem('SCHEMA', src, [], 'a variables file must be a mapping with `variables:`'));
    return undefined;
  }
  for (const key of Object.keys(tree ?? {})) {
    if (key !== 'variables') {
      sink.errors.push({
        ...problem('UNKNOWN_KEY', src, [key], `unknown key "${key}" in a variables file`, 'key'),
        hint: 'a variables file holds `variables:` only',
      });
    }
  }
  return readVariablesBlock((tree as Dict | null)?.variables, label, src, ['variables'], sink);
}

/** `--var NAME=VALUE` values → the `cli` layer (names were checked by the client; checked again here). */
export function cliLayer(values: Record<string, string> | undefined, sink: VariableSink): VariableLayer {
  const layer: VariableLayer = { label: 'cli', vars: new Map() };
  for (const [name, raw] of Object.entries(values ?? {})) {
    if (!NAME.test(name)) {
      sink.errors.push({
        code: 'VARIABLES',
        message: `--var ${name}: "${name}" is not a variable name`,
        hint: 'write --var NAME=VALUE',
      });
      continue;
    }
    layer.vars.set(name, { raw, sources: [], path: [] });
  }
  return layer;
}

export interface VariableScope {
  lookup: (name: string) => string | undefined;
  /**
   * `config --variables` rows for the variables a tree uses and the ones this scope declares; the
   * tree is given by its strings that hold a `$` (interpolateTree's `templates`).
   */
  report: (templates: readonly string[]) => VariableReport[];
}

/**
 * The lookup of one file: the environment first, then the layers (highest first). A declared value
 * may use other variables (`FULL: ${IMAGE}:${TAG}`), looked up the same way; a cycle is an error
 * where the value was written. Every declared value is resolved now, so that its errors are
 * reported even when no value uses it, as compose validates the whole file.
 */
export function variableScope(
  env: Record<string, string>,
  clientEnv: Record<string, string>,
  layers: readonly VariableLayer[],
  sink: VariableSink,
  fallback: (name: string) => string | undefined = () => undefined,
): VariableScope {
  const memo = new Map<Declared, string>();
  const resolving = new Set<Declared>();
  const find = (name: string): { value: string; source: VariableSource } | undefined => {
    if (Object.hasOwn(clientEnv, name)) return { value: clientEnv[name]!, source: 'environment' };
    if (Object.hasOwn(env, name)) return { value: env[name]!, source: 'env-file' };
    for (const layer of layers) {
      const d = layer.vars.get(name);
      if (d) return { value: expand(name, d), source: layer.label };
    }
    const other = fallback(name);
    return other === undefined ? undefined : { value: other, source: 'project-name' };
  };
  const expand = (name: string, d: Declared): string => {
    const known = memo.get(d);
    if (known !== undefined) return known;
    if (resolving.has(d)) {
      sink.errors.push({
        code: 'VARIABLES',
        ...where(d),
        message: `variable ${name} refers to itself (through its value or another variable's)`,
        hint: 'break the cycle: give one of the variables a plain value',
      });
      memo.set(d, d.raw);
      return d.raw;
    }
    resolving.add(d);
    const r = substitute(d.raw, (n) => find(n)?.value);
    resolving.delete(d);
    if (memo.has(d)) return memo.get(d)!;
    if (!r.ok) {
      sink.errors.push({
        code: 'INTERPOLATION',
        ...where(d),
        message: `variable ${name}: ${r.message.split('\n')[0]}`,
      });
      memo.set(d, d.raw);
      return d.raw;
    }
    for (const u of r.unset) {
      sink.warnings.push({
        code: 'UNSET_VARIABLE',
        ...where(d),
        message: `the "${u}" variable is not set; defaulting to a blank string`,
      });
    }
    memo.set(d, r.value);
    return r.value;
  };
  for (const layer of layers) for (const [name, d] of layer.vars) expand(name, d);
  return {
    lookup: (name) => find(name)?.value,
    report: (templates) => {
      const used: Record<string, VariableInfo> = variablesOfTemplates(templates);
      for (const layer of layers) {
        for (const name of layer.vars.keys()) used[name] ??= { name, required: false };
      }
      return Object.values(used).map((info) => {
        const hit = find(info.name);
        return {
          name: info.name,
          required: info.required,
          ...(info.defaultValue !== undefined ? { defaultValue: info.defaultValue } : {}),
          ...(info.presenceValue !== undefined ? { alternateValue: info.presenceValue } : {}),
          ...(hit ? { value: hit.value, source: hit.source } : {}),
        };
      });
    },
  };
}

/** Takes `variables` / `variables_file` out of a mapping (a file, an include entry) before interpolation. */
export function splitVariables(node: Dict): { rest: Dict; inline: unknown; files: unknown; had: boolean } {
  if (!('variables' in node) && !('variables_file' in node))
    return { rest: node, inline: undefined, files: undefined, had: false };
  const { variables, variables_file, ...rest } = node;
  return { rest, inline: variables, files: variables_file, had: true };
}

/** Rows of several scopes, without repeats, by name. */
export function mergeReports(rows: readonly VariableReport[]): VariableReport[] {
  const seen = new Map<string, VariableReport>();
  for (const r of rows) seen.set(JSON.stringify(r), r);
  return [...seen.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function where(d: Declared): { file?: string; line?: number; col?: number; path?: string } {
  if (d.sources.length === 0) return {};
  return { ...locate(d.sources, d.path), path: formatPath(d.path) };
}

function problem(
  code: SpecProblem['code'],
  source: SourceMap,
  path: KeyPath,
  message: string,
  at: 'key' | 'value' = 'value',
): SpecProblem {
  return { code, ...locate([source], path, at), ...(path.length ? { path: formatPath(path) } : {}), message };
}
