import type { CollectionTag, ScalarTag } from 'yaml';

/**
 * Stand-in for dotenv.ts / interpolate.ts / merge.ts / tags.ts, which another engineer is writing.
 * Same signatures; switch these exports over to the real modules once they land.
 */
export type Lookup = (name: string) => string | undefined;

type Sub = { ok: true; value: string; unset: string[] } | { ok: false; message: string; variable?: string };

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

export function substitute(template: string, lookup: Lookup): Sub {
  let out = '';
  const unset: string[] = [];
  let i = 0;
  while (i < template.length) {
    const ch = template[i];
    if (ch !== '$') {
      out += ch;
      i++;
      continue;
    }
    const next = template[i + 1];
    if (next === '$') {
      out += '$';
      i += 2;
      continue;
    }
    if (next === '{') {
      let depth = 1;
      let j = i + 2;
      while (j < template.length && depth > 0) {
        if (template[j] === '{') depth++;
        else if (template[j] === '}') depth--;
        if (depth > 0) j++;
      }
      if (depth > 0) return { ok: false, message: `invalid interpolation format for "${template}"` };
      const inner = template.slice(i + 2, j);
      const m = NAME.exec(inner);
      if (!m) return { ok: false, message: `invalid interpolation format for "${template}"` };
      const name = m[0];
      const rest = inner.slice(name.length);
      const value = lookup(name);
      const op = /^(:-|-|:\?|\?|:\+|\+)/.exec(rest)?.[0];
      if (!op && rest !== '') return { ok: false, message: `invalid interpolation format for "${template}"` };
      const arg = op ? rest.slice(op.length) : '';
      const evalArg = (): Sub => substitute(arg, lookup);
      const emptyOrUnset = value === undefined || value === '';
      let piece: string;
      if (op === ':-' || op === '-') {
        const useDefault = op === ':-' ? emptyOrUnset : value === undefined;
        if (useDefault) {
          const r = evalArg();
          if (!r.ok) return r;
          unset.push(...r.unset);
          piece = r.value;
        } else piece = value ?? '';
      } else if (op === ':?' || op === '?') {
        const missing = op === ':?' ? emptyOrUnset : value === undefined;
        if (missing) {
          const r = evalArg();
          const reason = r.ok ? r.value : '';
          return {
            ok: false,
            variable: name,
            message: `required variable ${name} is missing a value${reason ? `: ${reason}` : ''}`,
          };
        }
        piece = value ?? '';
      } else if (op === ':+' || op === '+') {
        const present = op === ':+' ? !emptyOrUnset : value !== undefined;
        if (present) {
          const r = evalArg();
          if (!r.ok) return r;
          piece = r.value;
        } else piece = '';
      } else {
        if (value === undefined) unset.push(name);
        piece = value ?? '';
      }
      out += piece;
      i = j + 1;
      continue;
    }
    const m = NAME.exec(template.slice(i + 1));
    if (m) {
      const value = lookup(m[0]);
      if (value === undefined) unset.push(m[0]);
      out += value ?? '';
      i += 1 + m[0].length;
      continue;
    }
    out += '$';
    i++;
  }
  return { ok: true, value: out, unset };
}

export function interpolateTree(
  tree: unknown,
  lookup: Lookup,
): {
  value: unknown;
  errors: Array<{ path: Array<string | number>; message: string }>;
  unset: Array<{ path: Array<string | number>; variable: string }>;
} {
  const errors: Array<{ path: Array<string | number>; message: string }> = [];
  const unset: Array<{ path: Array<string | number>; variable: string }> = [];
  const walk = (node: unknown, path: Array<string | number>): unknown => {
    if (typeof node === 'string') {
      const r = substitute(node, lookup);
      if (!r.ok) {
        errors.push({ path, message: r.message });
        return node;
      }
      for (const v of r.unset) unset.push({ path, variable: v });
      return r.value;
    }
    if (Array.isArray(node)) return node.map((x, i) => walk(x, [...path, i]));
    if (node && typeof node === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(node)) out[k] = walk(v, [...path, k]);
      return out;
    }
    return node;
  };
  return { value: walk(tree, []), errors, unset };
}

export function parseDotenv(
  text: string,
  opts: { lookup?: Lookup } = {},
): { values: Record<string, string>; errors: Array<{ message: string; line?: number; col?: number }> } {
  const values: Record<string, string> = {};
  const errors: Array<{ message: string; line?: number; col?: number }> = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((raw, idx) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const m = /^(?:export\s+)?([A-Za-z_.][A-Za-z0-9_.-]*)\s*(?:[=:]\s*(.*))?$/.exec(line);
    if (!m) {
      errors.push({ message: `unexpected character in "${line}"`, line: idx + 1, col: 1 });
      return;
    }
    const key = m[1]!;
    let value = m[2] ?? '';
    if (m[2] === undefined) {
      const v = opts.lookup?.(key);
      if (v !== undefined) values[key] = v;
      return;
    }
    if (value.startsWith("'") && value.lastIndexOf("'") > 0) value = value.slice(1, value.lastIndexOf("'"));
    else {
      if (value.startsWith('"') && value.lastIndexOf('"') > 0) {
        value = value.slice(1, value.lastIndexOf('"')).replace(/\\n/g, '\n').replace(/\\"/g, '"');
      } else value = value.replace(/\s+#.*$/, '').trim();
      const r = substitute(value, (n) => opts.lookup?.(n) ?? values[n]);
      if (r.ok) value = r.value;
    }
    values[key] = value;
  });
  return { values, errors };
}

export function readEnvFiles(
  files: Array<{ path: string; text: string }>,
  env: Record<string, string>,
): {
  values: Record<string, string>;
  errors: Array<{ message: string; line?: number; col?: number; file: string }>;
} {
  const values: Record<string, string> = {};
  const errors: Array<{ message: string; line?: number; col?: number; file: string }> = [];
  for (const f of files) {
    const r = parseDotenv(f.text, { lookup: (n) => env[n] ?? values[n] });
    Object.assign(values, r.values);
    for (const e of r.errors) errors.push({ ...e, file: f.path });
  }
  return { values, errors };
}

export function mergeCompose(base: unknown, override: unknown): unknown {
  if (Array.isArray(base) && Array.isArray(override)) return [...base, ...override];
  if (isObj(base) && isObj(override)) {
    const out: Record<string, unknown> = { ...base };
    for (const [k, v] of Object.entries(override)) out[k] = k in out ? mergeCompose(out[k], v) : v;
    return out;
  }
  return override === undefined ? base : override;
}

export function enforceUnicity(tree: unknown): unknown {
  return tree;
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const RESET = Object.freeze({ orcReset: true });

/** Stand-in for tags.ts: `!reset` drops the key, `!override` keeps the value as written. */
export const composeTags: Array<ScalarTag | CollectionTag> = [
  { tag: '!reset', resolve: () => RESET },
  { tag: '!reset', collection: 'map', resolve: () => RESET },
  { tag: '!reset', collection: 'seq', resolve: () => RESET },
  { tag: '!override', resolve: (text: string) => text },
];

export function stripMarkers(tree: unknown): unknown {
  if (tree === RESET) return undefined;
  if (Array.isArray(tree)) return tree.filter((x) => x !== RESET).map(stripMarkers);
  if (isObj(tree)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(tree)) if (v !== RESET) out[k] = stripMarkers(v);
    return out;
  }
  return tree;
}
