import type { Project } from '../model/project.js';
import type { Target } from '../model/swarm.js';

const TARGETS: readonly Target[] = ['local', 'swarm'];

/** `x-orc: {target: …}` at the top of the file, when it names a target; `invalid` otherwise. */
export function declaredTarget(project: Pick<Project, 'extensions'>): Target | 'invalid' | undefined {
  const raw = project.extensions?.['x-orc'];
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return undefined;
  const value = (raw as Record<string, unknown>).target;
  if (value === undefined) return undefined;
  return TARGETS.includes(value as Target) ? (value as Target) : 'invalid';
}

/** The target a command acts on: `--target` when given, else the file's `x-orc.target`, else local. */
export function projectTarget(project: Pick<Project, 'extensions'>, requested?: Target): Target {
  if (requested) return requested;
  const declared = declaredTarget(project);
  return declared === undefined || declared === 'invalid' ? 'local' : declared;
}
