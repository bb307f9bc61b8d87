import { describe, expect, it } from 'vitest';
import { diffDefinitions, formatChange, summarizeChanges } from './diff.js';

const def = (o: object) => JSON.stringify(o);

describe('diffDefinitions', () => {
  it.each<[string, object, object, Array<{ path: string; from: unknown; to: unknown }>]>([
    ['identical', { image: 'a', environment: { A: '1' } }, { image: 'a', environment: { A: '1' } }, []],
    [
      'changed map value',
      { environment: { A: '1' } },
      { environment: { A: '2' } },
      [{ path: 'environment.A', from: '1', to: '2' }],
    ],
    [
      'added and removed keys',
      { environment: { A: '1' } },
      { environment: { B: '1' } },
      [
        { path: 'environment.A', from: '1', to: undefined },
        { path: 'environment.B', from: undefined, to: '1' },
      ],
    ],
    [
      'same-length arrays element by element',
      { ports: [{ target: 80, published: '8080' }] },
      { ports: [{ target: 80, published: '9090' }] },
      [{ path: 'ports[0].published', from: '8080', to: '9090' }],
    ],
    [
      'arrays of another length as a whole',
      { command: ['sh', '-c'] },
      { command: ['sh'] },
      [{ path: 'command', from: ['sh', '-c'], to: ['sh'] }],
    ],
    [
      'keys that are not identifiers are quoted',
      { labels: { 'com.example.x': 'a' } },
      { labels: { 'com.example.x': 'b' } },
      [{ path: 'labels["com.example.x"]', from: 'a', to: 'b' }],
    ],
    [
      'type change',
      { healthcheck: { test: ['NONE'] } },
      { healthcheck: null },
      [{ path: 'healthcheck', from: { test: ['NONE'] }, to: null }],
    ],
  ])('%s', (_, a, b, expected) => {
    expect(diffDefinitions(def(a), def(b))).toEqual(expected);
  });

  it('an unreadable old definition is one change at the root', () => {
    expect(diffDefinitions('', def({ image: 'a' }))).toEqual([
      { path: '', from: undefined, to: { image: 'a' } },
    ]);
    expect(diffDefinitions('{not json', def({}))).toEqual([{ path: '', from: undefined, to: {} }]);
  });
});

describe('formatChange / summarizeChanges', () => {
  it('formats values as JSON, absent ones as (unset), and masks secret-looking variables', () => {
    expect(formatChange({ path: 'environment.GREETING', from: 'hello', to: 'bye' })).toBe(
      'environment.GREETING "hello" → "bye"',
    );
    expect(formatChange({ path: 'environment.NEW', from: undefined, to: 'x' })).toBe(
      'environment.NEW (unset) → "x"',
    );
    expect(formatChange({ path: 'environment.API_TOKEN', from: 'a', to: 'b' })).toBe(
      'environment.API_TOKEN (secret) → (secret)',
    );
    expect(formatChange({ path: 'environment["db.password"]', from: 'a', to: 'b' })).toBe(
      'environment["db.password"] (secret) → (secret)',
    );
  });

  it('keeps long values short and lists at most three changes', () => {
    expect(formatChange({ path: 'command', from: 'x'.repeat(100), to: 'y' })).toBe(
      `command "${'x'.repeat(56)}... → "y"`,
    );
    const changes = ['A', 'B', 'C', 'D', 'E'].map((k) => ({ path: `environment.${k}`, from: '1', to: '2' }));
    expect(summarizeChanges(changes)).toBe(
      'environment.A "1" → "2", environment.B "1" → "2", environment.C "1" → "2" and 2 more',
    );
  });
});
