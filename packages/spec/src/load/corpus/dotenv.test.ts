// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `.env` templates are the subject of these tests
/**
 * Every case of compose-go's dotenv vectors, through our `parseDotenv`, `readEnvFiles`,
 * `expandDotenvValue` and `statementStart`. How each Go function maps onto ours:
 * - `Parse` / `ParseWithLookup` / `parser.parse` → `parseDotenv` (with `env` as the lookup).
 * - `Read` / `ReadWithLookup(os.LookupEnv)` → `readEnvFiles([file], env)` (drops keys that start
 *   with a digit; `env` first, then the file's own earlier lines).
 * - `ReadWithLookup` with the test's recording lookup → `parseDotenv` + `dropDigitKeys`.
 * - `Load` (never overrides the process environment) → `{ ...parseDotenv(file).values, ...env }`.
 * - `GetEnvFromFile` → `readEnvFiles(files, env)`.
 * Problems carry `line`; compose-go puts `line N: ` in front of the message, and so do we when
 * comparing.
 *
 * Treated differently on purpose: `resultOnError` (the string Go returns next to an error) is a
 * detail of the Go API and is not compared.
 */
import { describe, expect, it } from 'vitest';
import {
  type DotenvProblem,
  dropDigitKeys,
  expandDotenvValue,
  parseDotenv,
  readEnvFiles,
  statementStart,
} from '../dotenv.js';
import { composeGoCorpusAvailable, corpusTitle, type DotenvCase, dotenvVectors } from './compose-go.js';

const vectors = dotenvVectors();

function lookupIn(env: Record<string, string>, asked?: string[]) {
  return (name: string): string | undefined => {
    asked?.push(name);
    return Object.hasOwn(env, name) ? env[name] : undefined;
  };
}

function run(c: DotenvCase, asked: string[]): { values: Record<string, string>; errors: DotenvProblem[] } {
  const input = c.input ?? '';
  const file = { path: c.fixture ?? 'case.env', text: input };
  switch (c.function) {
    case 'dotenv.Parse':
    case 'dotenv.parser.parse (lookup nil)':
      return parseDotenv(input);
    case 'dotenv.ParseWithLookup':
      return parseDotenv(input, { lookup: lookupIn(c.env, asked) });
    case 'dotenv.Read':
    case 'dotenv.ReadWithLookup(os.LookupEnv)':
      return readEnvFiles([file], c.env);
    case 'dotenv.ReadWithLookup': {
      const r = parseDotenv(input, { lookup: lookupIn(c.env, asked) });
      return { values: dropDigitKeys(r.values), errors: r.errors };
    }
    case 'dotenv.Load': {
      const r = parseDotenv(input);
      return { values: { ...r.values, ...c.env }, errors: r.errors };
    }
    case 'dotenv.GetEnvFromFile':
      return readEnvFiles(
        (c.inputs ?? []).map((text, i) => ({ path: `file${i}.env`, text })),
        c.env,
      );
    default:
      throw new Error(`no mapping for ${c.function}`);
  }
}

const withLine = (e: DotenvProblem) => (e.line ? `line ${e.line}: ${e.message}` : e.message);

describe.skipIf(!composeGoCorpusAvailable())(corpusTitle('compose-go dotenv vectors'), () => {
  it('has the documented number of cases', () => {
    expect(vectors.cases).toHaveLength(94);
    expect(vectors.expandVariables).toHaveLength(12);
    expect(vectors.statementStart).toHaveLength(6);
  });

  it.each(vectors.cases)('$function: $name', (c) => {
    const asked: string[] = [];
    const r = run(c, asked);
    if (c.error) {
      expect(r.errors.length).toBeGreaterThan(0);
      const message = withLine(r.errors[0]!);
      if (c.errorMatch === 'equals') expect(message).toBe(c.errorMessage);
      else if (c.errorMessage) expect(message).toContain(c.errorMessage);
      return;
    }
    // TestActualEnvVarsAreLeftAlone ignores Load's error; every other case expects none.
    if (c.name !== 'TestActualEnvVarsAreLeftAlone') expect(r.errors).toEqual([]);
    if (c.match === 'exact') expect(r.values).toEqual(c.expected);
    else expect(r.values).toMatchObject(c.expected ?? {});
    for (const key of c.absent ?? []) expect(r.values).not.toHaveProperty([key]);
    for (const name of c.lookedUp ?? []) expect(asked).toContain(name);
  });

  it.each(vectors.expandVariables)('expandDotenvValue: $name', (c) => {
    const r = expandDotenvValue(c.input, c.env);
    if (c.error) {
      expect(r.ok).toBe(false);
      if (r.ok) return;
      if (c.errorFields) {
        expect(r.variable).toBe(c.errorFields.Variable);
        expect(r.reason).toBe(c.errorFields.Reason);
      }
      return;
    }
    expect(r).toMatchObject({ ok: true, value: c.expected });
  });

  it.each(vectors.statementStart)('statementStart: $name', (c) => {
    expect(statementStart(c.input)).toBe(c.want);
  });
});
