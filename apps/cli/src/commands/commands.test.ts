import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CliError } from '../errors.js';
import { parseVars, projectSource, readGlobals } from '../globals.js';
import { buildProgram } from '../program.js';
import { bashCompletion, zshCompletion } from './completion.js';
import { configListing } from './config.js';
import { splitReference } from './images.js';
import { relativeTime } from './logs.js';
import { publishedFor } from './port.js';
import { upOptions } from './up.js';
import { scaleArg } from './util.js';

describe('up flags', () => {
  it('map to the daemon’s UpOptions, saying only what was given', () => {
    expect(upOptions({}, [])).toEqual({});
    expect(
      upOptions(
        {
          build: false,
          recreate: false,
          deps: false,
          scale: { web: 3 },
          timeout: 5,
          wait: true,
          waitTimeout: 30,
        },
        ['web'],
      ),
    ).toEqual({
      services: ['web'],
      noBuild: true,
      noRecreate: true,
      noDeps: true,
      scale: { web: 3 },
      timeoutSeconds: 5,
      wait: true,
      waitTimeoutSeconds: 30,
    });
  });

  it('passes --force (take over a project name used by another folder) only when given', () => {
    expect(upOptions({ force: true, dryRun: true }, [])).toEqual({ force: true, dryRun: true });
    expect(
      buildProgram()
        .commands.find((c) => c.name() === 'up')
        ?.options.map((o) => o.long),
    ).toContain('--force');
  });

  it('refuses contradictions as usage errors', () => {
    expect(() => upOptions({ forceRecreate: true, recreate: false }, [])).toThrow(CliError);
  });

  it('reads --scale svc=n, repeatable', () => {
    expect(scaleArg('b=2', scaleArg('a=1', undefined))).toEqual({ a: 1, b: 2 });
    expect(() => scaleArg('web', undefined)).toThrow(/SERVICE=NUMBER/);
  });
});

describe('global flags', () => {
  it('are accepted before and after the command, and add up when repeated', async () => {
    const program = buildProgram();
    const ps = program.commands.find((c) => c.name() === 'ps');
    if (!ps) throw new Error('no ps command');
    ps.action(() => undefined);
    await program.parseAsync(
      ['node', 'orc', '-f', 'a.yaml', '--profile', 'x', 'ps', '-f', 'b.yaml', '-p', 'demo'],
      {
        from: 'node',
      },
    );
    expect(readGlobals(ps)).toMatchObject({
      file: ['a.yaml', 'b.yaml'],
      profile: ['x'],
      projectName: 'demo',
    });
  });

  it('leave a command’s own short flags alone after it (down -v, logs -f)', async () => {
    const program = buildProgram();
    const down = program.commands.find((c) => c.name() === 'down');
    const logs = program.commands.find((c) => c.name() === 'logs');
    if (!down || !logs) throw new Error('missing commands');
    down.action(() => undefined);
    logs.action(() => undefined);
    await program.parseAsync(['node', 'orc', 'down', '-v'], { from: 'node' });
    expect(down.opts()).toMatchObject({ volumes: true });
    await program.parseAsync(['node', 'orc', 'logs', '-f', '--file', 'x.yaml'], { from: 'node' });
    expect(logs.opts()).toMatchObject({ follow: true, file: ['x.yaml'] });
  });
});

describe('--var / --var-file', () => {
  it('travel in the project source: --var as a map (a later one wins), --var-file in order', async () => {
    const program = buildProgram();
    const config = program.commands.find((c) => c.name() === 'config');
    if (!config) throw new Error('no config command');
    config.action(() => undefined);
    await program.parseAsync(
      [
        'node',
        'orc',
        '--var',
        'A=1',
        '--var-file',
        'v.yaml',
        'config',
        '--var',
        'A=x=y',
        '--var',
        'B=',
        '--variables',
      ],
      { from: 'node' },
    );
    expect(config.opts()).toMatchObject({ variables: true });
    const source = projectSource(readGlobals(config), '/w', {});
    expect(source).toMatchObject({ variables: { A: 'x=y', B: '' }, variableFiles: ['v.yaml'] });
  });

  it('refuse a flag that is not NAME=VALUE', () => {
    expect(() => parseVars(['NOVALUE'])).toThrow(CliError);
    expect(() => parseVars(['1A=b'])).toThrow(/NAME=VALUE/);
  });
});

describe('help', () => {
  it('lists each command’s project flags as that command takes them', () => {
    const program = buildProgram();
    const help = (name: string) => program.commands.find((c) => c.name() === name)?.helpInformation() ?? '';
    expect(help('logs')).toMatch(/^\s+-f, --follow/m);
    expect(help('logs')).toMatch(/^\s+--file <path>/m);
    expect(help('down')).toMatch(/^\s+-v, --volumes/m);
    expect(help('down')).not.toContain('--version');
    expect(help('up')).toMatch(/^\s+-f, --file <path>/m);
    for (const cmd of program.commands) expect(cmd.description(), cmd.name()).not.toBe('');
  });
});

describe('completion', () => {
  const dir = mkdtempSync(join(tmpdir(), 'orc-completion-'));
  it('generates a bash script that bash accepts and that knows every command and flag', () => {
    const program = buildProgram();
    const script = bashCompletion(program);
    const file = join(dir, 'orc.bash');
    writeFileSync(file, script);
    execFileSync('bash', ['-n', file]);
    for (const cmd of program.commands) expect(script).toContain(`${cmd.name()})`);
    expect(script).toContain('--remove-orphans');
    expect(script).toContain('complete -F _orc orc');
  });

  it('completes commands, a command’s flags and the shells, in a real bash', () => {
    const file = join(dir, 'orc-run.bash');
    writeFileSync(file, bashCompletion(buildProgram()));
    const complete = (...words: string[]) =>
      execFileSync('bash', [
        '-c',
        `source ${file}; COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _orc; echo "\${COMPREPLY[*]}"`,
      ])
        .toString()
        .trim();
    expect(complete('orc', 'u')).toBe('up unpause uninstall-plugin');
    expect(complete('orc', 'up', '--rem')).toBe('--remove-orphans');
    expect(complete('orc', 'down', '-').split(' ')).toContain('--volumes');
    expect(complete('orc', 'down', '-').split(' ')).not.toContain('--version');
    expect(complete('orc', 'completion', 'z')).toBe('zsh');
  });

  it('generates a zsh script naming every command', () => {
    const program = buildProgram();
    const script = zshCompletion(program);
    expect(script.startsWith('#compdef orc')).toBe(true);
    for (const cmd of program.commands) expect(script).toContain(`'${cmd.name()}:`);
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('small helpers', () => {
  it('config lists services, volumes and profiles from the normalised project', () => {
    const project = {
      services: { web: { profiles: ['debug'] }, db: {} },
      volumes: { data: {} },
    };
    expect(configListing({ format: 'json', services: true }, project)).toBe('web\ndb\n');
    expect(configListing({ format: 'json', volumes: true }, project)).toBe('data\n');
    expect(configListing({ format: 'json', profiles: true }, project)).toBe('debug\n');
    expect(configListing({ format: 'json' }, project)).toBeUndefined();
    expect(() => configListing({ format: 'json', hash: '*' }, project)).toThrow(/hash/);
  });

  it('prints the IPv4 binding of a published port', () => {
    const c = {
      Publishers: [
        { URL: '::', TargetPort: 80, PublishedPort: 8080, Protocol: 'tcp' },
        { URL: '0.0.0.0', TargetPort: 80, PublishedPort: 8080, Protocol: 'tcp' },
        { URL: '', TargetPort: 53, PublishedPort: 0, Protocol: 'udp' },
      ],
    } as unknown as Parameters<typeof publishedFor>[0];
    expect(publishedFor(c, 80, 'tcp')).toBe('0.0.0.0:8080');
    expect(publishedFor(c, 53, 'udp')).toBeUndefined();
  });

  it('splits image references', () => {
    expect(splitReference('orc-fixture/busybox:1')).toEqual(['orc-fixture/busybox', '1']);
    expect(splitReference('localhost:5000/app')).toEqual(['localhost:5000/app', 'latest']);
  });

  it('turns relative times into unix seconds', () => {
    expect(relativeTime('10m', 1_000_000_000)).toBe(String(1_000_000 - 600));
    expect(relativeTime('2026-01-01T00:00:00Z', 0)).toBe('2026-01-01T00:00:00Z');
  });
});
