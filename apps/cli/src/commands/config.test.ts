import { describe, expect, it } from 'vitest';
import { environmentLines, hashedServices, variablesTable } from './config.js';

// `config --hash a,b` is about those services: the daemon refuses it only for their problems (issue 21 item 3).
describe('config --hash: the services sent to the daemon', () => {
  it.each([
    [undefined, undefined],
    ['*', undefined],
    ['', undefined],
    ['a', ['a']],
    ['a,b', ['a', 'b']],
    ['a,,b', ['a', 'b']],
  ])('--hash %j → %j', (hash, expected) => {
    expect(hashedServices(hash)).toEqual(expected);
  });
});

describe('config --variables', () => {
  it("prints compose's columns plus the resolved value and its source", () => {
    const out = variablesTable([
      { name: 'APP_VERSION', required: false, value: '1.4.2', source: 'root-inline' },
      { name: 'MODULE', required: false, defaultValue: 'empty' },
      { name: 'TOKEN', required: true, value: 'x', source: 'environment' },
    ]);
    expect(out.split('\n')).toEqual([
      'NAME          REQUIRED   DEFAULT VALUE   ALTERNATE VALUE   RESOLVED VALUE   SOURCE',
      'APP_VERSION   false                                        1.4.2            root-inline',
      'MODULE        false      empty',
      'TOKEN         true                                         x                environment',
      '',
    ]);
  });
});

describe('config --environment', () => {
  it('prints KEY=VALUE lines sorted as Go sorts them (byte order)', () => {
    expect(environmentLines({ b: '2', B: '1', A: 'x=y', _Z: '' })).toBe('A=x=y\nB=1\n_Z=\nb=2\n');
    expect(environmentLines({})).toBe('');
  });
});
