import { describe, expect, it } from 'vitest';
import { buildProgram, commandNamed } from './program.js';

const argv = (...args: string[]) => ['node', 'orc', ...args];

describe('commandNamed', () => {
  it('skips global flags and their values', () => {
    expect(commandNamed(argv('-p', 'ps', '-f', 'up.yaml', 'up', '-d'))).toBe('up');
    expect(commandNamed(argv('--project-name=x', '--debug', 'ps'))).toBe('ps');
    expect(commandNamed(argv('--progress', 'quiet', '--env-file', 'down', 'down'))).toBe('down');
    expect(commandNamed(argv('--help'))).toBeUndefined();
    expect(commandNamed(argv('--', 'ps'))).toBeUndefined();
  });

  it('builds the hot command alone with the global flags, and every command otherwise', () => {
    const one = buildProgram('ps');
    expect(one.commands.map((c) => c.name())).toEqual(['ps']);
    expect(one.commands[0]?.options.some((o) => o.long === '--project-name')).toBe(true);
    expect(buildProgram('logs').commands.length).toBeGreaterThan(20);
    expect(buildProgram().commands.map((c) => c.name())).toContain('ps');
  });
});
