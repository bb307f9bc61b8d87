import type { ProjectSummary, PsTable } from '../contract/types.js';

/**
 * `orc ps`'s view of a project summary (PsTableSchema): the rows' table fields only, nothing else changed.
 * Each field is copied by name: the reply's schema is open, so the whole summary would be written out.
 */
export function psTableOf(project: ProjectSummary): PsTable {
  return {
    name: project.name,
    status: project.status,
    ...(project.target ? { target: project.target } : {}),
    containers: project.containers.map((c) => ({
      Name: c.Name,
      Service: c.Service,
      State: c.State,
      Image: c.Image,
      Command: c.Command,
      Created: c.Created,
      Status: c.Status,
      Publishers: c.Publishers,
      // A swarm task's row (issue 15).
      ...(c.Node !== undefined ? { Node: c.Node } : {}),
      ...(c.DesiredState !== undefined ? { DesiredState: c.DesiredState } : {}),
      ...(c.CurrentState !== undefined ? { CurrentState: c.CurrentState } : {}),
      ...(c.Error !== undefined ? { Error: c.Error } : {}),
    })),
    ...(project.watch ? { watch: project.watch } : {}),
  };
}
