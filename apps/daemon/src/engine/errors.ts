/**
 * Engine errors mapped to our codes, here, once, from dockerode's shapes (the error type and the code →
 * HTTP table are the ground floor's: contract/errors.ts).
 */
import { OrcError } from '../contract/errors.js';

/** What dockerode rejects with: an Error carrying the HTTP status and the engine's JSON body. */
interface DockerodeErrorShape {
  statusCode?: number;
  json?: { message?: string } | null;
  reason?: string;
  code?: string;
  message?: string;
}

export function engineStatus(err: unknown): number | undefined {
  return typeof err === 'object' && err !== null ? (err as DockerodeErrorShape).statusCode : undefined;
}

/** The engine's own message, without dockerode's `(HTTP code 404) no such container -` prefix. */
export function engineMessage(err: unknown): string {
  if (typeof err !== 'object' || err === null) return String(err);
  const e = err as DockerodeErrorShape;
  const fromJson = e.json && typeof e.json === 'object' ? e.json.message : undefined;
  if (fromJson) return fromJson.trim();
  return (e.message ?? String(err)).replace(/^\(HTTP code \d+\) [^-]*- /, '').trim();
}

const unreachableCodes = new Set(['ENOENT', 'ECONNREFUSED', 'EACCES', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT']);

/**
 * Maps an engine failure to our codes. `what` names the resource the way a user would (`container demo-web-1`).
 */
export function mapEngineError(err: unknown, what: string): OrcError {
  if (err instanceof OrcError) return err;
  const e = (typeof err === 'object' && err !== null ? err : {}) as DockerodeErrorShape;
  const msg = engineMessage(err);
  if (e.code && unreachableCodes.has(e.code)) {
    return new OrcError(
      'ENGINE_UNREACHABLE',
      `cannot reach the Docker Engine (${e.code}) while working on ${what}; is dockerd running and is DOCKER_HOST right?`,
    );
  }
  const portMatch =
    /Bind for ([^ ]+) failed: port is already allocated|listen tcp[^:]*:? ?([^ ]*:\d+): bind: address already in use/.exec(
      msg,
    );
  if (portMatch) {
    const where = portMatch[1] ?? portMatch[2] ?? 'the host port';
    return new OrcError(
      'PORT_ALLOCATED',
      `${what}: port ${where} is already in use on the host; stop what uses it or publish another port`,
      { engine: msg },
    );
  }
  switch (e.statusCode) {
    case 404:
      if (/no such image/i.test(msg)) {
        return new OrcError(
          'IMAGE_MISSING',
          `${what}: image not found locally (${msg}); pull or build it first`,
          { engine: msg },
        );
      }
      return new OrcError('NOT_FOUND', `${what} not found: ${msg}`, { engine: msg });
    case 409:
      return new OrcError('CONFLICT', `${what}: ${msg}`, { engine: msg });
    case 400:
      return new OrcError('INVALID_REQUEST', `${what}: the engine refused the request: ${msg}`, {
        engine: msg,
      });
    default:
      return new OrcError('ENGINE_ERROR', `${what}: ${msg}`, { engine: msg, status: e.statusCode });
  }
}
