import type Docker from 'dockerode';

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
  signal?: AbortSignal;
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
        abortSignal: req.signal,
      },
      (err, data) => (err ? reject(err) : resolve(data as T)),
    );
  });
}
