import { describe, expect, it } from 'vitest';
import { overrideBuildArgs } from './build-args.js';

describe('overrideBuildArgs (build --build-arg)', () => {
  const base = { A: 'file', B: 'file' };

  it('KEY=VAL sets or replaces; the rest stays', () => {
    expect(overrideBuildArgs(base, ['A=cli', 'C=new', 'D='], {})).toEqual({
      A: 'cli',
      B: 'file',
      C: 'new',
      D: '',
    });
  });

  it('a bare KEY takes the client environment, or removes the arg when it has none (as compose)', () => {
    expect(overrideBuildArgs(base, ['A', 'E'], { A: 'env', E: 'e' })).toEqual({
      A: 'env',
      B: 'file',
      E: 'e',
    });
    expect(overrideBuildArgs(base, ['B'], {})).toEqual({ A: 'file' });
  });

  it('the last of repeated flags wins; a value may hold `=`', () => {
    expect(overrideBuildArgs({}, ['X=1', 'X=a=b'], {})).toEqual({ X: 'a=b' });
  });
});
