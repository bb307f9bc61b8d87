/**
 * Calls to the daemon's own API, same origin, with the session cookie (never the token: it is sent once,
 * to /v1/ui/login, in a POST body). A 401 anywhere means the session ended: back to the login form.
 */
import type { OperationRecord, ProgressItem, ProjectSummary } from './types.js';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

let onUnauthorized: () => void = () => undefined;
export function setUnauthorizedHandler(fn: () => void): void {
  onUnauthorized = fn;
}

async function call(path: string, init: RequestInit = {}): Promise<Response> {
  const res = await fetch(path, {
    credentials: 'same-origin',
    ...init,
    headers: { accept: 'application/json', ...(init.body ? { 'content-type': 'application/json' } : {}) },
  });
  if (res.ok) return res;
  const body = (await res.json().catch(() => ({}))) as { code?: string; message?: string };
  if (res.status === 401 && !path.endsWith('/ui/login')) onUnauthorized();
  throw new ApiError(res.status, body.code ?? 'ERROR', body.message ?? res.statusText);
}

async function json<T>(path: string, init?: RequestInit): Promise<T> {
  return (await (await call(path, init)).json()) as T;
}

const enc = encodeURIComponent;

export const api = {
  login: (token: string) => json<{ expiresAt: string }>('/v1/ui/login', post({ token })),
  logout: () => call('/v1/ui/logout', { method: 'POST' }),
  session: () => json<{ expiresAt: string }>('/v1/ui/session'),
  projects: () => json<{ projects: ProjectSummary[] }>('/v1/projects').then((r) => r.projects),
  project: (name: string) => json<ProjectSummary>(`/v1/projects/${enc(name)}`),
  /** A service action (restart, stop, start) or the project's down / up (re-apply): the operation started. */
  serviceAction: (project: string, action: string, services: string[]) =>
    json<{ operation: OperationRecord }>(`/v1/projects/${enc(project)}/${action}`, post({ services })),
  down: (project: string) =>
    json<{ operation: OperationRecord }>(`/v1/projects/${enc(project)}/down`, post({})),
  up: (project: string) => json<{ operation: OperationRecord }>(`/v1/projects/${enc(project)}/up`, post({})),
  plan: (project: string) =>
    json<{ operation: OperationRecord }>(`/v1/projects/${enc(project)}/up?wait=true`, post({ dryRun: true })),
  progress: (id: string, signal: AbortSignal) =>
    ndjson<ProgressItem>(`/v1/operations/${enc(id)}/progress`, signal),
  stream: <T>(path: string, signal: AbortSignal) => ndjson<T>(path, signal),
};

function post(body: unknown): RequestInit {
  return { method: 'POST', body: JSON.stringify(body) };
}

/** An NDJSON stream, item by item (empty keep-alive lines skipped), until it ends or the signal aborts. */
async function* ndjson<T>(path: string, signal: AbortSignal): AsyncGenerator<T> {
  const res = await call(path, { signal });
  if (!res.body) return;
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      let nl = buffer.indexOf('\n');
      while (nl >= 0) {
        const line = buffer.slice(0, nl).trim();
        buffer = buffer.slice(nl + 1);
        if (line) yield JSON.parse(line) as T;
        nl = buffer.indexOf('\n');
      }
    }
  } finally {
    reader.cancel().catch(() => undefined);
  }
}
