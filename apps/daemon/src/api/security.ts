/**
 * The daemon can start any container, so it is a root door: only local, deliberate clients get in.
 * - Browsers are refused (an `Origin` header), so a web page cannot drive the API with the user's rights.
 * - On TCP, the `Host` must be loopback or the bind address (DNS rebinding), and a bearer token is
 *   required even on 127.0.0.1: other local users can reach a TCP port, unlike a 0600 socket.
 */
import { timingSafeEqual } from 'node:crypto';
import { OrcError } from '../contract/errors.js';
import { type SessionStore, sessionIdFrom } from './ui/sessions.js';

export interface SecurityOptions {
  transport: 'unix' | 'tcp';
  /** Required on TCP. */
  token?: string;
  /** Origins allowed despite the browser rule (`--allow-origin`), exact match. */
  allowOrigins: string[];
  /** Extra `Host` names allowed on TCP (`--allow-host`), without port. */
  allowHosts: string[];
  /** The TCP bind address, always an allowed Host. */
  bindHost?: string;
  /**
   * The status page (`--ui`, TCP only): its own origin (`http://<the Host asked for>`) may call the API,
   * with the session cookie instead of the token; the page and the login route need no credentials.
   */
  ui?: { sessions: SessionStore };
}

export interface RequestHeaders {
  origin?: string | string[];
  host?: string | string[];
  authorization?: string | string[];
  cookie?: string | string[];
  'sec-fetch-site'?: string | string[];
}

/** What the check needs of the request line (absent: an API request, as before the page existed). */
export interface RequestLine {
  method: string;
  url: string;
}

/** The page's files and its login: reachable without credentials (they hold no data). */
export function isPublicUiPath(line: RequestLine): boolean {
  const path = line.url.split('?')[0] ?? '';
  if (line.method === 'POST') return path === '/v1/ui/login';
  if (line.method !== 'GET' && line.method !== 'HEAD') return false;
  return path === '/' || path === '/favicon.svg' || path.startsWith('/assets/');
}

/** The daemon's own origin as the browser names it: the scheme and the Host the request was sent to. */
export function isOwnOrigin(origin: string | undefined, host: string | undefined): boolean {
  if (!origin || !host) return false;
  return origin === `http://${host}` || origin === `https://${host}`;
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

/** Throws an OrcError when the request must be refused; returns when it may proceed. */
export function checkRequest(headers: RequestHeaders, opts: SecurityOptions, line?: RequestLine): void {
  const origin = first(headers.origin);
  const ownOrigin =
    opts.ui !== undefined && opts.transport === 'tcp' && isOwnOrigin(origin, first(headers.host));
  if (origin !== undefined && !opts.allowOrigins.includes(origin) && !ownOrigin) {
    throw new OrcError(
      'FORBIDDEN_ORIGIN',
      'requests from browsers (with an Origin header) are refused; start the daemon with --allow-origin to allow one',
    );
  }
  if (opts.transport !== 'tcp') return;
  const host = hostName(first(headers.host) ?? '');
  if (!isAllowedHost(host, opts)) {
    throw new OrcError(
      'FORBIDDEN_HOST',
      `Host "${host}" is not a loopback name; start the daemon with --allow-host ${host || '<name>'} to allow it`,
    );
  }
  if (opts.token && tokenMatches(first(headers.authorization), opts.token)) return;
  if (opts.ui && line) {
    if (isPublicUiPath(line)) return;
    if (opts.ui.sessions.get(sessionIdFrom(first(headers.cookie)))) {
      checkCookieRequest(headers, line, ownOrigin);
      return;
    }
  }
  throw new OrcError('UNAUTHORIZED', 'a valid "Authorization: Bearer <token>" header is required');
}

/**
 * The cookie stands for the token only on the page's own requests: a change (any method but GET/HEAD) must
 * carry the daemon's own Origin, and a browser that says the request came from another site is refused.
 * (SameSite=Strict already keeps the cookie off other sites' requests; this does not rely on it alone.)
 */
function checkCookieRequest(headers: RequestHeaders, line: RequestLine, ownOrigin: boolean): void {
  const site = first(headers['sec-fetch-site']);
  const reading = line.method === 'GET' || line.method === 'HEAD';
  if ((site !== undefined && site !== 'same-origin') || (!reading && !ownOrigin)) {
    throw new OrcError(
      'FORBIDDEN_ORIGIN',
      "the session cookie is accepted only from the daemon's own page (same origin)",
    );
  }
}

function first(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

/** `name:port`, `[v6]:port`, `name` → the name, lower case. */
export function hostName(host: string): string {
  const h = host.trim().toLowerCase();
  if (h.startsWith('[')) {
    const end = h.indexOf(']');
    return end < 0 ? h : h.slice(0, end + 1);
  }
  const colon = h.lastIndexOf(':');
  return colon < 0 ? h : h.slice(0, colon);
}

function isAllowedHost(host: string, opts: SecurityOptions): boolean {
  if (LOOPBACK_HOSTS.has(host) || host.endsWith('.localhost')) return true;
  if (opts.bindHost && host === opts.bindHost.toLowerCase()) return true;
  if (opts.bindHost && host === `[${opts.bindHost.toLowerCase()}]`) return true;
  return opts.allowHosts.some((h) => h.toLowerCase() === host);
}

/** Constant-time comparison (for equal lengths; the length itself is not a secret worth hiding). */
export function tokenMatches(header: string | undefined, token: string): boolean {
  if (!header) return false;
  const match = /^Bearer[ ]+(.+)$/i.exec(header.trim());
  if (!match?.[1]) return false;
  const given = Buffer.from(match[1]);
  const expected = Buffer.from(token);
  if (given.length !== expected.length) {
    // Still spend the same work so the timing does not tell "wrong length" from "wrong bytes".
    timingSafeEqual(expected, expected);
    return false;
  }
  return timingSafeEqual(given, expected);
}
