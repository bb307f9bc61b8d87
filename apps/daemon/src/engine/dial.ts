import { posix } from 'node:path';
import type Docker from 'dockerode';
import { OrcError } from '../contract/errors.js';

/** docker-modem's request options: `_query` goes to the URL, `_body` is sent as JSON. */
export interface DialRequest {
  path: string;
  method: 'GET' | 'POST' | 'DELETE' | 'PUT' | 'HEAD';
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  /** Statuses that count as success (besides 200/201/204). */
  ok?: number[];
  isStream?: boolean;
  hijack?: boolean;
  openStdin?: boolean;
  /** A raw request body (a tar for `PUT …/archive`), sent as it is instead of `body`'s JSON. */
  file?: Buffer | NodeJS.ReadableStream;
  signal?: AbortSignal;
  /** Registry credentials for the `X-Registry-Auth` header (service create/update); never logged. */
  registryAuth?: object;
  /**
   * Give up when the engine has not answered within this time (a stopped or wedged dockerd accepts the
   * connection and never answers): `ENGINE_UNAVAILABLE`. Absent: no limit (streams, waits, long stops).
   */
  timeoutMs?: number;
}

interface Modem {
  dial(opts: Record<string, unknown>, cb: (err: unknown, data: unknown) => void): void;
}

/**
 * One Engine API call through dockerode's modem. We dial directly (not through dockerode's helpers) so
 * that create bodies go only in the body (dockerode also copies them into the query string) and so
 * that "already done" statuses (304, 404 on delete) are ours to decide.
 */
export function dial<T>(docker: Docker, req: DialRequest): Promise<T> {
  const unclean = uncleanPath(req.path);
  if (unclean) return Promise.reject(unclean);
  if (req.timeoutMs !== undefined) return withTimeout(docker, req, req.timeoutMs);
  const modem = docker.modem as unknown as Modem;
  const statusCodes: Record<number, boolean | string> = { 200: true, 201: true, 204: true };
  for (const s of req.ok ?? []) statusCodes[s] = true;
  for (const [s, text] of [
    [304, 'not modified'],
    [400, 'bad parameter'],
    [404, 'not found'],
    [409, 'conflict'],
    [500, 'server error'],
    [503, 'unavailable'],
  ] as const) {
    if (statusCodes[s] === undefined) statusCodes[s] = text;
  }
  const query = Object.fromEntries(Object.entries(req.query ?? {}).filter(([, v]) => v !== undefined));
  const hasQuery = Object.keys(query).length > 0;
  // An empty `_body` makes the modem send no body at all (a POST /start with one is refused).
  const options: Record<string, unknown> = { _body: req.body ?? {} };
  if (hasQuery) options._query = query;
  return new Promise<T>((resolve, reject) => {
    modem.dial(
      {
        path: hasQuery ? `${req.path}?` : req.path,
        method: req.method,
        options,
        statusCodes,
        isStream: req.isStream ?? false,
        hijack: req.hijack ?? false,
        openStdin: req.openStdin ?? false,
        ...(req.file ? { file: req.file } : {}),
        ...(req.registryAuth ? { authconfig: req.registryAuth } : {}),
        abortSignal: req.signal,
      },
      (err, data) => (err ? reject(err) : resolve(data as T)),
    );
  });
}

/**
 * The engine answers a path that is not clean once decoded (a `..` or `.` segment, `//`) with a redirect,
 * and the modem follows redirects on the unix socket into an error nobody listens for: the process dies.
 * Names come from requests (`/v1/projects/..%2F..%2Fetc`), so such a path is refused before it is sent.
 */
function uncleanPath(path: string): OrcError | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return new OrcError('INVALID_REQUEST', `invalid engine request path ${JSON.stringify(path)}`);
  }
  if (posix.normalize(decoded) === decoded) return undefined;
  return new OrcError(
    'INVALID_REQUEST',
    `invalid name in ${JSON.stringify(decoded)}: a name may not hold "..", "." or "//" path segments`,
  );
}

async function withTimeout<T>(docker: Docker, req: DialRequest, ms: number): Promise<T> {
  const ac = new AbortController();
  const stop = () => ac.abort();
  req.signal?.addEventListener('abort', stop, { once: true });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    ac.abort();
  }, ms);
  try {
    return await dial<T>(docker, { ...req, signal: ac.signal, timeoutMs: undefined });
  } catch (err) {
    if (!timedOut) throw err;
    throw new OrcError(
      'ENGINE_UNAVAILABLE',
      `the Docker Engine did not answer ${req.method} ${req.path.split('?')[0]} within ${ms} ms: ` +
        'is dockerd stopped, wedged or overloaded? orc goes on once it answers again',
    );
  } finally {
    clearTimeout(timer);
    req.signal?.removeEventListener('abort', stop);
  }
}
