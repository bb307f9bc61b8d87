import type { KeyPath } from '../load/path.js';
import type { PathProblem } from '../normalize/context.js';
import { isDict, toBool, toInt, toNumber } from '../normalize/context.js';
import { closest } from './suggest.js';

/** A small schema language: enough to say what the Compose Specification allows, with good messages. */
export type Shape =
  | { kind: 'string' }
  | { kind: 'bool' }
  | { kind: 'int' }
  | { kind: 'number' }
  | { kind: 'scalar' }
  | { kind: 'any' }
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'list'; of: Shape }
  | { kind: 'map'; of: Shape; keys?: RegExp; keyHint?: string }
  | { kind: 'object'; props: Record<string, Shape>; required?: readonly string[] }
  | { kind: 'oneOf'; options: readonly Shape[]; describe: string };

export const str: Shape = { kind: 'string' };
export const bool: Shape = { kind: 'bool' };
export const int: Shape = { kind: 'int' };
export const num: Shape = { kind: 'number' };
export const scalar: Shape = { kind: 'scalar' };
export const any: Shape = { kind: 'any' };
export const list = (of: Shape): Shape => ({ kind: 'list', of });
export const map = (of: Shape, keys?: RegExp, keyHint?: string): Shape => ({
  kind: 'map',
  of,
  ...(keys ? { keys } : {}),
  ...(keyHint ? { keyHint } : {}),
});
export const obj = (props: Record<string, Shape>, required?: readonly string[]): Shape => ({
  kind: 'object',
  props,
  ...(required ? { required } : {}),
});
export const oneOf = (describe: string, ...options: Shape[]): Shape => ({ kind: 'oneOf', options, describe });
export const enumOf = (...values: string[]): Shape => ({ kind: 'enum', values });
export const strOrList: Shape = oneOf('a string or a list of strings', str, list(str));
export const listOrDict: Shape = oneOf(
  'a list of "KEY=value" strings or a mapping',
  list(scalar),
  map(scalar),
);

function kindOf(v: unknown): 'null' | 'string' | 'number' | 'boolean' | 'list' | 'dict' | 'other' {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'list';
  if (isDict(v)) return 'dict';
  const t = typeof v;
  return t === 'string' || t === 'number' || t === 'boolean' ? t : 'other';
}

/** Whether a value is of the broad kind a shape accepts (used to pick a oneOf branch). */
function accepts(shape: Shape, v: unknown): boolean {
  const k = kindOf(v);
  switch (shape.kind) {
    case 'string':
      return k === 'string' || k === 'number';
    case 'bool':
      return k === 'boolean' || (k === 'string' && toBool(v) !== undefined);
    case 'int':
      return toInt(v) !== undefined;
    case 'number':
      return toNumber(v) !== undefined;
    case 'scalar':
      return k === 'string' || k === 'number' || k === 'boolean';
    case 'enum':
      return k === 'string';
    case 'any':
      return true;
    case 'list':
      return k === 'list';
    case 'map':
    case 'object':
      return k === 'dict';
    case 'oneOf':
      for (let i = 0; i < shape.options.length; i++) if (accepts(shape.options[i]!, v)) return true;
      return false;
  }
}

function describe(shape: Shape): string {
  switch (shape.kind) {
    case 'string':
      return 'a string';
    case 'bool':
      return 'true or false';
    case 'int':
      return 'an integer';
    case 'number':
      return 'a number';
    case 'scalar':
      return 'a string, number or boolean';
    case 'any':
      return 'anything';
    case 'enum':
      return `one of ${shape.values.map((v) => `"${v}"`).join(', ')}`;
    case 'list':
      return 'a list';
    case 'map':
    case 'object':
      return 'a mapping';
    case 'oneOf':
      return shape.describe;
  }
}

function show(v: unknown): string {
  if (kindOf(v) === 'list') return 'a list';
  if (kindOf(v) === 'dict') return 'a mapping';
  return JSON.stringify(v);
}

/** Checks a tree against a shape; reports every problem, not only the first. Null is always allowed. */
export function checkShape(shape: Shape, v: unknown, path: KeyPath, out: PathProblem[]): void {
  check(shape, v, [...path], out);
}

/**
 * One path stack for the whole walk, copied only into a problem: a new path array and an
 * `Object.entries` pair per value were most of this walk's cost on a 100k-value file.
 */
function check(shape: Shape, v: unknown, path: Array<string | number>, out: PathProblem[]): void {
  if (v === null || v === undefined) return;
  if (shape.kind === 'oneOf') {
    // A loop, not `find`: a closure per value of a 100k-value tree (heap sampling).
    let option: Shape | undefined;
    for (let i = 0; i < shape.options.length && !option; i++) {
      if (accepts(shape.options[i]!, v)) option = shape.options[i];
    }
    if (!option) {
      out.push({ code: 'SCHEMA', path: path.slice(), message: `expected ${shape.describe}, got ${show(v)}` });
    } else check(option, v, path, out);
    return;
  }
  if (!accepts(shape, v)) {
    out.push({ code: 'SCHEMA', path: path.slice(), message: `expected ${describe(shape)}, got ${show(v)}` });
    return;
  }
  switch (shape.kind) {
    case 'enum':
      if (!shape.values.includes(v as string)) {
        const guess = closest(String(v), shape.values);
        out.push({
          code: 'INVALID_VALUE',
          path: path.slice(),
          message: `${JSON.stringify(v)} is not ${describe(shape)}`,
          ...(guess ? { hint: `did you mean "${guess}"?` } : {}),
        });
      }
      return;
    case 'list': {
      const items = v as unknown[];
      for (let i = 0; i < items.length; i++) {
        path.push(i);
        check(shape.of, items[i], path, out);
        path.pop();
      }
      return;
    }
    case 'map': {
      const dict = v as Record<string, unknown>;
      const keys = Object.keys(dict);
      for (let i = 0; i < keys.length; i++) {
        const k = keys[i]!;
        if (k.startsWith('x-')) continue;
        if (shape.keys && !shape.keys.test(k)) {
          out.push({
            code: 'SCHEMA',
            path: [...path, k],
            at: 'key',
            message: `invalid name "${k}"`,
            ...(shape.keyHint ? { hint: shape.keyHint } : {}),
          });
          continue;
        }
        path.push(k);
        check(shape.of, dict[k], path, out);
        path.pop();
      }
      return;
    }
    case 'object': {
      const dict = v as Record<string, unknown>;
      const keys = Object.keys(dict);
      for (let i = 0; i < keys.length; i++) {
        const k = keys[i]!;
        const sub = shape.props[k];
        if (sub) {
          path.push(k);
          check(sub, dict[k], path, out);
          path.pop();
        } else if (!k.startsWith('x-')) {
          const guess = closest(k, Object.keys(shape.props));
          out.push({
            code: 'UNKNOWN_KEY',
            path: [...path, k],
            at: 'key',
            message: `unknown key "${k}"`,
            ...(guess ? { hint: `did you mean "${guess}"?` } : {}),
          });
        }
      }
      // No `?? []`: that is a new array for every map of the file.
      if (shape.required)
        for (const r of shape.required) {
          if (!(r in dict))
            out.push({ code: 'SCHEMA', path: path.slice(), at: 'key', message: `"${r}" is required here` });
        }
      return;
    }
    default:
      return;
  }
}
