import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { version } from './version.js';

const bin = fileURLToPath(new URL('../bin/orc.js', import.meta.url));

describe('bin/orc.js answers `orc --version` before reading the bundle (issue 17)', () => {
  it('holds the same version as src/version.ts', () => {
    const match = /const VERSION = '([^']+)';/.exec(readFileSync(bin, 'utf8'));
    expect(match?.[1]).toBe(version);
  });

  it.each(['--version', '-v'])('prints the version for %s, as the bundle does', (flag) => {
    const env = { ...process.env, ORC_INVOKED_AS: '', ORC_AS_COMPOSE: '' };
    expect(execFileSync(process.execPath, [bin, flag], { env, encoding: 'utf8' })).toBe(`${version}\n`);
  });
});
