import { describe, expect, it } from 'vitest';
import { buildProgram } from '../program.js';
import { watchLine } from './watch.js';

describe('orc watch', () => {
  it('says what is watched and until when', () => {
    const w = { services: ['api', 'web'], since: '', rules: 3, dirs: 1 };
    expect(watchLine({ ...w, detached: true })).toBe(
      'watching api, web (3 rules, 1 directory) in the daemon, after this command too (`orc watch --stop` or `orc down` end it)',
    );
    expect(watchLine({ ...w, rules: 1, dirs: 4, detached: false })).toBe(
      'watching api, web (1 rule, 4 directories) until Ctrl-C',
    );
  });

  it('has compose’s watch flags plus -d and --stop; up has -w/--watch', () => {
    const program = buildProgram();
    const flags = (name: string) =>
      program.commands.find((c) => c.name() === name)?.options.map((o) => o.long) ?? [];
    expect(flags('watch')).toEqual(expect.arrayContaining(['--no-up', '--detach', '--stop', '--quiet']));
    expect(flags('up')).toContain('--watch');
  });
});
