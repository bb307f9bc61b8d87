/**
 * The daemon can start any container, so it is a root door: only local, deliberate clients get in.
 * - Browsers are refused (an `Origin` header), so a web page cannot drive the API with the user's rights.
 * - On TCP, the `Host` must be loopback or the bind address (DNS rebinding), and a bearer token is
 *   required even on 127.0.0.1: other local users can reach a TCP port, unlike a 0600 socket.
 */
import { timingSafeEqual } from 'node:crypto';
import { OrcError } from '../contract/errors.js';

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
}

export interface RequestHeaders {
  origin?: string | string[];
  host?: string | string[];
  authorization?: string | string[];
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

/** Throws an OrcError when the request must be refused; returns when it may proceed. */
export function checkRequest(headers: RequestHeaders, opts: SecurityOptions): void {
  const origin = first(headers.origin);
  if (origin !== undefined && !opts.allowOrigins.includes(origin)) {
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
  if (!opts.token || !tokenMatches(first(headers.authorization), opts.token)) {
    throw new OrcError('UNAUTHORIZED', 'a valid "Authorization: Bearer <token>" header is required');
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
