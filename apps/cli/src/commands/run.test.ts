import { homedir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { CliError } from '../errors.js';
import { expandHome, labelArg } from './run.js';

describe('orc run flag values', () => {
  it('-l KEY=VAL repeats into a map; the value may hold "=" or be empty; no "=" is a usage error', () => {
    expect(labelArg('b=x=y', labelArg('a=1', undefined))).toEqual({ a: '1', b: 'x=y' });
    expect(labelArg('empty=', undefined)).toEqual({ empty: '' });
    expect(() => labelArg('novalue', undefined)).toThrow(CliError);
    expect(() => labelArg('=v', undefined)).toThrow(/KEY=VALUE/);
  });

  it('-v ~ is the client home; other sources go as written', () => {
    expect(expandHome('~/src:/src')).toBe(`${homedir()}/src:/src`);
    expect(expandHome('~:/home')).toBe(`${homedir()}:/home`);
    expect(expandHome('./src:/src')).toBe('./src:/src');
    expect(expandHome('~other/x:/x')).toBe('~other/x:/x');
    expect(expandHome('data:/data')).toBe('data:/data');
  });
});
