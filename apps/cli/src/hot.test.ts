import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { splitShortEquals } from './argv.js';
import { readGlobals } from './globals.js';
import { HOT_COMMANDS, HOT_GLOBALS, type HotFlag, hotGlobals, parseHot } from './hot.js';
import { buildHotProgram } from './program-core.js';

const argv = (...args: string[]) => splitShortEquals(['node', 'orc', ...args]);
const ENV = { COMPOSE_PROGRESS: 'plain', COMPOSE_ENV_FILES: 'a.env,b.env' };

interface Parsed {
  globals: ReturnType<typeof readGlobals>;
  flags: Record<string, unknown>;
  services: string[];
}

/** What commander makes of the line: the command's options, its services and readGlobals' merge. */
async function byCommander(line: string[], name: string): Promise<Parsed | 'error'> {
  const program = buildHotProgram(name) as Command;
  program.configureOutput({ writeOut: () => {}, writeErr: () => {} });
  const cmd = program.commands[0] as Command;
  cmd.configureOutput({ writeOut: () => {}, writeErr: () => {} });
  let parsed: Parsed | undefined;
  // (services, flags, command); a command without arguments (`down`) gets (flags, command).
  cmd.action((...args: unknown[]) => {
    const c = args.at(-1) as Command;
    const flags = args.at(-2) as Record<string, unknown>;
    const services = args.length > 2 ? (args[0] as string[]) : [];
    parsed = { globals: readGlobals(c, ENV), flags: { ...flags }, services };
  });
  try {
    await program.parseAsync(line);
  } catch {
    return 'error';
  }
  return parsed ?? 'error';
}

function byHot(line: string[]): Parsed | undefined {
  const hot = parseHot(line);
  if (!hot) return undefined;
  const flags = Object.fromEntries(Object.entries(hot.flags).filter(([, v]) => v !== undefined));
  return { globals: hotGlobals(hot.globals, hot.after, ENV), flags, services: hot.services };
}

/** The hot table's entries for commander's options (`--orphans [bool]`: an optional value, commander's). */
function fromCommander(options: Command['options']): Record<string, HotFlag> {
  const out: Record<string, HotFlag> = {};
  for (const o of options) {
    if (o.optional) continue;
    const kind = o.required ? 'value' : o.negate ? 'negate' : 'bool';
    for (const token of [o.short, o.long]) {
      if (token)
        out[token] = { key: o.attributeName(), kind, ...(o.argChoices ? { choices: o.argChoices } : {}) };
    }
  }
  return out;
}

const shape = (table: Record<string, HotFlag>) =>
  Object.fromEntries(
    Object.entries(table).map(([k, f]) => [
      k,
      { key: f.key, kind: f.kind, ...(f.choices ? { choices: [...f.choices] } : {}) },
    ]),
  );

describe('the hot commands without commander', () => {
  it.each(Object.keys(HOT_COMMANDS))('%s knows exactly the flags commander defines', (name) => {
    const program = buildHotProgram(name) as Command;
    const cmd = program.commands[0] as Command;
    const own = cmd.options.filter((o) => !o.hidden);
    expect(shape((HOT_COMMANDS[name] as { flags: Record<string, HotFlag> }).flags)).toEqual(
      shape(fromCommander(own)),
    );
    expect(shape(HOT_GLOBALS)).toEqual(
      shape(fromCommander(program.options.filter((o) => o.long !== '--version'))),
    );
    // The hidden copies under the command are the same flags.
    expect(shape(fromCommander(cmd.options.filter((o) => o.hidden)))).toEqual(shape(HOT_GLOBALS));
  });

  const lines: string[][] = [
    ['ps'],
    ['ps', '-a'],
    ['ps', '--all', '-q', 'web', 'db'],
    ['ps', '--format', 'json', '--no-trunc'],
    ['ps', '--format=json', '--services'],
    ['ps', '--status', 'running', '--status=exited', '--filter', 'status=running'],
    ['-p', 'demo', 'ps'],
    ['-p=demo', 'ps', '-p', 'other'],
    ['-f', 'a.yaml', '--file', 'b.yaml', 'ps', '-f', 'c.yaml'],
    ['--project-directory', 'x', '--profile', 'p1', 'ps', '--profile=p2', '--env-file', 'e'],
    ['--var', 'A=1', '--var-file', 'v.yaml', 'ps', '--var', 'B=2'],
    ['--progress', 'json', '--ansi', 'never', 'ps', '--debug'],
    ['ps', '--progress', 'quiet', '--ansi=always'],
    ['up', '-d'],
    ['up', '-d', 'web'],
    ['up', '--detach', '--wait', '--wait-timeout', '30', '--build', '--pull', 'always'],
    ['up', '--no-build', '--no-recreate', '--no-deps', '--remove-orphans', '--no-start'],
    ['up', '--scale', 'web=3', '--scale=db=2', '-t', '5', '--timeout=7'],
    ['up', '--dry-run', '--force', '--force-recreate', '--always-recreate-deps', '-V', '-y', '--quiet-pull'],
    ['up', '--abort-on-container-exit', '--exit-code-from', 'web', '--attach', 'a', '--attach=b'],
    ['up', '--no-attach', 'a', '--no-attach', 'b', '--no-log-prefix', '--no-color', '--timestamps'],
    ['up', '--attach-dependencies', '--abort-on-container-failure', '-w', '--watch', '--target', 'swarm'],
    ['-p', 'demo', '-f', 'x.yaml', 'up', '-d', '--renew-anon-volumes', '--yes', 's1', '-t', '0', 's2'],
    ['--debug', 'up', '-d', '-'],
    ['down'],
    ['-p', 'demo', 'down', '-v', '--remove-orphans'],
    ['down', '--volumes', '--rmi', 'local', '-t', '3', '--force'],
    ['-f', 'a.yaml', 'down', '--timeout=0', '--rmi=all', '-p', 'other'],
    ['down', '--rmi', 'bogus'],
  ];
  // Lines with a usage error, help or a form the hot parse leaves to commander.
  const odd: string[][] = [
    ['up', '--wait-timeout', 'x'],
    ['up', '--scale', 'web'],
    ['up', '--target', 'moon'],
    ['--ansi', 'sometimes', 'ps'],
    ['ps', '--format'],
    ['ps', '-f'],
    ['ps', '-ad'],
    ['ps', '--orphans=false'],
    ['ps', '--orphans'],
    ['ps', '--bogus'],
    ['ps', '--all=yes'],
    ['ps', '--help'],
    ['ps', '-h'],
    ['ps', '--', 'web'],
    ['ps', '-p', '--all'],
    ['up', '--wait-timeout', '-1'],
    ['-v', 'ps'],
    ['down', 'web'],
    ['down', '-t', 'x'],
    ['down', '--help'],
    ['down', '-vt', '3'],
  ];

  it.each(lines.map((l) => [l.join(' '), l]))('`orc %s`: read as commander reads it', async (_, line) => {
    const args = argv(...(line as string[]));
    const hot = byHot(args);
    expect(hot).toBeDefined();
    expect(hot).toEqual(await byCommander(args, (line as string[]).find((a) => a in HOT_COMMANDS) as string));
  });

  it.each(odd.map((l) => [l.join(' '), l]))("`orc %s`: commander's, or read alike", async (_, line) => {
    const args = argv(...(line as string[]));
    const hot = byHot(args);
    const command = (line as string[]).find((a) => a in HOT_COMMANDS) as string;
    const commander = await byCommander(args, command);
    // A line the hot parse reads is one commander accepts, with the same result; the rest is commander's.
    if (hot) expect(hot).toEqual(commander);
  });

  it('leaves help, errors and unusual forms to commander', () => {
    for (const line of [
      ['ps', '--help'],
      ['ps', '-h'],
      ['--help'],
      ['ps', '-ad'],
      ['ps', '--bogus'],
      ['ps', '--orphans=false'],
      ['ps', '--format'],
      ['up', '--wait-timeout', 'x'],
      ['up', '--scale', 'web'],
      ['up', '--target', 'moon'],
      ['--ansi', 'sometimes', 'ps'],
      ['ps', '--', 'web'],
      ['-v', 'ps'],
      ['logs'],
      ['down', 'web'],
      ['down', '--help'],
      ['down', '-t', 'x'],
    ]) {
      expect(parseHot(argv(...line)), line.join(' ')).toBeUndefined();
    }
    expect(parseHot(argv('up', '-d'))).toMatchObject({ command: 'up', flags: { detach: true } });
    expect(parseHot(argv('down', '-v'))).toMatchObject({ command: 'down', flags: { volumes: true } });
    expect(parseHot(argv('-p', 'demo', 'ps'))).toMatchObject({
      command: 'ps',
      globals: { projectName: 'demo' },
    });
  });
});
