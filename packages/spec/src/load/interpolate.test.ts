// biome-ignore-all lint/suspicious/noTemplateCurlyInString: compose templates are the subject of these tests
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { extractVariables, interpolateTree, MAX_NESTING, renderPath, substitute } from './interpolate.js';
import { isOverride, isReset, overrideMarker, resetMarker } from './tags.js';

const env: Record<string, string> = { SET: 'value', EMPTY: '', PORT: '8080', HOST: 'db', JSON: '{"a":1}' };
const lookup = (name: string) => (Object.hasOwn(env, name) ? env[name] : undefined);

describe('substitute: each form', () => {
  it.each([
    ['no variable', 'plain text', 'plain text'],
    ['$V set', 'x=$SET', 'x=value'],
    ['$V stops at a non-name character', '$SET-suffix', 'value-suffix'],
    ['$V with digits and underscores', '$PORT_X$PORT', '8080'],
    ['${V} set', '${SET}', 'value'],
    ['${V} glued to text', 'a${SET}b', 'avalueb'],
    ['${V} unset', '[${NOPE}]', '[]'],
    ['${V} empty', '[${EMPTY}]', '[]'],
    ['${V:-d} set', '${SET:-d}', 'value'],
    ['${V:-d} empty', '${EMPTY:-d}', 'd'],
    ['${V:-d} unset', '${NOPE:-d}', 'd'],
    ['${V-d} set', '${SET-d}', 'value'],
    ['${V-d} empty keeps empty', '[${EMPTY-d}]', '[]'],
    ['${V-d} unset', '${NOPE-d}', 'd'],
    ['${V:+a} set', '${SET:+a}', 'a'],
    ['${V:+a} empty', '[${EMPTY:+a}]', '[]'],
    ['${V:+a} unset', '[${NOPE:+a}]', '[]'],
    ['${V+a} set', '${SET+a}', 'a'],
    ['${V+a} empty counts as set', '${EMPTY+a}', 'a'],
    ['${V+a} unset', '[${NOPE+a}]', '[]'],
    ['${V:?m} set', '${SET:?m}', 'value'],
    ['${V?m} empty is fine', '[${EMPTY?m}]', '[]'],
    ['$$ escapes', '$$SET and $${SET}', '$SET and ${SET}'],
    ['$$$V', '$$$SET', '$value'],
    ['lone $ kept', 'cost: 5$ or $ 5', 'cost: 5$ or $ 5'],
    ['$ before a digit kept', '$1 $2', '$1 $2'],
    ['$} kept', '$}', '$}'],
    ['default with a colon and dash', '${NOPE:-a:-b}', 'a:-b'],
    ['default with braces (JSON)', '${NOPE:-{"k":{"n":1}}}', '{"k":{"n":1}}'],
    ['value with braces is not re-read', '${JSON:-x}', '{"a":1}'],
    ['nested default', '${NOPE:-${HOST}:${PORT}}', 'db:8080'],
    ['nested default, three levels', '${A:-${B:-${C:-deep}}}', 'deep'],
    ['nested default with $$', '${NOPE:-$${HOST}}', '${HOST}'],
    ['text after a default', '${NOPE:-x} }}}', 'x }}}'],
    ['several variables', '$HOST:${PORT}/${NOPE:-db}', 'db:8080/db'],
    ['multi-line text', 'a\n${SET}\nb', 'a\nvalue\nb'],
    ['unicode around', 'é${SET}ü', 'évalueü'],
  ])('%s', (_name, template, expected) => {
    expect(substitute(template, lookup)).toMatchObject({ ok: true, value: expected });
  });
});

describe('substitute: errors', () => {
  it.each([
    ['${', 'Invalid template: "${"'],
    ['${}', 'Invalid template: "${}"'],
    ['${ X}', 'Invalid template: "${ X}"'],
    ['${X }', 'Invalid template: "${X }"'],
    ['${X!}', 'Invalid template: "${X!}"'],
    ['${X:y}', 'Invalid template: "${X:y}"'],
    ['${1X}', 'Invalid template: "${1X}"'],
    ['ok ${SET} then ${', 'Invalid template: "ok ${SET} then ${"'],
    ['${NOPE:-{unclosed}', 'Invalid template: "${NOPE:-{unclosed}"'],
  ])('%s is invalid', (template, message) => {
    expect(substitute(template, lookup)).toEqual({ ok: false, kind: 'invalid', message });
  });

  it.each([
    ['${NOPE:?need it}', 'NOPE', 'need it', 'required variable NOPE is missing a value: need it'],
    ['${EMPTY:?not empty}', 'EMPTY', 'not empty', 'required variable EMPTY is missing a value: not empty'],
    ['${NOPE?}', 'NOPE', '', 'required variable NOPE is missing a value'],
    ['${NOPE:?}', 'NOPE', '', 'required variable NOPE is missing a value'],
    ['${NOPE?on $HOST}', 'NOPE', 'on db', 'required variable NOPE is missing a value: on db'],
    ['${A:-${NOPE?inner}}', 'NOPE', 'inner', 'required variable NOPE is missing a value: inner'],
  ])('%s is a missing required variable', (template, variable, reason, message) => {
    expect(substitute(template, lookup)).toEqual({ ok: false, kind: 'required', variable, reason, message });
  });

  it('accepts nesting up to MAX_NESTING levels and refuses deeper nesting without exhausting the stack', () => {
    const nest = (depth: number) => `${'${A:-'.repeat(depth)}x${'}'.repeat(depth)}`;
    expect(substitute(nest(MAX_NESTING), lookup)).toMatchObject({ ok: true, value: 'x' });
    for (const depth of [MAX_NESTING + 1, 20_000]) {
      const r = substitute(nest(depth), lookup);
      expect(r).toMatchObject({
        ok: false,
        kind: 'invalid',
        detail: `nested more than ${MAX_NESTING} levels deep`,
      });
      expect(r.ok ? 0 : r.message.length).toBeLessThan(300);
    }
    // Listing skips the too-deep outer layers and still finds the variable inside them.
    expect(Object.keys(extractVariables({ a: nest(20_000) }))).toEqual(['A']);
  });

  it('stops at the first error in text order', () => {
    const r = substitute('${FIRST:?one} ${SECOND:?two}', lookup);
    expect(r).toMatchObject({ ok: false, variable: 'FIRST' });
  });
});

describe('substitute: unset variables and laziness', () => {
  it.each([
    ['$NOPE', ['NOPE']],
    ['${NOPE} ${NOPE} ${OTHER}', ['NOPE', 'OTHER']],
    ['${EMPTY}', []],
    ['${NOPE:-x}', []],
    ['${NOPE-${ALSO}}', ['ALSO']],
    ['${SET:-${ALSO}}', []],
    ['${NOPE:+${ALSO}}', []],
    ['${SET?${ALSO}}', []],
  ])('%s reports %j', (template, unset) => {
    expect(substitute(template, lookup)).toMatchObject({ ok: true, unset });
  });

  it('an unused error message is never evaluated, even when it is itself an error', () => {
    expect(substitute('${SET:?${NOPE?boom}}', lookup)).toMatchObject({ ok: true, value: 'value' });
  });
});

describe('interpolateTree', () => {
  it('interpolates values of maps and sequences, never keys, and keeps non-strings', () => {
    const tree = {
      services: {
        $HOST: { image: 'img:${PORT}', ports: ['${PORT}:80', 443], init: true, scale: null },
      },
    };
    const r = interpolateTree(tree, lookup);
    expect(r.errors).toEqual([]);
    expect(r.value).toEqual({
      services: { $HOST: { image: 'img:8080', ports: ['8080:80', 443], init: true, scale: null } },
    });
    expect(tree.services.$HOST.image).toBe('img:${PORT}');
  });

  it('collects every error with its path and keeps the failing text', () => {
    const r = interpolateTree(
      { services: { web: { image: '${', environment: { A: '${NOPE:?set NOPE}' }, ports: ['ok', '${'] } } },
      lookup,
    );
    expect(r.errors).toEqual([
      {
        path: ['services', 'web', 'image'],
        message:
          'invalid interpolation format for services.web.image.\nYou may need to escape any $ with another $.\n${',
      },
      {
        path: ['services', 'web', 'environment', 'A'],
        message:
          'error while interpolating services.web.environment.A: required variable NOPE is missing a value: set NOPE',
      },
      {
        path: ['services', 'web', 'ports', 1],
        message:
          'invalid interpolation format for services.web.ports[1].\nYou may need to escape any $ with another $.\n${',
      },
    ]);
    expect((r.value as { services: { web: { image: string } } }).services.web.image).toBe('${');
  });

  it('lists unset variables with their paths', () => {
    const r = interpolateTree({ a: ['$X'], b: { c: '${Y} ${X}' } }, lookup);
    expect(r.unset).toEqual([
      { path: ['a', 0], variable: 'X' },
      { path: ['b', 'c'], variable: 'Y' },
      { path: ['b', 'c'], variable: 'X' },
    ]);
  });

  it('interpolates inside !override and leaves !reset alone', () => {
    const r = interpolateTree({ a: overrideMarker({ b: '$HOST' }), c: resetMarker() }, lookup);
    const value = r.value as { a: unknown; c: unknown };
    expect(isOverride(value.a) && value.a.value).toEqual({ b: 'db' });
    expect(isReset(value.c)).toBe(true);
  });

  it('casts with the caller’s caster and reports a failed cast', () => {
    const r = interpolateTree({ deploy: { replicas: '${PORT}' }, x: { replicas: '$HOST' } }, lookup, {
      cast: (path, value) =>
        path[path.length - 1] === 'replicas'
          ? /^\d+$/.test(value)
            ? { ok: true, value: Number(value) }
            : { ok: false, message: `"${value}" is not a number` }
          : undefined,
    });
    expect(r.value).toEqual({ deploy: { replicas: 8080 }, x: { replicas: 'db' } });
    expect(r.errors).toEqual([
      {
        path: ['x', 'replicas'],
        message:
          'error while interpolating x.replicas: failed to cast to expected type: "db" is not a number',
      },
    ]);
  });
});

describe('renderPath', () => {
  it.each([
    [['services', 'web', 'ports', 1], 'services.web.ports[1]'],
    [['services', 'web', 'labels', 'com.example.x'], 'services.web.labels["com.example.x"]'],
    [[0, 'a'], '[0].a'],
    [[], ''],
  ])('%j → %s', (path, text) => {
    expect(renderPath(path)).toBe(text);
  });
});

describe('extractVariables', () => {
  it('finds variables with defaults, presence values and required flags, skipping malformed parts', () => {
    expect(
      extractVariables({
        a: '${A:-x} ${B?} $C ${D:+p} $${E} ${ bad} ${F:-${G:-inner}}',
        list: [{ deep: '$H' }],
        o: overrideMarker('$I'),
      }),
    ).toEqual({
      A: { name: 'A', defaultValue: 'x', required: false },
      B: { name: 'B', required: true },
      C: { name: 'C', required: false },
      D: { name: 'D', presenceValue: 'p', required: false },
      F: { name: 'F', defaultValue: '${G:-inner}', required: false },
      G: { name: 'G', defaultValue: 'inner', required: false },
      H: { name: 'H', required: false },
      I: { name: 'I', required: false },
    });
  });
});

// Generated inputs (fast-check) with a fixed seed, so that a failure reproduces.
const params = { seed: 20261123, numRuns: 100 };

describe('substitute properties', () => {
  it('text without $ is returned as it is', () => {
    fc.assert(
      fc.property(
        fc.string().filter((s) => !s.includes('$')),
        (s) => {
          expect(substitute(s, () => 'x')).toEqual({ ok: true, value: s, unset: [] });
        },
      ),
      params,
    );
  });

  it('doubling every $ escapes any text', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        expect(substitute(s.replaceAll('$', '$$$$'), () => 'x')).toMatchObject({ ok: true, value: s });
      }),
      params,
    );
  });

  it('never throws, whatever the text', () => {
    const dollarHeavy = fc
      .array(fc.constantFrom('$', '{', '}', ':', '-', '?', '+', 'A', '_', '1', ' '), { maxLength: 30 })
      .map((a) => a.join(''));
    fc.assert(
      fc.property(fc.oneof(fc.string(), dollarHeavy), (s) => {
        const lookup = (n: string) => (n === 'A' ? 'a' : undefined);
        const r = substitute(s, lookup);
        expect(typeof r.ok).toBe('boolean');
        expect(() => extractVariables({ s })).not.toThrow();
        expect(interpolateTree({ s }, lookup).errors).toHaveLength(r.ok ? 0 : 1);
      }),
      params,
    );
  });
});
