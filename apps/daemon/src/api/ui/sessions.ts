/**
 * Browser sessions of the status page (`--ui`): the token is exchanged once, at login, for a random
 * session id kept in an HttpOnly cookie. Sessions live in memory only (a daemon restart logs everyone
 * out) and expire a fixed time after login; the oldest go first when there are too many.
 */
import { randomBytes } from 'node:crypto';

export const SESSION_COOKIE = 'orc_session';
/** Eight hours: a working day, after which the token is asked again. */
export const SESSION_TTL_MS = 8 * 60 * 60 * 1000;
const MAX_SESSIONS = 1000;

export interface Session {
  id: string;
  expiresAt: number;
}

export interface SessionStore {
  readonly ttlMs: number;
  create(): Session;
  /** The live session of that id, or undefined (unknown or expired; an expired one is dropped). */
  get(id: string | undefined): Session | undefined;
  remove(id: string | undefined): void;
}

export function createSessions(opts: { ttlMs?: number; now?: () => number } = {}): SessionStore {
  const ttlMs = opts.ttlMs ?? SESSION_TTL_MS;
  const now = opts.now ?? Date.now;
  const sessions = new Map<string, Session>();
  return {
    ttlMs,
    create() {
      for (const [id, s] of sessions) if (s.expiresAt <= now()) sessions.delete(id);
      while (sessions.size >= MAX_SESSIONS) {
        const oldest = sessions.keys().next().value;
        if (oldest === undefined) break;
        sessions.delete(oldest);
      }
      const session = { id: randomBytes(32).toString('base64url'), expiresAt: now() + ttlMs };
      sessions.set(session.id, session);
      return session;
    },
    get(id) {
      if (!id) return undefined;
      const s = sessions.get(id);
      if (!s) return undefined;
      if (s.expiresAt <= now()) {
        sessions.delete(id);
        return undefined;
      }
      return s;
    },
    remove(id) {
      if (id) sessions.delete(id);
    },
  };
}

/** The session id from a `Cookie` header, if any. */
export function sessionIdFrom(cookieHeader: string | undefined): string | undefined {
  if (!cookieHeader) return undefined;
  for (const part of cookieHeader.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === SESSION_COOKIE) return part.slice(eq + 1).trim() || undefined;
  }
  return undefined;
}

/** `Set-Cookie` for a new session, or (without one) the header that clears it. */
export function sessionCookie(session: Session | undefined, ttlMs: number): string {
  const base = `${SESSION_COOKIE}=${session?.id ?? ''}; HttpOnly; SameSite=Strict; Path=/`;
  return session ? `${base}; Max-Age=${Math.floor(ttlMs / 1000)}` : `${base}; Max-Age=0`;
}
