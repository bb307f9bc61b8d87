import { describe, expect, it } from 'vitest';
import { createSessions, SESSION_TTL_MS, sessionCookie, sessionIdFrom } from './sessions.js';

describe('ui sessions', () => {
  it('creates random ids that expire after the ttl', () => {
    let t = 1_000;
    const store = createSessions({ ttlMs: 100, now: () => t });
    const a = store.create();
    const b = store.create();
    expect(a.id).not.toBe(b.id);
    expect(a.id.length).toBeGreaterThanOrEqual(40);
    expect(store.get(a.id)?.id).toBe(a.id);
    t += 99;
    expect(store.get(a.id)).toBeDefined();
    t += 1;
    expect(store.get(a.id)).toBeUndefined();
    expect(store.get('nope')).toBeUndefined();
    expect(store.get(undefined)).toBeUndefined();
  });
  it('forgets a session on logout', () => {
    const store = createSessions();
    const s = store.create();
    store.remove(s.id);
    expect(store.get(s.id)).toBeUndefined();
  });
  it('reads the cookie among others and writes HttpOnly, SameSite=Strict, Path=/ with an expiry', () => {
    expect(sessionIdFrom('a=1; orc_session=abc; b=2')).toBe('abc');
    expect(sessionIdFrom('orc_sessionx=abc')).toBeUndefined();
    expect(sessionIdFrom(undefined)).toBeUndefined();
    const set = sessionCookie({ id: 'xyz', expiresAt: 0 }, SESSION_TTL_MS);
    expect(set).toBe('orc_session=xyz; HttpOnly; SameSite=Strict; Path=/; Max-Age=28800');
    expect(sessionCookie(undefined, SESSION_TTL_MS)).toContain('Max-Age=0');
  });
});
