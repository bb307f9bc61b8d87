/**
 * Variable substitution in compose values, with compose-go's template semantics:
 * `$V`, `${V}`, `${V:-d}`, `${V-d}`, `${V:?msg}`, `${V?msg}`, `${V:+alt}`, `${V+alt}`, `$$`.
 *
 * A small scanner instead of compose-go's regular expression: braces are matched properly, so a
 * default may hold `{…}`, JSON or another `${…}`, and the argument of an operator is substituted
 * only when it is used (an unused default never reports its unset variables, an unused error
 * message never fails).
 */
import { isOverride, isPlainObject, overrideMarker } from './tags.js';

/** Where variable values come from; `undefined` = unset (an empty string is set). */
export type Lookup = (name: string) => string | undefined;

export type Operator = ':-' | '-' | ':?' | '?' | ':+' | '+';

export type SubstituteResult =
  | { ok: true; value: string; unset: string[] }
  | {
      ok: false;
      message: string;
      /** The variable a `?`/`:?` required, when that is the failure. */
      variable?: string;
      /** `invalid`: the template is malformed; `required`: a `?`/`:?` variable has no value. */
      kind: 'invalid' | 'required';
      /** The (substituted) message given after `?`/`:?`; empty when none. */
      reason?: string;
      /** Why a template is invalid, when there is more to say than "malformed". */
      detail?: string;
    };

type Failure = Extract<SubstituteResult, { ok: false }>;

const NAME_START = /[_a-zA-Z]/;
const NAME_CHAR = /[_a-zA-Z0-9]/;
const BRACED = /^([_a-zA-Z][_a-zA-Z0-9]*)(?:(:?[-+?])([\s\S]*))?$/;

/** Deeper nesting of `${…}` is refused: it only comes from generated input, and costs time and stack. */
export const MAX_NESTING = 64;

type Scan =
  | { kind: 'text'; text: string; end: number }
  | { kind: 'var'; name: string; op?: Operator; arg: string; end: number }
  | { kind: 'invalid'; detail?: string };

/** Reads what starts at `template[at]` (a `$`). */
function scanDollar(template: string, at: number): Scan {
  const next = template[at + 1];
  if (next === '$') return { kind: 'text', text: '$', end: at + 2 };
  if (next === '{') {
    const close = closingBrace(template, at + 1);
    if (close === TOO_DEEP) return { kind: 'invalid', detail: `nested more than ${MAX_NESTING} levels deep` };
    if (close < 0) return { kind: 'invalid' };
    const m = BRACED.exec(template.slice(at + 2, close));
    if (!m) return { kind: 'invalid' };
    return { kind: 'var', name: m[1]!, op: m[2] as Operator | undefined, arg: m[3] ?? '', end: close + 1 };
  }
  if (next !== undefined && NAME_START.test(next)) {
    let end = at + 2;
    while (end < template.length && NAME_CHAR.test(template[end]!)) end++;
    return { kind: 'var', name: template.slice(at + 1, end), arg: '', end };
  }
  // A lone `$` (`a $ b`, `^REGEX$`, `$}`) is kept as written, as compose does.
  return { kind: 'text', text: '$', end: at + 1 };
}

const TOO_DEEP = -2;

/**
 * Index of the `}` closing the `{` at `open`, counting nested braces; -1 when unbalanced, TOO_DEEP
 * beyond MAX_NESTING.
 */
function closingBrace(template: string, open: number): number {
  let depth = 0;
  for (let i = open; i < template.length; i++) {
    const c = template[i];
    if (c === '{') {
      depth++;
      if (depth > MAX_NESTING) return TOO_DEEP;
    } else if (c === '}') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

/** The operator that applies to the text inside `${…}` (compose-go picks the earliest one). */
export function operatorOf(inner: string): Operator | undefined {
  const m = BRACED.exec(inner);
  return m ? (m[2] as Operator | undefined) : undefined;
}

function invalid(template: string, detail?: string): Failure {
  const message = `Invalid template: ${JSON.stringify(shorten(template))}${detail ? ` (${detail})` : ''}`;
  return detail ? { ok: false, kind: 'invalid', message, detail } : { ok: false, kind: 'invalid', message };
}

/** Messages quote the template; a generated one may be megabytes long. */
function shorten(template: string): string {
  return template.length > 200 ? `${template.slice(0, 200)}…` : template;
}

function missing(variable: string, reason: string): Failure {
  return {
    ok: false,
    kind: 'required',
    variable,
    reason,
    message: `required variable ${variable} is missing a value${reason ? `: ${reason}` : ''}`,
  };
}

/** Substitutes every variable of `template`. Stops at the first error, as compose does. */
export function substitute(template: string, lookup: Lookup): SubstituteResult {
  const unset: string[] = [];
  const result = substituteInto(template, lookup, unset);
  if (typeof result !== 'string') {
    return result.kind === 'invalid' ? invalid(template, result.detail) : result;
  }
  return { ok: true, value: result, unset: [...new Set(unset)] };
}

function substituteInto(template: string, lookup: Lookup, unset: string[]): string | Failure {
  let out = '';
  let i = 0;
  while (i < template.length) {
    const dollar = template.indexOf('$', i);
    if (dollar < 0) {
      out += template.slice(i);
      break;
    }
    out += template.slice(i, dollar);
    const scan = scanDollar(template, dollar);
    if (scan.kind === 'invalid') return invalid(template, scan.detail);
    if (scan.kind === 'text') out += scan.text;
    else {
      const value = evaluate(scan.name, scan.op, scan.arg, lookup, unset);
      if (typeof value !== 'string') return value;
      out += value;
    }
    i = scan.end;
  }
  return out;
}

function evaluate(
  name: string,
  op: Operator | undefined,
  arg: string,
  lookup: Lookup,
  unset: string[],
): string | Failure {
  const value = lookup(name);
  const empty = value === undefined || value === '';
  const nested = () => substituteInto(arg, lookup, unset);
  switch (op) {
    case undefined:
      if (value === undefined) unset.push(name);
      return value ?? '';
    case ':-':
      return empty ? nested() : value;
    case '-':
      return value === undefined ? nested() : value;
    case ':+':
      return empty ? '' : nested();
    case '+':
      return value === undefined ? '' : nested();
    case ':?':
    case '?': {
      if (op === ':?' ? !empty : value !== undefined) return value ?? '';
      const reason = nested();
      return typeof reason === 'string' ? missing(name, reason) : reason;
    }
  }
}

/* ---- trees ---- */

export type KeyPath = Array<string | number>;

export interface TreeProblem {
  path: KeyPath;
  message: string;
}

/** Turns an interpolated string into the type a path expects (e.g. `replicas` → number). */
export type Caster = (
  path: KeyPath,
  value: string,
) => { ok: true; value: unknown } | { ok: false; message: string } | undefined;

export interface InterpolateOptions {
  /** Called for every string value after substitution; `undefined` leaves it a string. */
  cast?: Caster;
  /**
   * Receives every string value that holds a `$`, in the order `extractVariables` walks them: the
   * `config --variables` report is read from these (`variablesOfTemplates`) instead of a second walk
   * of the whole tree on every load.
   */
  templates?: string[];
}

export interface InterpolateTreeResult {
  value: unknown;
  errors: TreeProblem[];
  unset: Array<{ path: KeyPath; variable: string }>;
}

const PLAIN_KEY = /^[A-Za-z0-9_-]+$/;

/** `services.web.ports[1]`; keys with dots or spaces are quoted (`labels["com.example"]`). */
export function renderPath(path: KeyPath): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (PLAIN_KEY.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

/**
 * Interpolates every string value of a plain YAML tree (keys are left alone). Collects every error
 * instead of stopping at the first; a value that fails keeps its text. `!override` markers are
 * interpolated inside, `!reset` markers left as they are. Never mutates `tree`.
 *
 * Copy on write: a map or list none of whose values changed is returned as it is (most values hold
 * no `$`), so the result shares those nodes with `tree`. A whole-tree copy of a 1,000-service file
 * was ~15 % of the load's time in garbage collection (docs/benchmarks.md); every later stage copies
 * what it changes (merge, extends, profiles) or builds new values (normalise).
 */
export function interpolateTree(
  tree: unknown,
  lookup: Lookup,
  opts: InterpolateOptions = {},
): InterpolateTreeResult {
  const errors: TreeProblem[] = [];
  const unset: InterpolateTreeResult['unset'] = [];
  // One path stack for the whole walk (a new array per node was most of this function's cost);
  // it is copied only where it is kept: in a problem, or handed to `cast`.
  const path: KeyPath = [];
  const substituted = new Map<string, SubstituteResult>();
  const walk = (node: unknown): unknown => {
    if (typeof node === 'string') return interpolateString(node);
    if (Array.isArray(node)) {
      let out: unknown[] | undefined;
      for (let i = 0; i < node.length; i++) {
        path.push(i);
        const item: unknown = node[i];
        const value = walk(item);
        path.pop();
        if (out) out[i] = value;
        else if (value !== item) {
          out = node.slice(0, i);
          out[i] = value;
        }
      }
      return out ?? node;
    }
    if (isOverride(node)) {
      const inner = walk(node.value);
      return inner === node.value ? node : overrideMarker(inner);
    }
    if (isPlainObject(node)) {
      let out: Record<string, unknown> | undefined;
      const keys = Object.keys(node);
      for (let i = 0; i < keys.length; i++) {
        const k = keys[i]!;
        path.push(k);
        const item = node[k];
        const value = walk(item);
        path.pop();
        if (out) out[k] = value;
        else if (value !== item) {
          // The keys before this one, in order: the copy keeps the map's key order.
          out = {};
          for (let j = 0; j < i; j++) out[keys[j]!] = node[keys[j]!];
          out[k] = value;
        }
      }
      return out ?? node;
    }
    return node;
  };
  const interpolateString = (text: string): unknown => {
    // Most values hold no `$`: nothing to substitute, nothing to report.
    if (text.indexOf('$') >= 0) opts.templates?.push(text);
    else if (!opts.cast) return text;
    // The same template gives the same result in one walk (the lookup is fixed): a value repeated in
    // every service (`\${REGION:-eu}`) is parsed once. Problems still get each path.
    let r = substituted.get(text);
    if (!r) {
      r = substitute(text, lookup);
      substituted.set(text, r);
    }
    if (!r.ok) {
      errors.push({
        path: path.slice(),
        message:
          r.kind === 'invalid'
            ? `invalid interpolation format for ${renderPath(path)}.\nYou may need to escape any $ with another $.\n${shorten(text)}${r.detail ? `\n(${r.detail})` : ''}`
            : `error while interpolating ${renderPath(path)}: ${r.message}`,
      });
      return text;
    }
    for (const variable of r.unset) unset.push({ path: path.slice(), variable });
    const cast = opts.cast?.(path.slice(), r.value);
    if (!cast) return r.value;
    if (cast.ok) return cast.value;
    errors.push({
      path: path.slice(),
      message: `error while interpolating ${renderPath(path)}: failed to cast to expected type: ${cast.message}`,
    });
    return r.value;
  };
  return { value: walk(tree), errors, unset };
}

export interface VariableInfo {
  name: string;
  /** After `-` / `:-`. */
  defaultValue?: string;
  /** After `+` / `:+`. */
  presenceValue?: string;
  /** `?` / `:?`. */
  required: boolean;
}

/**
 * Every variable a tree refers to (the data behind `config --variables`), with its default,
 * presence value and whether it is required. Variables inside defaults count too. When a name
 * appears more than once, the last occurrence wins (as compose-go).
 */
export function extractVariables(tree: unknown): Record<string, VariableInfo> {
  const templates: string[] = [];
  const walk = (node: unknown): void => {
    if (typeof node === 'string') {
      if (node.indexOf('$') >= 0) templates.push(node);
    } else if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) walk(node[i]);
    } else if (isOverride(node)) walk(node.value);
    else if (isPlainObject(node)) {
      const keys = Object.keys(node);
      for (let i = 0; i < keys.length; i++) walk(node[keys[i]!]);
    }
  };
  walk(tree);
  return variablesOfTemplates(templates);
}

/** `extractVariables` of a tree whose strings holding a `$` are `templates` (in the walk's order). */
export function variablesOfTemplates(templates: readonly string[]): Record<string, VariableInfo> {
  const found: Record<string, VariableInfo> = {};
  for (const t of templates) for (const v of variablesIn(t)) found[v.name] = v;
  return found;
}

function variablesIn(template: string): VariableInfo[] {
  const out: VariableInfo[] = [];
  let i = template.indexOf('$');
  while (i >= 0) {
    const scan = scanDollar(template, i);
    // Malformed parts are skipped: listing variables must not fail where loading reports the error.
    if (scan.kind === 'invalid') {
      i = template.indexOf('$', i + 1);
      continue;
    }
    if (scan.kind === 'var') {
      const info: VariableInfo = { name: scan.name, required: scan.op === '?' || scan.op === ':?' };
      if (scan.op === '-' || scan.op === ':-') info.defaultValue = scan.arg;
      if (scan.op === '+' || scan.op === ':+') info.presenceValue = scan.arg;
      out.push(info);
      if (info.defaultValue) out.push(...variablesIn(info.defaultValue));
    }
    i = template.indexOf('$', scan.end);
  }
  return out;
}
