import { mkdtempSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CliError } from '../errors.js';
import { buildProgram } from '../program.js';
import { containerOptions, envFromFiles, expandHome, labelArg, pullArg, streams } from './run.js';

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

describe('orc run container flags', () => {
  it("are compose's spellings, -P and the --volumes/--labels forms included", () => {
    const run = buildProgram().commands.find((c) => c.name() === 'run');
    const flags = run?.options.map((o) => o.flags) ?? [];
    for (const f of [
      '-P, --service-ports',
      '-p, --publish <HOST:CONTAINER>',
      '--name <name>',
      '-v, --volume <SRC:DST[:ro]>',
      '--volumes <SRC:DST[:ro]>',
      '-l, --label <KEY=VAL>',
      '--labels <KEY=VAL>',
      '--use-aliases',
      '--cap-add <CAP>',
      '--cap-drop <CAP>',
    ])
      expect(flags).toContain(f);
  });

  it('travel in the request only when given; --volumes and --labels join -v and -l', () => {
    expect(containerOptions({ deps: true, tty: true })).toEqual({});
    expect(
      containerOptions({
        deps: true,
        tty: true,
        servicePorts: true,
        name: 'x',
        volume: ['~/a:/a'],
        volumes: ['b:/b'],
        label: { k: 'l' },
        labels: { k: 'labels', m: 'n' },
        useAliases: true,
        capAdd: ['NET_ADMIN'],
        capDrop: ['MKNOD'],
      }),
    ).toEqual({
      servicePorts: true,
      name: 'x',
      volumes: [`${homedir()}/a:/a`, 'b:/b'],
      labels: { k: 'l', m: 'n' },
      useAliases: true,
      capAdd: ['NET_ADMIN'],
      capDrop: ['MKNOD'],
    });
  });
});

describe('orc run streams (compose: -i on by default, a TTY when both ends are terminals)', () => {
  it.each<[string, Parameters<typeof streams>[0], boolean, boolean, { interactive: boolean; tty: boolean }]>([
    ['terminal both ends', {}, true, true, { interactive: true, tty: true }],
    ['piped stdin: attached, no TTY', {}, false, true, { interactive: true, tty: false }],
    ['stdout to a file: no TTY', {}, true, false, { interactive: true, tty: false }],
    ['-t over pipes: a TTY', { tty: true }, false, false, { interactive: true, tty: true }],
    ['-T on a terminal: none', { tty: false }, true, true, { interactive: true, tty: false }],
    ['--no-interactive', { interactive: false }, true, true, { interactive: false, tty: true }],
    ['-d: no stdin, no TTY unless -t', { detach: true }, true, true, { interactive: false, tty: false }],
    ['-d -t', { detach: true, tty: true }, true, true, { interactive: false, tty: true }],
  ])('%s', (_name, flags, stdinTTY, stdoutTTY, want) => {
    expect(streams(flags, stdinTTY, stdoutTTY)).toEqual(want);
  });

  it('--pull takes always, missing or never; --build, --pull and --remove-orphans travel only when given', () => {
    expect(pullArg('never')).toBe('never');
    expect(() => pullArg('sometimes')).toThrow(/always, missing or never/);
    expect(containerOptions({ deps: true, build: true, pull: 'always', removeOrphans: true })).toEqual({
      build: true,
      pull: 'always',
      removeOrphans: true,
    });
    const run = buildProgram().commands.find((c) => c.name() === 'run');
    const flags = run?.options.map((o) => o.flags) ?? [];
    for (const f of [
      '-i, --interactive',
      '-t, --tty',
      '-T, --no-tty',
      '--build',
      '--quiet-pull',
      '--remove-orphans',
    ])
      expect(flags).toContain(f);
  });
});

describe('orc run --env-from-file', () => {
  it('reads KEY=VALUE lines (export, quotes, comments), a bare KEY from the shell; a bad name is located', () => {
    const dir = mkdtempSync(join(tmpdir(), 'orc-envfile-'));
    const file = join(dir, 'a.env');
    writeFileSync(file, 'A=1\n\n# note\nexport B="two words"\nC\nD\nE=x=y\n');
    expect(envFromFiles([file], { C: 'from-shell' })).toEqual([
      'A=1',
      'B=two words',
      'C=from-shell',
      'E=x=y',
    ]);
    writeFileSync(file, 'A=1\n2BAD=x\n');
    expect(() => envFromFiles([file], {})).toThrow(`${file}:2: "2BAD" is not a variable name`);
    expect(() => envFromFiles([join(dir, 'missing.env')], {})).toThrow(CliError);
  });
});
