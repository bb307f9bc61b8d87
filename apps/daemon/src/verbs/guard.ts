import { Labels } from '@orc/spec';
import { OrcError } from '../contract/errors.js';
import type { Engine } from '../engine/engine.js';

/**
 * Two folders with the same name (say two `app/`s) give the same default project name; acting on one
 * would recreate or remove the other's containers. Refuse unless the caller insists.
 */
export async function checkProjectOwner(
  engine: Engine,
  project: string,
  workingDir: string,
  force: boolean,
): Promise<void> {
  if (force) return;
  const containers = await engine.listContainers({ label: [`${Labels.project}=${project}`] });
  assertProjectOwner(
    containers.map((c) => c.Labels ?? {}),
    project,
    workingDir,
    force,
  );
}

/** The same check on labels already read (an `up` has just observed the project). */
export function assertProjectOwner(
  labels: Array<Record<string, string>>,
  project: string,
  workingDir: string,
  force: boolean,
): void {
  if (force) return;
  const other = labels
    .map((l) => l[Labels.workingDir])
    .find((dir): dir is string => Boolean(dir) && dir !== workingDir);
  if (other === undefined) return;
  throw new OrcError(
    'PROJECT_NAME_IN_USE',
    `project name "${project}" is already used by the project in ${other}, not ${workingDir}; ` +
      `choose another name with -p (or COMPOSE_PROJECT_NAME), or pass --force to take it over`,
    { project, existingWorkingDir: other, workingDir },
  );
}
