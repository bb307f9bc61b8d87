import type { SpecProblem } from '../client/types.js';

/** `file:line:col: message (at path)` + hint: the same rendering as @orc/spec's formatProblem. */
export function formatProblem(p: SpecProblem): string {
  const where = p.file ? `${p.file}${p.line ? `:${p.line}${p.col ? `:${p.col}` : ''}` : ''}: ` : '';
  const at = p.path ? ` (at ${p.path})` : '';
  const hint = p.hint ? `\n  hint: ${p.hint}` : '';
  return `${where}${p.message}${at}${hint}`;
}

export function isProblem(value: unknown): value is SpecProblem {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { message?: unknown }).message === 'string' &&
    typeof (value as { code?: unknown }).code === 'string'
  );
}
