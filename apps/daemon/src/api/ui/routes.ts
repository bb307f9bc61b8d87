/**
 * The status page (`orc daemon --ui`, docs/ui.md): its built files at `/`, and the session routes under
 * `/v1/ui`. Registered only with `--ui`, only on a TCP listener; without them, `/` and `/v1/ui/*` are 404.
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifySchema } from 'fastify';
import { OrcError } from '../../contract/errors.js';
import { ErrorSchema, UiLoginBodySchema, UiSessionReplySchema } from '../../contract/schemas.js';
import type { Assets } from './assets.js';
import { type SessionStore, sessionCookie, sessionIdFrom } from './sessions.js';

/** Only this page's own files, no inline script, no other host: a script injected into a name can't run. */
const PAGE_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
    "font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

/** A wrong token costs the caller this long: guessing stays slow even on loopback. */
const FAILED_LOGIN_DELAY_MS = 300;

/** `/`, `/assets/*`: the built page, registered path by path (hidden from the OpenAPI document). */
export function registerPage(app: FastifyInstance, assets: Assets): void {
  for (const [url, asset] of assets) {
    app.get(url, { schema: { hide: true } as FastifySchema }, async (_request, reply) => {
      reply.headers(PAGE_HEADERS);
      reply.header('content-type', asset.type);
      reply.header('cache-control', asset.immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
      return reply.send(asset.body);
    });
  }
}

export interface UiRouteOptions {
  sessions: SessionStore;
  token: string;
}

/** Under `/v1`: `POST /ui/login`, `POST /ui/logout`, `GET /ui/session`. */
export const uiSessionRoutes: FastifyPluginAsyncTypebox<UiRouteOptions> = async (
  app,
  { sessions, token },
) => {
  app.post(
    '/ui/login',
    {
      schema: {
        summary:
          'Status page login: exchange the token for an HttpOnly, SameSite=Strict session cookie (8 h)',
        tags: ['ui'],
        body: UiLoginBodySchema,
        response: { 200: UiSessionReplySchema, 401: ErrorSchema, 403: ErrorSchema },
      },
    },
    async (request, reply) => {
      if (!sameToken(request.body.token, token)) {
        await new Promise((r) => setTimeout(r, FAILED_LOGIN_DELAY_MS));
        throw new OrcError('UNAUTHORIZED', 'wrong token');
      }
      sessions.remove(sessionIdFrom(request.headers.cookie));
      const session = sessions.create();
      reply.header('set-cookie', sessionCookie(session, sessions.ttlMs));
      reply.header('cache-control', 'no-store');
      return { expiresAt: new Date(session.expiresAt).toISOString() };
    },
  );

  app.post(
    '/ui/logout',
    {
      schema: {
        summary: 'Status page logout: the session ends and its cookie is cleared',
        tags: ['ui'],
        response: { 204: { type: 'null' }, 401: ErrorSchema, 403: ErrorSchema },
      },
    },
    async (request, reply) => {
      sessions.remove(sessionIdFrom(request.headers.cookie));
      reply.header('set-cookie', sessionCookie(undefined, sessions.ttlMs));
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/ui/session',
    {
      schema: {
        summary: "The caller's status page session (401 when logged out or expired)",
        tags: ['ui'],
        response: { 200: UiSessionReplySchema, 401: ErrorSchema },
      },
    },
    async (request) => {
      const session = sessions.get(sessionIdFrom(request.headers.cookie));
      if (!session) throw new OrcError('UNAUTHORIZED', 'no session: log in with the token');
      return { expiresAt: new Date(session.expiresAt).toISOString() };
    },
  );
};

function sameToken(given: string, token: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  if (a.length !== b.length) {
    timingSafeEqual(b, b);
    return false;
  }
  return timingSafeEqual(a, b);
}
