import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { upOptions } from './commands/up-run.js';
import { fastInvocation } from './fast.js';
import { type GlobalOptions, readGlobals } from './globals.js';
import { buildProgram } from './program.js';

interface Read {
  command: string;
  globals: GlobalOptions;
  flags: Record<string, unknown>;
  services: string[];
}

/** What commander reads from argv for `up` / `ps` (their actions replaced by a recorder). */
function viaCommander(args: string[], env: NodeJS.ProcessEnv): Read {
  const program = buildProgram();
  let read: Read | undefined;
  for (const name of ['up', 'ps']) {
    const cmd = program.commands.find((c) => c.name() === name) as Command;
    cmd.action((services: string[], flags: Record<string, unknown>, c: Command) => {
      read = { command: name, globals: readGlobals(c, env), flags, services };
    });
  }
  program.parse(['node', 'orc', ...args]);
  if (!read) throw new Error(`commander ran no up/ps for ${args.join(' ')}`);
  return read;
}

/** The part of the flags that matters: for up, the request sent; for ps, its switches. */
function meaning(r: Read | { command: string; flags: object; services: string[]; globals: GlobalOptions }) {
  const f = r.flags as Record<string, unknown>;
  return {
    command: r.command,
    globals: r.globals,
    services: r.services,
    flags:
      r.command === 'up'
        ? { detach: f.detach === true, request: upOptions(f, r.services) }
        : { all: f.all === true, quiet: f.quiet === true, services: f.services === true, format: f.format },
  };
}

const TAKEN: string[][] = [
  ['up', '-d'],
  ['up', '--detach'],
  ['up'],
  ['up', '-d', 'web', 'db'],
  ['-p', 'demo', 'up', '-d'],
  ['--project-name', 'demo', 'up', '-d'],
  ['--project-name=demo', 'up', '-d'],
  ['-p', 'a', '-p', 'b', 'up', '-d'],
  ['-f', 'a.yaml', '-f', 'b.yaml', 'up', '-d'],
  ['-f', 'a.yaml', 'up', '-d', '-f', 'b.yaml', '--file=c.yaml'],
  ['up', '-d', '-p', 'late'],
  ['--project-directory', 'sub', '--env-file', '.env.x', '--profile', 'p1', '--profile', 'p2', 'up', '-d'],
  ['--var', 'A=1', '--var-file', 'vars.yaml', 'up', '-d'],
  ['--progress', 'plain', '--ansi', 'never', 'up', '-d'],
  ['--progress=json', 'up', '-d'],
  ['ps'],
  ['-p', 'demo', 'ps'],
  ['ps', '-a'],
  ['ps', '--all', '-q'],
  ['ps', '--services'],
  ['ps', '--format', 'json'],
  ['ps', '--format=json', 'web'],
  ['-f', 'x.yaml', 'ps', '-a', 'web', 'db'],
];

const LEFT: string[][] = [
  ['up', '--build'],
  ['up', '-d', '--wait'],
  ['up', '-d', '--scale', 'web=2'],
  ['up', '-d', '--', 'web'],
  ['up', '-dV'],
  ['up', '--detach=true'],
  ['-pdemo', 'up', '-d'],
  ['--debug', 'up', '-d'],
  ['--help'],
  ['up', '--help'],
  ['ps', '--status', 'running'],
  ['ps', '--format'],
  ['-p', '--file', 'up'],
  ['--progress', 'bogus', 'up', '-d'],
  ['logs'],
  ['down'],
  [],
  ['ps', '-f'],
];

describe('fast path (up -d, ps without commander)', () => {
  const env = {};
  for (const args of TAKEN) {
    it(`reads \`orc ${args.join(' ')}\` as commander does`, () => {
      const fast = fastInvocation(['node', 'orc', ...args], env);
      expect(fast, 'taken by the fast path').toBeDefined();
      expect(meaning(fast as NonNullable<typeof fast>)).toEqual(meaning(viaCommander(args, env)));
    });
  }

  it('applies COMPOSE_PROGRESS, COMPOSE_ANSI and COMPOSE_ENV_FILES as commander’s path does', () => {
    const composeEnv = {
      COMPOSE_PROGRESS: 'quiet',
      COMPOSE_ANSI: 'always',
      COMPOSE_ENV_FILES: 'a.env, b.env',
    };
    for (const args of [
      ['up', '-d'],
      ['--progress', 'plain', 'ps'],
      ['--env-file', 'c.env', 'up', '-d'],
    ]) {
      const fast = fastInvocation(['node', 'orc', ...args], composeEnv);
      expect(fast?.globals).toEqual(viaCommander(args, composeEnv).globals);
    }
  });

  for (const args of LEFT) {
    it(`leaves \`orc ${args.join(' ')}\` to commander`, () => {
      expect(fastInvocation(['node', 'orc', ...args], env)).toBeUndefined();
    });
  }
});
