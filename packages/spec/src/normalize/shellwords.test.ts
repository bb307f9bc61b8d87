import { describe, expect, it } from 'vitest';
import { splitShellWords } from './shellwords.js';

describe('splitShellWords', () => {
  it.each<[string, string[]]>([
    ['bundle exec thin -p 3000', ['bundle', 'exec', 'thin', '-p', '3000']],
    [`sh -c "echo hello world"`, ['sh', '-c', 'echo hello world']],
    [`sh -c 'echo "$HOME"'`, ['sh', '-c', 'echo "$HOME"']],
    ['a\\ b c', ['a b', 'c']],
    [`echo "a\\"b"`, ['echo', 'a"b']],
    ['  spaced   out  ', ['spaced', 'out']],
    [`""`, ['']],
    ['', []],
    [`x"y"z`, ['xyz']],
  ])('%s', (input, expected) => {
    expect(splitShellWords(input)).toEqual(expected);
  });

  it.each([[`echo "open`], [`echo 'open`]])('an open quote in %s is refused', (input) => {
    expect(splitShellWords(input)).toBeUndefined();
  });
});
