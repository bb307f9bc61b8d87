/**
 * Every API error is `{ code, message, details }` with a status chosen from the code, so the core (and the
 * engine layer under it) only has to throw errors carrying a stable `code`; the HTTP status is decided here.
 */
export interface ErrorBody {
  code: string;
  message: string;
  details?: unknown;
}

/** An error the API raises itself (auth, validation of things a schema cannot express, not found). */
export class ApiError extends Error {
  readonly code: string;
  readonly statusCode: number;
  readonly details: unknown;
  constructor(code: string, message: string, details?: unknown) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.statusCode = statusForCode(code);
    this.details = details;
  }
}

const STATUS_BY_CODE: Record<string, number> = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN_ORIGIN: 403,
  FORBIDDEN_HOST: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  OPERATION_IN_PROGRESS: 409,
  INVALID_PROJECT: 422,
  INTERNAL: 500,
  ENGINE_ERROR: 502,
  ENGINE_UNAVAILABLE: 503,
  ENGINE_UNREACHABLE: 503,
  SHUTTING_DOWN: 503,
  CANCELLED: 503,
  INVALID_REQUEST: 400,
  IMAGE_MISSING: 404,
  PORT_ALLOCATED: 409,
  // The workload failed (not the daemon): the containers are the "upstream" of an up.
  UNHEALTHY: 502,
  CONTAINER_EXITED: 502,
  DEPENDENCY_FAILED: 502,
  WAIT_TIMEOUT: 504,
  NOT_IMPLEMENTED: 501,
};

/** Errno codes of a socket that nobody answers on: the engine is down, not wrong. */
const UNREACHABLE_ERRNO = new Set([
  'ECONNREFUSED',
  'ENOENT',
  'ECONNRESET',
  'EACCES',
  'ETIMEDOUT',
  'EHOSTUNREACH',
]);

export function statusForCode(code: string): number {
  const known = STATUS_BY_CODE[code];
  if (known) return known;
  if (code.endsWith('_NOT_FOUND')) return 404;
  if (code.endsWith('CONFLICT') || code.endsWith('_EXISTS') || code.endsWith('_IN_USE')) return 409;
  if (code.startsWith('INVALID_')) return 422;
  return 500;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

/**
 * Turns anything thrown into a status and a body. Unknown errors become 500 INTERNAL with a generic
 * message: their text may hold paths or values we do not want to hand out, and never a stack trace.
 */
export function toErrorResponse(err: unknown): { status: number; body: ErrorBody; internal: boolean } {
  if (err instanceof ApiError) {
    return { status: err.statusCode, body: withDetails(err.code, err.message, err.details), internal: false };
  }
  if (!isRecord(err)) return internalError();
  const code = typeof err.code === 'string' ? err.code : undefined;
  const message = typeof err.message === 'string' ? err.message : String(err);
  // Fastify's own errors (bad JSON, wrong content type, body too large) carry a 4xx statusCode.
  if (code?.startsWith('FST_') && typeof err.statusCode === 'number' && err.statusCode < 500) {
    return { status: err.statusCode, body: { code: 'BAD_REQUEST', message }, internal: false };
  }
  // A system error (errno): only a failed connect means the engine is down; anything else is ours.
  if (typeof err.syscall === 'string') {
    if (code && UNREACHABLE_ERRNO.has(code) && err.syscall === 'connect') {
      return {
        status: 503,
        body: { code: 'ENGINE_UNAVAILABLE', message: `the Docker Engine does not answer (${code})` },
        internal: false,
      };
    }
    return internalError();
  }
  if (code && /^[A-Z][A-Z0-9_]+$/.test(code) && !code.startsWith('ERR_')) {
    return { status: statusForCode(code), body: withDetails(code, message, err.details), internal: false };
  }
  // dockerode errors: an HTTP status from the engine and its JSON message.
  if (typeof err.statusCode === 'number' && isRecord(err.json)) {
    const engineMessage = typeof err.json.message === 'string' ? err.json.message : message;
    if (err.statusCode === 404)
      return { status: 404, body: { code: 'NOT_FOUND', message: engineMessage }, internal: false };
    if (err.statusCode === 409)
      return { status: 409, body: { code: 'CONFLICT', message: engineMessage }, internal: false };
    return { status: 502, body: { code: 'ENGINE_ERROR', message: engineMessage }, internal: false };
  }
  return internalError();
}

function withDetails(code: string, message: string, details: unknown): ErrorBody {
  return details === undefined ? { code, message } : { code, message, details };
}

function internalError(): { status: number; body: ErrorBody; internal: boolean } {
  return {
    status: 500,
    body: { code: 'INTERNAL', message: 'internal error (see the daemon log)' },
    internal: true,
  };
}
