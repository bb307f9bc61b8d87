import { DesiredStateError } from '../desired/errors.js';
import type { SpecProblem } from '../model/errors.js';

/**
 * Everything Swarm cannot do in the services a command acts on, each problem located (file:line:col when
 * the project was loaded for the swarm target): all of them at once, so one fix-and-retry round is
 * enough. The message names the first and how many more; `problems` holds the list.
 */
export class SwarmProblemsError extends DesiredStateError {
  readonly problems: SpecProblem[];

  constructor(problems: SpecProblem[]) {
    const first = problems[0];
    if (!first) throw new Error('SwarmProblemsError needs at least one problem');
    const where = first.file ? `${first.file}:${first.line ?? 0}:${first.col ?? 0}: ` : '';
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
    super(first.code, `${where}${first.message}${more}`, {
      ...(first.path ? { path: first.path } : {}),
      ...(first.hint ? { hint: first.hint } : {}),
    });
    this.name = 'SwarmProblemsError';
    this.problems = problems;
  }
}
