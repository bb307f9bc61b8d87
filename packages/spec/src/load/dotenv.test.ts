// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `.env` templates are the subject of these tests
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDotenv, readEnvFiles, statementStart } from './dotenv.js';

const env: Record<string, string> = { HOME_DIR: '/home/me', EMPTY: '' };
const lookup = (name: string) => (Object.hasOwn(env, name) ? env[name] : undefined);

describe('parseDotenv: syntax', () => {
  it.each([
    ['plain', 'A=1', { A: '1' }],
    ['spaces around =', 'A = 1', { A: '1' }],
    ['yaml-style colon', 'A: 1', { A: '1' }],
    ['value keeps = and :', 'URL=postgres://h:5432/db?x=y', { URL: 'postgres://h:5432/db?x=y' }],
    ['export prefix', 'export A=1', { A: '1' }],
    ['export with a tab', 'export\tA=1', { A: '1' }],
    ['a key named export…', 'exportA=1\nexport_B=2', { exportA: '1', export_B: '2' }],
    ['empty value', 'A=\nB=', { A: '', B: '' }],
    ['blank lines and comments', '\n# c\n  # indented\nA=1\n\n#B=2\n', { A: '1' }],
    ['inline comment after a space', 'A=1 # one', { A: '1' }],
    ['# without a space is data', 'A=1#2', { A: '1#2' }],
    ['trailing spaces trimmed', 'A=1   ', { A: '1' }],
    ['inner spaces kept', 'A=a  b', { A: 'a  b' }],
    ['CRLF line ends', 'A=1\r\nB="2"\r\n', { A: '1', B: '2' }],
    ['BOM', '\ufeffA=1', { A: '1' }],
    ['single quotes are literal', "A='$HOME_DIR \\n'", { A: '$HOME_DIR \\n' }],
    ['escaped single quote', "A='it\\'s'", { A: "it's" }],
    ['double quotes expand escapes', 'A="a\\tb\\nc\\\\d\\"e"', { A: 'a\tb\nc\\d"e' }],
    ['unknown escapes kept', 'A="\\x41\\u0041\\q"', { A: '\\x41\\u0041\\q' }],
    ['octal escape', 'A="\\0101"', { A: 'A' }],
    ['multi-line double quotes', 'A="one\ntwo"\nB=3', { A: 'one\ntwo', B: '3' }],
    ['multi-line single quotes', "A='one\ntwo'", { A: 'one\ntwo' }],
    ['# inside quotes', 'A="x # y" # z', { A: 'x # y' }],
    ['dots, dashes, brackets, unicode in keys', 'a.b-c[0]=1\nclé=2', { 'a.b-c[0]': '1', clé: '2' }],
    ['expansion of earlier lines', 'A=x\nB=${A}-$A', { A: 'x', B: 'x-x' }],
    ['expansion with defaults', 'B=${NOPE:-d}/${EMPTY:-e}', { B: 'd/e' }],
    ['lookup wins over earlier lines', 'HOME_DIR=/x\nB=$HOME_DIR', { HOME_DIR: '/x', B: '/home/me' }],
    ['expansion in double quotes', 'A="$HOME_DIR/x"', { A: '/home/me/x' }],
    ['\\$ in double quotes is literal', 'A="\\$HOME_DIR"', { A: '$HOME_DIR' }],
    ['$$ is literal', 'A=$$HOME_DIR', { A: '$HOME_DIR' }],
    ['key alone taken from the lookup', 'HOME_DIR\nNOPE\nEMPTY', { HOME_DIR: '/home/me', EMPTY: '' }],
    ['key alone at the end of the file', 'HOME_DIR', { HOME_DIR: '/home/me' }],
    ['later line wins', 'A=1\nA=2', { A: '2' }],
    ['keys starting with a digit are kept here', '1A=x', { '1A': 'x' }],
  ])('%s', (_name, text, expected) => {
    expect(parseDotenv(text, { lookup })).toEqual({ values: expected, errors: [] });
  });
});

describe('parseDotenv: problems', () => {
  it.each([
    [
      'bad character',
      'A=1\nB$C=2\nD=4',
      { A: '1', D: '4' },
      [{ line: 2, col: 2, message: 'unexpected character "$" in variable name "B$C=2"' }],
    ],
    [
      'space in a key',
      'MY KEY=1\nB=2',
      { B: '2' },
      [{ line: 1, col: 1, message: 'key cannot contain a space' }],
    ],
    [
      'unterminated double quote',
      'A=1\nB="abc\nC=3',
      { A: '1' },
      [{ line: 2, col: 3, message: 'unterminated quoted value "abc' }],
    ],
    [
      'unterminated single quote',
      "A='abc\\'",
      {},
      [{ line: 1, col: 3, message: "unterminated quoted value 'abc\\'" }],
    ],
    [
      'required variable',
      'A=${NOPE:?set it}\nB=1',
      { B: '1' },
      [{ line: 1, col: 3, message: 'required variable NOPE is missing a value: set it' }],
    ],
    ['invalid template', 'A=${', {}, [{ line: 1, col: 3, message: 'Invalid template: "${"' }]],
  ])('%s', (_name, text, values, errors) => {
    expect(parseDotenv(text, { lookup })).toEqual({ values, errors });
  });
});

describe('parseDotenv: generated input', () => {
  it('locates every problem of a long file and keeps messages short', () => {
    const lines = Array.from({ length: 2000 }, (_, i) =>
      i % 2 === 0 ? `K${i}=v` : `bad key ${'x'.repeat(500)}`,
    );
    const r = parseDotenv(lines.join('\n'));
    expect(Object.keys(r.values)).toHaveLength(1000);
    expect(r.errors).toHaveLength(1000);
    expect(r.errors[999]).toEqual({ line: 2000, col: 1, message: 'key cannot contain a space' });
    const long = parseDotenv(`A=1\nB$${'x'.repeat(10_000)}=1`).errors[0];
    expect(long?.line).toBe(2);
    expect(long?.message.length).toBeLessThan(300);
  });
});

describe('readEnvFiles', () => {
  it('later files win; expansion looks at env, then at the files read so far', () => {
    const r = readEnvFiles(
      [
        { path: '/p/.env', text: 'HOST=localhost\nPORT=80\nURL=http://${HOST}:${PORT}' },
        { path: '/p/.env.local', text: 'HOST=dev\nURL2=http://${HOST}:${PORT}\nFROM_ENV=${TAG}' },
      ],
      { TAG: 'v1' },
    );
    expect(r).toEqual({
      values: {
        HOST: 'dev',
        PORT: '80',
        URL: 'http://localhost:80',
        URL2: 'http://dev:80',
        FROM_ENV: 'v1',
      },
      errors: [],
    });
  });

  it('the environment wins over the files inside ${…}, never over the keys they set', () => {
    const r = readEnvFiles([{ path: '.env', text: 'TAG=file\nIMAGE=app:${TAG}' }], { TAG: 'env' });
    expect(r.values).toEqual({ TAG: 'file', IMAGE: 'app:env' });
  });

  it('drops keys that start with a digit, unless asked not to', () => {
    const files = [{ path: '.env', text: '1A=x\n 2B=y\nC3=z' }];
    expect(readEnvFiles(files, {}).values).toEqual({ C3: 'z' });
    expect(readEnvFiles(files, {}, { dropDigitKeys: false }).values).toEqual({
      '1A': 'x',
      '2B': 'y',
      C3: 'z',
    });
  });

  it('says which file a problem is in', () => {
    const r = readEnvFiles(
      [
        { path: '/a.env', text: 'A=1' },
        { path: '/b.env', text: 'B=1\nbad key=2' },
      ],
      {},
    );
    expect(r.errors).toEqual([{ file: '/b.env', line: 2, col: 1, message: 'key cannot contain a space' }]);
    expect(r.values).toEqual({ A: '1', B: '1' });
  });
});

describe('statementStart', () => {
  it.each([
    ['', ''],
    ['  \n\t\n', ''],
    ['# only\n# comments', ''],
    ['\n  # c\n  A=1\n', 'A=1\n'],
  ])('%j → %j', (text, rest) => {
    expect(statementStart(text)).toBe(rest);
  });
});

// Generated inputs (fast-check) with a fixed seed, so that a failure reproduces.
const params = { seed: 20261123, numRuns: 100 };

describe('parseDotenv properties', () => {
  const key = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,8}$/);
  const plainValue = fc.stringMatching(/^[A-Za-z0-9_./:@,-]{0,12}$/);

  it('reads back what KEY=value lines say, in every quoting style', () => {
    fc.assert(
      fc.property(
        fc.dictionary(key, plainValue, { maxKeys: 6 }),
        fc.constantFrom('', "'", '"'),
        (values, quote) => {
          const text = Object.entries(values)
            .map(([k, v]) => `${k}=${quote}${v}${quote}`)
            .join('\n');
          expect(parseDotenv(text)).toEqual({ values, errors: [] });
        },
      ),
      params,
    );
  });

  it('never throws, whatever the text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (s) => {
        const r = parseDotenv(s, { lookup: () => 'x' });
        expect(Array.isArray(r.errors)).toBe(true);
      }),
      params,
    );
  });
});
