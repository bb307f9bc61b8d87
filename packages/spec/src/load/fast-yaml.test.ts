import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { composeGoCorpusAvailable, composeGoCorpusDir } from './corpus/compose-go.js';
import { aliasPositions, fastParse } from './fast-yaml.js';
import { composeTags, isOverride, isReset } from './tags.js';
import { DEFAULT_YAML_LIMITS, parseComposeYaml, parseWithPositions } from './yaml.js';

const awesomeDir = join(composeGoCorpusDir, '../awesome-compose');

function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...yamlFiles(p));
    else if (/\.ya?ml$/.test(name)) out.push(p);
  }
  return out;
}

/** Markers made comparable: toEqual does not see symbol keys. */
function visible(v: unknown): unknown {
  if (isReset(v)) return { $reset: true };
  if (isOverride(v)) return { $override: visible(v.value) };
  if (Array.isArray(v)) return v.map(visible);
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, visible(x)]));
  }
  return v;
}

/** The fast path's tree (or undefined when it declines) beside the `yaml` path's. */
function both(text: string): { fast: unknown; declined?: string; reference: unknown } {
  const fast = fastParse(text, DEFAULT_YAML_LIMITS, true);
  const ref = parseWithPositions('f.yaml', text, DEFAULT_YAML_LIMITS, { customTags: composeTags });
  const reference = ref.ok ? visible(ref.parsed.tree) : { errors: ref.errors.map((e) => e.message) };
  return fast.ok
    ? { fast: visible(fast.tree), reference }
    : { fast: undefined, declined: fast.reason, reference };
}

/** Same data, and in the same key order (key order shows in `config` output and hashes). */
function expectSame(text: string): void {
  const r = both(text);
  if (r.fast === undefined) return;
  expect(JSON.stringify(r.fast)).toBe(JSON.stringify(r.reference));
}

describe.skipIf(!composeGoCorpusAvailable())('js-yaml fast path agrees with the yaml path', () => {
  it('on every awesome-compose file, and reads nearly all of them itself', () => {
    const files = yamlFiles(awesomeDir);
    expect(files.length).toBeGreaterThan(30);
    let fast = 0;
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      const r = both(text);
      if (r.fast !== undefined) {
        fast++;
        expect(JSON.stringify(r.fast), f).toBe(JSON.stringify(r.reference));
      }
    }
    expect(fast).toBeGreaterThan(files.length * 0.9);
  });

  it('on 3,000 seeded random edits of those files: where js-yaml reads one, yaml reads the same', () => {
    const texts = yamlFiles(awesomeDir).map((f) => readFileSync(f, 'utf8'));
    const edits = ['  ', '- ', ': ', '&a ', '*a', '<<: *a\n', '!reset ', '!override ', '? ', '"', "'", '#'];
    edits.push('\n', '\t', '[', ']', '{', '}', ',', '|', '>', '%', '~', 'on', '0x1F', '.inf', '---\n');
    let seed = 42;
    const rnd = (n: number): number => {
      seed = (seed * 1_103_515_245 + 12_345) & 0x7fffffff;
      return Math.floor((seed / 0x80000000) * n);
    };
    let read = 0;
    for (let i = 0; i < 3_000; i++) {
      let t = texts[rnd(texts.length)]!;
      for (let e = rnd(3); e >= 0; e--) {
        const at = rnd(t.length);
        const cut = rnd(3);
        t = t.slice(0, at) + (cut === 0 ? '' : edits[rnd(edits.length)]) + t.slice(at + (cut === 1 ? 0 : 1));
      }
      const r = both(t);
      if (r.fast === undefined) continue;
      read++;
      expect(JSON.stringify(r.fast), t).toBe(JSON.stringify(r.reference));
    }
    expect(read).toBeGreaterThan(1_000);
  }, 60_000);

  it("on compose-go's full example and merge vectors", () => {
    expectSame(readFileSync(join(composeGoCorpusDir, 'full-example/full-example.yml'), 'utf8'));
    const merge = JSON.parse(readFileSync(join(composeGoCorpusDir, 'merge.json'), 'utf8')) as {
      cases: Array<Record<string, unknown>>;
      unicityCases: Array<Record<string, unknown>>;
    };
    for (const c of [...merge.cases, ...merge.unicityCases]) {
      for (const k of ['base', 'override', 'expected', 'input']) {
        if (typeof c[k] === 'string') expectSame(c[k] as string);
      }
    }
  });
});

describe('js-yaml fast path: YAML 1.2 core scalars as `yaml` reads them', () => {
  it.each([
    'v: yes\nw: on\nx: no\ny: off\nz: Y',
    'a: true\nb: True\nc: TRUE\nd: false\ne: tRUE',
    'a: ~\nb: null\nc: Null\nd: NULL\ne:\nf: nUll',
    'a: 0440\nb: 0o440\nc: 0x1F\nd: 0X1F\ne: 440\nf: 0b101\ng: 08\nh: -0755\ni: +12\nj: 1_000',
    'a: 1e3\nb: 1.5\nc: .5\nd: 1.\ne: .inf\nf: -.Inf\ng: .NaN\nh: 1.0e-3\ni: 12:30:00\nj: 2001-12-14',
    'a: "0440"\nb: \'yes\'\nc: "1e3"\nd: |\n  x\n  y\ne: >-\n  p\n  q\n',
    '1: a\n1.50: b\ntrue: c\n0x10: d\n.inf: e',
    'a: !reset []\nb: !reset\nc: !override {x: 1}\nd: !override [1]\ne: !override 3\nf: !reset {a: 1}',
    'x: &a {p: 1, q: 2}\ny:\n  q: 0\n  <<: *a\n  r: 3\n  p: 9\nz: {<<: [*a, {q: 5, s: 6}]}\n',
    'x: &a {p: 1}\nl: [*a, *a]\ns: &s hello\nt: *s\n',
    'a: "x\\ty\\u00e9"\nb: \'it\'\'s\'\nc: plain # comment\nd: "multi\n  line"\n',
  ])('%s', (text) => {
    const r = both(text);
    expect(r.declined).toBeUndefined();
    expect(JSON.stringify(r.fast)).toBe(JSON.stringify(r.reference));
  });

  it.each([
    ['a directive', '%YAML 1.1\n---\nv: yes\n'],
    ['an explicit tag', 'v: !!str 1\n'],
    ['an explicit key', '? [a]\n: 1\n'],
    ['a flow key', '{[a]: 1}\n'],
    ['a quoted merge key', 'a: &a {x: 1}\nb: {"<<": *a}\n'],
    ['a null key', '~: 1\n'],
    ['a duplicate key', 'a: 1\na: 2\n'],
    ['an unknown tag', 'a: !weird 1\n'],
    ['an alias inside an anchor', 'a: &a {x: 1}\nb: &b {y: *a}\nc: *b\n'],
    ['a merge of a scalar', 'a: &a 1\nb: {<<: *a}\n'],
    ['a syntax error', 'a: [1\n'],
    ['a comment glued to a quote', 'a: "x"#c\n'],
    ['an alias as a key', 'a: &a [1]\nb: {*a : 1}\n'],
    ['a key over 1,024 characters', `${'k'.repeat(1100)}: 1\n`],
  ])('declines %s', (_what, text) => {
    expect(fastParse(text, DEFAULT_YAML_LIMITS, true).ok).toBe(false);
  });

  it('declines compose tags when they were not asked for', () => {
    expect(fastParse('a: !reset []\n', DEFAULT_YAML_LIMITS, false).ok).toBe(false);
  });
});

describe('parseComposeYaml with the fast path', () => {
  it('locates a problem from a lazy `yaml` parse', () => {
    const r = parseComposeYaml('f.yaml', 'services:\n  web:\n    ports:\n      - "80:80"\n', {
      customTags: composeTags,
    });
    if (!r.ok) throw new Error('parse failed');
    expect(r.parsed.source.positions.get(['services', 'web', 'ports', 0])).toEqual({
      value: { line: 4, col: 9 },
    });
  });

  it('refuses a billion laughs in milliseconds', () => {
    const lines = ['x-a0: &a0 "lol"'];
    for (let i = 1; i <= 10; i++) {
      lines.push(`x-a${i}: &a${i} [${Array.from({ length: 10 }, () => `*a${i - 1}`).join(', ')}]`);
    }
    const t0 = performance.now();
    const r = parseComposeYaml('f.yaml', `${lines.join('\n')}\n`, { customTags: composeTags });
    expect(performance.now() - t0).toBeLessThan(500);
    expect(!r.ok && r.errors[0]?.code).toBe('YAML_LIMIT');
  });

  it('reads 150 services that merge one anchor itself', () => {
    const lines = ['x-common: &common', '  image: busybox', '  environment: {A: "1"}', 'services:'];
    for (let i = 0; i < 150; i++) lines.push(`  s${i}:`, '    <<: *common', `    hostname: h${i}`);
    const r = fastParse(lines.join('\n'), DEFAULT_YAML_LIMITS, true);
    expect(r.ok && Object.keys((r.tree as { services: object }).services)).toHaveLength(150);
  });
});

describe('aliasPositions', () => {
  // The two whole-text patterns the scan at each `*` replaced: it must find exactly what they found.
  const asKey = /\*[^\s,[\]{}]+[ \t]+:(?:[ \t]|$)/m;
  const alias = /(?:^|[\s[{,])\*[^\s,[\]{}]/gm;
  const reference = (text: string): number[] | undefined =>
    asKey.test(text) ? undefined : [...text.matchAll(alias)].map((m) => m.index + m[0].indexOf('*'));

  it('agrees with the whole-text patterns on any text of the characters that matter', () => {
    const chars = fc.constantFrom(
      '*',
      'a',
      ' ',
      '\t',
      '\n',
      '\r',
      ':',
      ',',
      '[',
      ']',
      '{',
      '}',
      '&',
      '\u00a0',
      '-',
    );
    fc.assert(
      fc.property(fc.array(chars, { maxLength: 40 }), (parts) => {
        const text = parts.join('');
        expect(aliasPositions(text)).toEqual(reference(text));
      }),
      { numRuns: 3000 },
    );
  });

  it('finds the merge aliases of a file and refuses an alias as a key', () => {
    expect(aliasPositions('a: &c {x: 1}\nb:\n  <<: *c\nd: [*c, *c]\n')).toEqual([22, 29, 33]);
    expect(aliasPositions('*c : 1\n')).toBeUndefined();
  });
});
