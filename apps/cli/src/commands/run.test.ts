import { homedir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { CliError } from '../errors.js';
import { buildProgram } from '../program.js';
import { containerOptions, expandHome, labelArg } from './run.js';

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
