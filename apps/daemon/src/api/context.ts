import { OrcError } from '../contract/errors.js';
import type { ProjectSourceBody } from '../contract/schemas.js';
import type { ProjectSource } from '../contract/types.js';
import type { Core, ProjectTarget } from '../verbs/types.js';

/** What every route plugin gets: the core, the daemon's shutdown signal, and optional renderers. */
export interface ApiContext {
  core: Core;
  /** Aborts when the daemon shuts down: streams end so that the server can close. */
  shutdown: AbortSignal;
  /** Project → compose YAML (packages/spec `render/`); absent = `format=yaml` answers 501. */
  renderYaml?: (project: unknown) => string;
  version: string;
}

/** The client's source with the API's defaults: an absent environment is an empty one (never the daemon's). */
export function toSource(body: ProjectSourceBody, projectName?: string): ProjectSource {
  const source: ProjectSource = { ...body, env: body.env ?? {} };
  if (projectName !== undefined) source.projectName = projectName;
  return source;
}

/** `:name` (or `-` plus `source`) → the core's ProjectTarget. */
export function toTarget(name: string, source: ProjectSourceBody | undefined): ProjectTarget {
  if (source) return { source: toSource(source, name === '-' ? undefined : name) };
  if (name === '-') {
    throw new OrcError('BAD_REQUEST', 'the project name "-" needs a "source" in the body');
  }
  return { name };
}
