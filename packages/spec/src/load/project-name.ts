import type { SpecProblem } from '../model/errors.js';

const VALID = /^[a-z0-9][a-z0-9_-]*$/;

/** Compose's normalisation: lower-case, only `[a-z0-9_-]`, no leading `_` or `-`. */
export function normalizeProjectName(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, '')
    .replace(/^[_-]+/, '');
}

export function isValidProjectName(name: string): boolean {
  return VALID.test(name);
}

export interface NameSource {
  value: string;
  /** Where the name came from, for the message. */
  origin: 'flag' | 'environment' | 'file' | 'directory';
  file?: string;
  line?: number;
  col?: number;
}

/** An explicit name must already be valid; a directory name is normalised. */
export function decideProjectName(source: NameSource): { name: string } | { error: SpecProblem } {
  if (source.origin === 'directory') {
    const name = normalizeProjectName(source.value);
    if (name === '') {
      return {
        error: {
          code: 'INVALID_PROJECT_NAME',
          message: `cannot derive a project name from the directory "${source.value}"`,
          hint: 'give one with -p, COMPOSE_PROJECT_NAME or a top-level `name:`',
        },
      };
    }
    return { name };
  }
  if (isValidProjectName(source.value)) return { name: source.value };
  const suggestion = normalizeProjectName(source.value);
  const from = { flag: '-p', environment: 'COMPOSE_PROJECT_NAME', file: 'the top-level `name:`' }[
    source.origin
  ];
  return {
    error: {
      code: 'INVALID_PROJECT_NAME',
      message: `invalid project name ${JSON.stringify(source.value)} (from ${from})`,
      hint: `a project name has only lower-case letters, digits, "_" and "-", and starts with a letter or digit${
        suggestion ? `: try "${suggestion}"` : ''
      }`,
      ...(source.file ? { file: source.file } : {}),
      ...(source.line ? { line: source.line, col: source.col ?? 1 } : {}),
    },
  };
}
