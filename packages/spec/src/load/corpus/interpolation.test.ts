// biome-ignore-all lint/suspicious/noTemplateCurlyInString: compose templates are the subject of these tests
/**
 * Every case of compose-go's interpolation vectors, through our `substitute`, `interpolateTree`,
 * `operatorOf` and `extractVariables`.
 *
 * Treated differently on purpose (and why):
 * - `resultOnError` (the string Go returns next to an error) is a detail of the Go API; we return
 *   no value on error.
 * - `warnings` counts compose-go's "variable is not set" log lines; we return the unset names
 *   instead (deduplicated), and compare their number.
 * - extractVariables: Go writes zero values (`DefaultValue: ""`); we leave the field out when no
 *   `-`/`:-` (or `+`/`:+`) operator was written, and compare `?? ''`.
 */
import { describe, expect, it } from 'vitest';
import { extractVariables, interpolateTree, operatorOf, substitute } from '../interpolate.js';
import {
  composeGoCorpusAvailable,
  corpusTitle,
  type InterpolationCase,
  interpolationVectors,
} from './compose-go.js';

const vectors = interpolationVectors();
const lookupIn =
  (env: Record<string, string>) =>
  (name: string): string | undefined =>
    Object.hasOwn(env, name) ? env[name] : undefined;

function treeAt(path: string, value: unknown): unknown {
  return path
    .split('.')
    .reverse()
    .reduce<unknown>((inner, key) => ({ [key]: inner }), value);
}

function valueAt(tree: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], tree);
}

function expectMessage(actual: string, c: InterpolationCase): void {
  if (c.errorMessage === undefined) return;
  if (c.errorMatch === 'equals') expect(actual).toBe(c.errorMessage);
  else expect(actual).toContain(c.errorMessage);
}

describe.skipIf(!composeGoCorpusAvailable())(corpusTitle('compose-go interpolation vectors'), () => {
  it('has the documented number of cases', () => {
    expect(vectors.cases).toHaveLength(103);
    expect(vectors.documentCases).toHaveLength(2);
    expect(vectors.operatorChoice).toHaveLength(12);
    expect(vectors.extractVariables).toHaveLength(18);
  });

  const templateCases = vectors.cases.filter((c) => c.function !== 'interpolation.Interpolate');
  const interpolateCases = vectors.cases.filter((c) => c.function === 'interpolation.Interpolate');

  it.each(templateCases)('substitute: $name', (c) => {
    const r = substitute(c.template, lookupIn(c.env));
    if (c.error) {
      expect(r.ok).toBe(false);
      if (r.ok) return;
      expectMessage(r.message, c);
      if (c.errorType === 'MissingRequiredError') expect(r.kind).toBe('required');
      if (c.errorFields) {
        expect(r.variable).toBe(c.errorFields.Variable);
        expect(r.reason).toBe(c.errorFields.Reason);
      }
      return;
    }
    expect(r).toMatchObject({ ok: true, value: c.expected });
    if (c.warnings !== undefined && r.ok) expect(r.unset).toHaveLength(c.warnings);
  });

  it.each(interpolateCases)('interpolateTree: $name', (c) => {
    const path = c.path ?? 'value';
    const r = interpolateTree(treeAt(path, c.template), lookupIn(c.env));
    if (c.error) {
      expect(r.errors).toHaveLength(1);
      expect(r.errors[0]?.path).toEqual(path.split('.'));
      expectMessage(r.errors[0]?.message ?? '', c);
      return;
    }
    expect(r.errors).toEqual([]);
    expect(valueAt(r.value, path)).toBe(c.expected);
  });

  it.each(vectors.documentCases)('interpolateTree (document): $name', (c) => {
    // The cast mapping TestInterpolateWithCast supplies itself: `*.replicas` → int, `*.required` → bool.
    const r = interpolateTree(c.input, lookupIn(c.env), {
      cast: (path, value) => {
        if (!c.typeCasts) return undefined;
        const last = path[path.length - 1];
        if (last === 'replicas') {
          return /^[+-]?\d+$/.test(value)
            ? { ok: true, value: Number(value) }
            : { ok: false, message: `invalid int ${value}` };
        }
        if (last === 'required') {
          if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value)) return { ok: true, value: true };
          if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(value)) return { ok: true, value: false };
          return { ok: false, message: `invalid bool ${value}` };
        }
        return undefined;
      },
    });
    expect(r.errors).toEqual([]);
    expect(r.value).toEqual(c.expected);
  });

  it.each(vectors.operatorChoice)('operatorOf: $name', (c) => {
    expect(operatorOf(c.input)).toBe(c.symbol);
  });

  it.each(vectors.extractVariables)('extractVariables: $name', (c) => {
    const actual = Object.fromEntries(
      Object.entries(extractVariables(c.input)).map(([k, v]) => [
        k,
        {
          Name: v.name,
          DefaultValue: v.defaultValue ?? '',
          PresenceValue: v.presenceValue ?? '',
          Required: v.required,
        },
      ]),
    );
    expect(actual).toEqual(c.expected);
  });
});
