import { describe, expect, it } from 'vitest';
import { splitShortEquals } from './argv.js';

describe('splitShortEquals: -f=path as compose reads it (issue 21 item 5)', () => {
  it('splits a single-letter flag and its =value', () => {
    expect(splitShortEquals(['node', 'orc', '-f=./path/compose.yaml', 'config'])).toEqual([
      'node',
      'orc',
      '-f',
      './path/compose.yaml',
      'config',
    ]);
    expect(splitShortEquals(['node', 'orc', 'up', '-p=demo', '-f=a=b.yaml'])).toEqual([
      'node',
      'orc',
      'up',
      '-p',
      'demo',
      '-f',
      'a=b.yaml',
    ]);
  });

  it('leaves long flags, `--` and a one-off command line alone', () => {
    expect(splitShortEquals(['node', 'orc', '--file=x.yaml', 'ps'])).toEqual([
      'node',
      'orc',
      '--file=x.yaml',
      'ps',
    ]);
    expect(splitShortEquals(['node', 'orc', 'exec', 'web', 'grep', '-e=x', 'f'])).toEqual([
      'node',
      'orc',
      'exec',
      'web',
      'grep',
      '-e=x',
      'f',
    ]);
    expect(splitShortEquals(['node', 'orc', '-f=c.yaml', 'run', '--rm', 'tool', 'ls', '-l=1'])).toEqual([
      'node',
      'orc',
      '-f',
      'c.yaml',
      'run',
      '--rm',
      'tool',
      'ls',
      '-l=1',
    ]);
    expect(splitShortEquals(['node', 'orc', 'up', '--', '-f=x'])).toEqual([
      'node',
      'orc',
      'up',
      '--',
      '-f=x',
    ]);
  });
});
