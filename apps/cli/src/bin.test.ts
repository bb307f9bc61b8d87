import { execFileSync, spawnSync } from 'node:child_process';
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

/** The bin with the hot bundle (dist/hot.js) and without it (ORC_HOT_BUNDLE=0): same output, same exit. */
function both(args: string[], extra: NodeJS.ProcessEnv = {}) {
  const run = (hot: boolean) => {
    const env = { ...process.env, ORC_INVOKED_AS: '', ...extra, ...(hot ? {} : { ORC_HOT_BUNDLE: '0' }) };
    const r = spawnSync(process.execPath, [bin, ...args], { env, encoding: 'utf8' });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  return { hot: run(true), full: run(false) };
}

describe('bin/orc.js runs plain `ps` and `up` from the hot bundle, anything else from the full one', () => {
  // No daemon listens there and none may be started: the hot path's own error, reported as main.ts does.
  const absent = { ORC_HOST: 'unix:///nonexistent/orc.sock', ORC_NO_AUTOSTART: '1' };

  it.each([[['-p', 'x', 'ps']], [['-p', 'x', 'ps', '-a', '--format', 'json']], [['-p', 'x', 'up', '-d']]])(
    '%j: the same refusal as the full bundle when no daemon answers',
    (args) => {
      const { hot, full } = both(args, absent);
      expect(hot.stderr).toContain('cannot reach the orc daemon');
      expect(hot).toEqual(full);
    },
  );

  it.each([
    [['ps', '--help']],
    [['up', '--help']],
    [['ps', '--bogus']],
    [['ps', '--format', 'yaml']],
    [['-p', 'x', 'up', '-d', '--no-start', '--wait']],
  ])('%j: left to commander (help, usage errors), exactly as by the full bundle', (args) => {
    const { hot, full } = both(args, absent);
    expect(hot.stdout + hot.stderr).not.toBe('');
    expect(hot).toEqual(full);
  });
});
