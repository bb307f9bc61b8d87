/**
 * Every API error is `{ code, message, details?, hint?, location? }` with the status the code has in the
 * one table (contract/errors.ts): the layers below only throw `OrcError`s, the API never guesses.
 */
import { HTTP_STATUS, isErrorCode, isOrcError, type OrcError } from '../contract/errors.js';
import { mapEngineError } from '../engine/errors.js';

export interface ErrorBody {
  code: string;
  message: string;
  details?: unknown;
  hint?: string;
  location?: unknown;
}

/** Errno codes of a socket that nobody answers on: the engine is down, not wrong. */
const UNREACHABLE_ERRNO = new Set([
  'ECONNREFUSED',
  'ENOENT',
  'ECONNRESET',
  'EACCES',
  'ETIMEDOUT',
  'EHOSTUNREACH',
]);

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

/**
 * Turns anything thrown into a status and a body. Unknown errors become 500 INTERNAL with a generic
 * message: their text may hold paths or values we do not want to hand out, and never a stack trace.
 */
export function toErrorResponse(err: unknown): { status: number; body: ErrorBody; internal: boolean } {
  if (isOrcError(err)) return { status: err.status, body: errorBody(err), internal: false };
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
  // A code of ours carried by something else (a plain object thrown across a boundary): its status is the table's.
  if (isErrorCode(code)) {
    return { status: HTTP_STATUS[code], body: withDetails(code, message, err.details), internal: false };
  }
  // A dockerode error that escaped the engine layer: mapped by the engine's own mapping, not guessed here.
  if (typeof err.statusCode === 'number' && isRecord(err.json)) {
    const mapped = mapEngineError(err, 'the engine');
    return { status: mapped.status, body: errorBody(mapped), internal: false };
  }
  return internalError();
}

function errorBody(err: OrcError): ErrorBody {
  const body = withDetails(err.code, err.message, err.details);
  return {
    ...body,
    ...(err.hint ? { hint: err.hint } : {}),
    ...(err.location ? { location: err.location } : {}),
  };
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
