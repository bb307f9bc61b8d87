/**
 * Located problems in compose input. The loader never throws at its caller: it returns these.
 * `code` is stable (scripts and tests match on it); `message` and `hint` are for people.
 */
export interface SpecProblem {
  code: SpecErrorCode;
  message: string;
  /** Absolute path, or `<inline>` / `<inline:N>` for text sent through the API. */
  file?: string;
  /** 1-based. */
  line?: number;
  /** 1-based. */
  col?: number;
  /** Key path as people write it: `services.web.ports[1]`. */
  path?: string;
  hint?: string;
}

export type SpecErrorCode =
  | 'FILE_NOT_FOUND'
  | 'FILE_TOO_LARGE'
  | 'NO_COMPOSE_FILE'
  | 'YAML_SYNTAX'
  | 'YAML_LIMIT'
  | 'INTERPOLATION'
  | 'ENV_FILE'
  | 'SCHEMA'
  | 'UNKNOWN_KEY'
  | 'INVALID_VALUE'
  | 'INVALID_PROJECT_NAME'
  | 'UNKNOWN_SERVICE'
  | 'UNKNOWN_NETWORK'
  | 'UNKNOWN_VOLUME'
  | 'UNKNOWN_SECRET'
  | 'UNKNOWN_CONFIG'
  | 'DEPENDENCY_CYCLE'
  | 'EXTENDS'
  | 'INCLUDE'
  | 'DUPLICATE_CONTAINER_NAME'
  | 'PORT_CONFLICT'
  | 'SCALE_CONFLICT'
  | 'EXTERNAL_RESOURCE'
  | 'UNSET_VARIABLE'
  | 'VARIABLES'
  | 'DEPRECATED'
  | 'NOT_SUPPORTED';

/**
 * A problem that fails only the commands acting on its services, as compose checks these per command
 * (a missing `env_file` fails `up b`, not `up a` or `ps`). It applies when every one of `services` is
 * selected: one service for an env_file, the two services of a `container_name` clash.
 */
export interface ServiceProblem extends SpecProblem {
  services: string[];
}

export type SpecWarning = SpecProblem;
export type SpecError = SpecProblem;

/** `file:line:col: message (at path)\n  hint: ...` — the one rendering the CLI and API messages use. */
export function formatProblem(p: SpecProblem): string {
  const where = p.file ? `${p.file}${p.line ? `:${p.line}${p.col ? `:${p.col}` : ''}` : ''}: ` : '';
  const at = p.path ? ` (at ${p.path})` : '';
  const hint = p.hint ? `\n  hint: ${p.hint}` : '';
  return `${where}${p.message}${at}${hint}`;
}
