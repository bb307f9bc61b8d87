import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import {
  applyTag,
  composeTags,
  hasMarkers,
  isOverride,
  isPlainObject,
  isReset,
  overrideMarker,
  resetMarker,
  stripMarkers,
  unwrap,
} from './tags.js';

function load(text: string): { value: unknown; warnings: string[]; errors: string[] } {
  const doc = parseDocument(text, { customTags: composeTags, merge: true });
  return {
    value: doc.toJS({ maxAliasCount: 100 }),
    warnings: doc.warnings.map((w) => w.message),
    errors: doc.errors.map((e) => e.message),
  };
}

describe('composeTags with the yaml package', () => {
  const { value, warnings, errors } = load(`
x-common: &common {A: '1', B: '2'}
services:
  web:
    ports: !reset []
    image: !reset
    volumes: !reset
      - a:/a
    environment: !override
      <<: *common
      C: '3'
    command: !override [sh, -c, "true"]
    hostname: !override web-1
    dns: [a, !reset b, c]
    labels: !override {}
`);
  const web = (value as { services: { web: Record<string, unknown> } }).services.web;

  it('parses without warnings or errors', () => {
    expect(errors).toEqual([]);
    expect(warnings).toEqual([]);
  });

  it.each(['ports', 'image', 'volumes'])('!reset on %s gives a reset marker', (key) => {
    expect(isReset(web[key])).toBe(true);
  });

  it.each([
    ['environment', { A: '1', B: '2', C: '3' }],
    ['command', ['sh', '-c', 'true']],
    ['hostname', 'web-1'],
    ['labels', {}],
  ])('!override on %s wraps the resolved value (merge keys included)', (key, expected) => {
    const v = web[key];
    expect(isOverride(v)).toBe(true);
    expect(unwrap(v)).toEqual(expected);
  });

  it('marks sequence items too', () => {
    expect((web.dns as unknown[]).map((d) => isReset(d))).toEqual([false, true, false]);
  });

  it('keeps the tag on the node for code that walks nodes itself', () => {
    const doc = parseDocument('a: !override {b: 1}\nc: !reset []\n', { customTags: composeTags });
    const a = doc.getIn(['a'], true) as { tag?: string };
    expect(a.tag).toBe('!override');
    expect(isOverride(applyTag(a.tag, { b: 1 }))).toBe(true);
    expect(isReset(applyTag('!reset', []))).toBe(true);
    expect(applyTag(undefined, 5)).toBe(5);
  });
});

describe('markers in plain trees', () => {
  it('are invisible to JSON and Object.keys', () => {
    expect(JSON.stringify({ a: resetMarker() })).toBe('{"a":{}}');
    expect(Object.keys(overrideMarker(1))).toEqual(['value']);
  });

  it('are not plain objects', () => {
    expect(isPlainObject(resetMarker())).toBe(false);
    expect(isPlainObject(overrideMarker({}))).toBe(false);
    expect(isPlainObject({})).toBe(true);
    expect(isPlainObject([])).toBe(false);
    expect(isPlainObject(null)).toBe(false);
  });

  it('stripMarkers drops resets, unwraps overrides, and copies', () => {
    const tree = {
      a: resetMarker(),
      b: overrideMarker({ c: [1, resetMarker(), overrideMarker(2)] }),
      d: [resetMarker(), { e: 'f' }],
    };
    const stripped = stripMarkers(tree);
    expect(stripped).toEqual({ b: { c: [1, 2] }, d: [{ e: 'f' }] });
    expect(hasMarkers(tree)).toBe(true);
    expect(hasMarkers(stripped)).toBe(false);
    expect((stripped as { d: unknown[] }).d[0]).not.toBe(tree.d[1]);
  });

  it('unwrap leaves ordinary values alone', () => {
    expect(unwrap('x')).toBe('x');
    expect(unwrap(resetMarker())).toBeUndefined();
  });
});
