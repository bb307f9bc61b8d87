import { describe, expect, it } from 'vitest';
import { CliError } from '../errors.js';
import { goBool, lsFilter, matchesLsFilter, psFilterStatus } from './filters.js';

function usage(f: () => unknown): string {
  try {
    f();
  } catch (err) {
    if (err instanceof CliError && err.exitCode === 2) return err.message;
    throw err;
  }
  throw new Error('no usage error');
}

describe('ps --filter', () => {
  it('status=VAL joins --status', () => {
    expect(psFilterStatus('status=exited')).toEqual(['exited']);
    expect(psFilterStatus(undefined)).toEqual([]);
    expect(psFilterStatus('')).toEqual([]);
  });

  it('refuses what compose refuses, with its words', () => {
    expect(usage(() => psFilterStatus('status'))).toMatch(/should be in form KEY=VAL/);
    expect(usage(() => psFilterStatus('source=image'))).toMatch(/not implemented/);
    expect(usage(() => psFilterStatus('name=web'))).toMatch(/unknown filter name/);
  });
});

describe('ls --filter', () => {
  it('name=VAL matches as docker filters do: exactly or as an unanchored expression', () => {
    const f = lsFilter(['name=web']);
    expect(matchesLsFilter(f, 'web')).toBe(true);
    expect(matchesLsFilter(f, 'myweb2')).toBe(true);
    expect(matchesLsFilter(f, 'api')).toBe(false);
    expect(matchesLsFilter(lsFilter(['name=^web$']), 'myweb')).toBe(false);
    // Repeated: any of them.
    const two = lsFilter(['name=^a$', ' NAME = b ']);
    expect([matchesLsFilter(two, 'a'), matchesLsFilter(two, 'b'), matchesLsFilter(two, 'c')]).toEqual([
      true,
      true,
      false,
    ]);
    expect(matchesLsFilter(lsFilter([]), 'anything')).toBe(true);
    // Not a valid expression: only the same name.
    expect(matchesLsFilter(lsFilter(['name=a(']), 'a(')).toBe(true);
    expect(matchesLsFilter(lsFilter(['name=a(']), 'ab')).toBe(false);
  });

  it('refuses other keys and values without =', () => {
    expect(usage(() => lsFilter(['status=running']))).toMatch(/invalid filter 'status'/);
    expect(usage(() => lsFilter(['web']))).toMatch(/expected name=value/);
  });
});

describe('goBool', () => {
  it('reads what Go reads', () => {
    const b = goBool('--orphans');
    expect([b(undefined), b('true'), b('1'), b('T'), b('false'), b('0'), b('F')]).toEqual([
      true,
      true,
      true,
      true,
      false,
      false,
      false,
    ]);
    expect(usage(() => b('no'))).toMatch(/--orphans=no/);
  });
});
