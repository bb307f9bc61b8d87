import { describe, expect, it } from 'vitest';
import { ExitCode } from '../errors.js';
import { buildProgram } from '../program.js';
import { attachedServices } from './attach.js';
import { checkUpFlags, upOptions } from './up.js';

/** The up command's flags as commander parses them (no action runs). */
function parseUp(...argv: string[]): Record<string, unknown> {
  const up = buildProgram().commands.find((c) => c.name() === 'up');
  if (!up) throw new Error('no up command');
  up.parseOptions(argv);
  return up.opts();
}

function usage(fn: () => void): string {
  try {
    fn();
  } catch (err) {
    expect(err).toMatchObject({ exitCode: ExitCode.usage });
    return (err as Error).message;
  }
  throw new Error('expected a usage error');
}

describe('up flags for CI and scripts', () => {
  it('reads --attach and --no-attach as repeatable lists of their own', () => {
    const f = parseUp('--attach', 'a', '--attach', 'b', '--no-attach', 'c', '--no-attach', 'd');
    expect(f.attach).toEqual(['a', 'b']);
    expect(f.noAttach).toEqual(['c', 'd']);
    expect(parseUp('--no-attach', 'c').attach).toBeUndefined();
  });

  it('reads the log rendering flags and accepts -y', () => {
    expect(parseUp()).toMatchObject({ logPrefix: true, color: true });
    expect(parseUp('--timestamps', '--no-log-prefix', '--no-color', '-y')).toMatchObject({
      timestamps: true,
      logPrefix: false,
      color: false,
      yes: true,
    });
    expect(parseUp('--exit-code-from', 'tests', '--abort-on-container-exit')).toMatchObject({
      exitCodeFrom: 'tests',
      abortOnContainerExit: true,
    });
  });

  it('sends --no-start, --always-recreate-deps and -V to the daemon', () => {
    const f = parseUp('--no-start', '--always-recreate-deps', '-V');
    expect(f).toMatchObject({ start: false, alwaysRecreateDeps: true, renewAnonVolumes: true });
    expect(upOptions(f, ['web'])).toEqual({
      services: ['web'],
      noStart: true,
      alwaysRecreateDeps: true,
      renewAnonVolumes: true,
    });
    expect(upOptions(parseUp(), [])).toEqual({});
  });

  it('refuses what compose refuses, with exit code 2', () => {
    expect(usage(() => checkUpFlags({ detach: true, abortOnContainerExit: true }, []))).toMatch(
      /^-d cannot be combined with --abort-on-container-exit/,
    );
    expect(usage(() => checkUpFlags({ detach: true, exitCodeFrom: 'tests' }, []))).toMatch(/^-d cannot/);
    expect(usage(() => checkUpFlags({ detach: true, attach: ['web'] }, []))).toMatch(/^-d cannot/);
    expect(usage(() => checkUpFlags({ wait: true, exitCodeFrom: 'tests' }, []))).toMatch(/^--wait cannot/);
    expect(usage(() => checkUpFlags({ exitCodeFrom: 'tests' }, ['web']))).toMatch(
      /--exit-code-from tests: not among the services to start \(web\)/,
    );
    expect(usage(() => checkUpFlags({ exitCodeFrom: 'tests', noAttach: ['tests'] }, []))).toMatch(
      /--no-attach tests/,
    );
    expect(usage(() => checkUpFlags({ alwaysRecreateDeps: true, recreate: false }, []))).toMatch(
      /--always-recreate-deps and --no-recreate/,
    );
    expect(usage(() => checkUpFlags({ start: false, wait: true }, []))).toMatch(/^--no-start cannot/);
    expect(usage(() => checkUpFlags({ start: false, exitCodeFrom: 'tests' }, []))).toMatch(
      /^--no-start cannot/,
    );
    expect(() => checkUpFlags({ exitCodeFrom: 'tests' }, ['tests', 'web'])).not.toThrow();
    expect(() => checkUpFlags({ detach: true, noAttach: ['web'] }, [])).not.toThrow();
  });
});

describe('attachedServices', () => {
  it('follows the command line services, or all, less --no-attach', () => {
    const all = attachedServices([], undefined, ['db']);
    expect(['web', 'db', 'tests'].filter(all)).toEqual(['web', 'tests']);
    const some = attachedServices(['web', 'tests'], undefined, undefined);
    expect(['web', 'db', 'tests'].filter(some)).toEqual(['web', 'tests']);
  });

  it('follows exactly --attach when given (dependencies too)', () => {
    const only = attachedServices(['tests'], ['db', 'tests'], ['tests']);
    expect(['web', 'db', 'tests'].filter(only)).toEqual(['db']);
  });
});
