/**
 * The one error type of the daemon, and the one table from its code to an HTTP status.
 *
 * Every layer throws `OrcError` with a stable `code` (scripts, tests and the CLI match on it), a `message`
 * for people (what happened, how to fix it), optional `details` (data), a `hint` and, for problems in a
 * file, a `location`. The table below is the list of codes: a code that is not in it does not type-check,
 * so no status is ever guessed from a code's spelling. The API layer only looks the status up.
 */

/** Code → HTTP status. Adding a code means choosing its status here, once. */
export const HTTP_STATUS = {
  // Requests the daemon refuses.
  BAD_REQUEST: 400,
  INVALID_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN_ORIGIN: 403,
  FORBIDDEN_HOST: 403,
  NOT_FOUND: 404,
  PROJECT_NOT_FOUND: 404,
  SERVICE_NOT_FOUND: 404,
  CONTAINER_NOT_FOUND: 404,
  OPERATION_NOT_FOUND: 404,
  CONFLICT: 409,
  NAME_IN_USE: 409,
  PROJECT_NAME_IN_USE: 409,
  /** Another live orc daemon keeps this project on the engine (see verbs/lease.ts). */
  PROJECT_KEPT_ELSEWHERE: 409,
  OPERATION_IN_PROGRESS: 409,
  /** A step met a world that changed since the plan was made (a name taken meanwhile); plan again. */
  STALE_PLAN: 409,
  PORT_ALLOCATED: 409,
  INVALID_PROJECT: 422,
  // Images (images/): registry and build failures.
  IMAGE_MISSING: 404,
  IMAGE_NOT_FOUND: 404,
  INVALID_REFERENCE: 422,
  INVALID_PULL_POLICY: 422,
  REGISTRY_AUTH: 500,
  REGISTRY_UNREACHABLE: 500,
  PULL_FAILED: 500,
  PUSH_FAILED: 500,
  BUILD_FAILED: 500,
  BUILD_CONTEXT: 500,
  PLATFORM_UNSUPPORTED: 500,
  NOT_SUPPORTED: 500,
  CREDENTIAL_HELPER: 500,
  // The workload failed (not the daemon): the containers are the "upstream" of an up.
  UNHEALTHY: 502,
  CONTAINER_EXITED: 502,
  /** A provider service's provider failed (an `error` message or a non-zero exit). */
  PROVIDER_FAILED: 502,
  /** A provider service's provider is not installed where the daemon runs. */
  PROVIDER_UNAVAILABLE: 501,
  /** A lifecycle hook (pre_start step, post_start, pre_stop) exited non-zero. */
  HOOK_FAILED: 502,
  DEPENDENCY_FAILED: 502,
  WAIT_TIMEOUT: 504,
  // The engine.
  ENGINE_ERROR: 502,
  ENGINE_UNAVAILABLE: 503,
  ENGINE_UNREACHABLE: 503,
  /** A project with `target: swarm` on an engine that is not a swarm manager (issue 15). */
  NOT_SWARM_MANAGER: 409,
  // The daemon itself.
  SHUTTING_DOWN: 503,
  CANCELLED: 503,
  NOT_IMPLEMENTED: 501,
  INTERNAL: 500,
  /** The state directory has no room for a record: nothing was done (records are written before acting). */
  STATE_DIR_FULL: 507,
} as const satisfies Record<string, number>;

export type ErrorCode = keyof typeof HTTP_STATUS;

/** Where in a file a problem is (compose files, env files): 1-based line and column. */
export interface ErrorLocation {
  file: string;
  line?: number;
  column?: number;
}

export class OrcError<D = unknown> extends Error {
  readonly code: ErrorCode;
  readonly details?: D;
  readonly hint?: string;
  readonly location?: ErrorLocation;
  constructor(
    code: ErrorCode,
    message: string,
    details?: D,
    more: { hint?: string; location?: ErrorLocation } = {},
  ) {
    super(message);
    this.name = 'OrcError';
    this.code = code;
    if (details !== undefined) this.details = details;
    if (more.hint) this.hint = more.hint;
    if (more.location) this.location = more.location;
  }

  get status(): number {
    return HTTP_STATUS[this.code];
  }

  /** The wire shape (`OperationError`, the API's error body). */
  toJSON(): { code: ErrorCode; message: string; details?: D; hint?: string; location?: ErrorLocation } {
    return {
      code: this.code,
      message: this.message,
      ...(this.details !== undefined ? { details: this.details } : {}),
      ...(this.hint ? { hint: this.hint } : {}),
      ...(this.location ? { location: this.location } : {}),
    };
  }
}

export function isOrcError(err: unknown, code?: ErrorCode): err is OrcError {
  return err instanceof OrcError && (code === undefined || err.code === code);
}

export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && Object.hasOwn(HTTP_STATUS, code);
}

/** The status of a code; a code we do not know (from outside the daemon) is an internal error. */
export function statusForCode(code: string): number {
  return isErrorCode(code) ? HTTP_STATUS[code] : 500;
}
