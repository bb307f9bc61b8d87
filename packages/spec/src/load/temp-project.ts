import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { SpecProblem } from '../model/errors.js';
import { formatProblem } from '../model/errors.js';
import type { Project } from '../model/project.js';
import { problemsFor } from '../validate/applicable.js';
import { loadProject } from './load-project.js';
import type { LoadOptions, LoadResult } from './options.js';

/** A throw-away directory holding the files a loader test needs (for tests only). */
export interface TempProject {
  dir: string;
  path: (rel: string) => string;
  write: (rel: string, text: string) => string;
  remove: () => void;
}

export function tempProject(files: Record<string, string> = {}, name = 'proj'): TempProject {
  const root = mkdtempSync(join(tmpdir(), 'orc-spec-'));
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  const write = (rel: string, text: string): string => {
    const p = join(dir, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, text);
    return p;
  };
  for (const [rel, text] of Object.entries(files)) write(rel, text);
  return {
    dir,
    path: (rel) => join(dir, rel),
    write,
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}

/** Loads compose text sent inline from `workingDir` (for tests). */
export async function loadText(
  text: string,
  opts: Partial<Omit<LoadOptions, 'inline'>> = {},
): Promise<LoadResult> {
  return loadProject({
    workingDir: '/srv/proj',
    env: { HOME: '/home/u' },
    ...opts,
    inline: [{ content: text }],
  });
}

/** The project of a successful load; the errors, readable, otherwise. */
export function expectOk(r: LoadResult): Project {
  if (!r.ok) throw new Error(`expected a project, got:\n${r.errors.map(formatProblem).join('\n')}`);
  return r.project;
}

export function expectErrors(r: LoadResult): SpecProblem[] {
  if (r.ok) throw new Error('expected errors, the project loaded');
  return r.errors;
}

/**
 * The errors a command acting on every service meets: the load's own, else the project's service
 * problems that apply to all of its services (a missing env_file, a container_name clash).
 */
export function expectErrorsForAll(r: LoadResult): SpecProblem[] {
  if (!r.ok) return r.errors;
  const problems = problemsFor(r.project, Object.keys(r.project.services));
  if (problems.length === 0) throw new Error('expected errors, the project loaded without any');
  return problems;
}
