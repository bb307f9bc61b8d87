/**
 * Test helper: reads the compose-go reference vectors (`/work/shared/corpus/compose-go/*.json`, see
 * its README for the shapes). The corpus is read in place, never copied into the repository.
 * `ORC_COMPOSE_GO_CORPUS` points elsewhere; when the folder is absent the tests that use it skip.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../../..');

export const composeGoCorpusDir: string =
  process.env.ORC_COMPOSE_GO_CORPUS ?? resolve(repoRoot, '../shared/corpus/compose-go');

export function composeGoCorpusAvailable(): boolean {
  return existsSync(join(composeGoCorpusDir, 'README.md'));
}

/** A describe title that says why the block is skipped when it is. */
export function corpusTitle(title: string): string {
  return composeGoCorpusAvailable()
    ? title
    : `${title} (SKIPPED: compose-go corpus not found at ${composeGoCorpusDir}; set ORC_COMPOSE_GO_CORPUS)`;
}

function read<T>(file: string, empty: T): T {
  if (!composeGoCorpusAvailable()) return empty;
  return JSON.parse(readFileSync(join(composeGoCorpusDir, file), 'utf8')) as T;
}

interface CaseBase {
  name: string;
  source: string;
}

interface ErrorFields {
  error?: true;
  errorMessage?: string;
  errorMatch?: 'contains' | 'equals';
  errorType?: string;
  errorFields?: { Variable: string; Reason: string };
  resultOnError?: string;
}

export interface InterpolationCase extends CaseBase, ErrorFields {
  function: 'template.Substitute' | 'template.SubstituteWith(DefaultPattern)' | 'interpolation.Interpolate';
  template: string;
  env: Record<string, string>;
  expected?: string;
  path?: string;
  warnings?: number;
}

export interface DocumentCase extends CaseBase {
  function: string;
  env: Record<string, string>;
  input: unknown;
  expected: unknown;
  typeCasts?: Record<string, string>;
}

export interface OperatorChoiceCase extends CaseBase {
  input: string;
  symbol: string;
}

export interface ExtractVariablesCase extends CaseBase {
  input: unknown;
  expected: Record<string, { Name: string; DefaultValue: string; PresenceValue: string; Required: boolean }>;
}

export interface InterpolationVectors {
  cases: InterpolationCase[];
  documentCases: DocumentCase[];
  operatorChoice: OperatorChoiceCase[];
  extractVariables: ExtractVariablesCase[];
}

export interface DotenvCase extends CaseBase, ErrorFields {
  function: string;
  input?: string;
  inputs?: string[];
  fixture?: string;
  env: Record<string, string>;
  envRole: 'none' | 'lookup' | 'process-preset' | 'currentEnv' | 'vars';
  expected?: Record<string, string>;
  match?: 'exact' | 'subset';
  absent?: string[];
  lookedUp?: string[];
}

export interface ExpandVariablesCase extends CaseBase, ErrorFields {
  function: string;
  input: string;
  env: Record<string, string>;
  expected?: string;
}

export interface StatementStartCase extends CaseBase {
  input: string;
  want: string;
}

export interface DotenvVectors {
  cases: DotenvCase[];
  expandVariables: ExpandVariablesCase[];
  statementStart: StatementStartCase[];
}

export interface MergeCase extends CaseBase {
  base: string;
  override: string;
  expected: string;
  enforceUnicity: boolean;
}

export interface UnicityCase extends CaseBase {
  input: string;
  expected: string;
}

export interface MergeVectors {
  cases: MergeCase[];
  unicityCases: UnicityCase[];
}

export function interpolationVectors(): InterpolationVectors {
  return read('interpolation.json', {
    cases: [],
    documentCases: [],
    operatorChoice: [],
    extractVariables: [],
  });
}

export function dotenvVectors(): DotenvVectors {
  return read('dotenv.json', { cases: [], expandVariables: [], statementStart: [] });
}

export function mergeVectors(): MergeVectors {
  return read('merge.json', { cases: [], unicityCases: [] });
}
