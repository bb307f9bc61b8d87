import { describe, expect, it } from 'vitest';
import { CliError } from '../errors.js';
import { memoryBytes, pullPolicy } from './build.js';

describe('build -m (docker RAMInBytes)', () => {
  it('reads binary units, any case, with an optional i/b', () => {
    expect(memoryBytes('1048576')).toBe(1048576);
    expect(memoryBytes('512m')).toBe(512 * 1024 ** 2);
    expect(memoryBytes('1G')).toBe(1024 ** 3);
    expect(memoryBytes('1.5GiB')).toBe(1.5 * 1024 ** 3);
    expect(memoryBytes('64kb')).toBe(64 * 1024);
  });

  it('refuses what is not a size (exit 2)', () => {
    for (const bad of ['', 'lots', '-1m', '0', '5x']) {
      expect(() => memoryBytes(bad), bad).toThrow(CliError);
    }
  });
});

describe('pull --policy', () => {
  it('takes missing and always; anything else is a usage error', () => {
    expect([pullPolicy('missing'), pullPolicy('always')]).toEqual(['missing', 'always']);
    expect(() => pullPolicy('never')).toThrow(CliError);
  });
});
