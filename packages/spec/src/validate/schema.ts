import type { PathProblem } from '../normalize/context.js';
import { composeFileShape } from './compose-schema.js';
import { checkShape } from './shape.js';

/** Checks one (interpolated) compose file against the specification: every problem, with its path. */
export function validateComposeFile(tree: unknown): PathProblem[] {
  const out: PathProblem[] = [];
  checkShape(composeFileShape, tree, [], out);
  return out;
}
