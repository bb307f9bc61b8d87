/**
 * The HTTP server: security checks, error shape, request logging and the resource plugins under `/v1`.
 * Listening (socket or TCP) is the caller's job (see listen.ts), so tests can use `inject`.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { OrcError } from '../contract/errors.js';
import type { ApiContext } from './context.js';
import { toErrorResponse } from './errors.js';
import { lazyCompilers } from './lazy-compilers.js';
import { buildOpenApi, type CollectedRoute } from './openapi.js';
import { archiveRoutes } from './routes/archive.js';
import { configRoutes } from './routes/config.js';
import { eventRoutes } from './routes/events.js';
import { execRoutes } from './routes/exec.js';
import { healthRoutes } from './routes/health.js';
import { imageRoutes } from './routes/images.js';
import { logRoutes } from './routes/logs.js';
import { objectRoutes } from './routes/objects.js';
import { operationRoutes } from './routes/operations.js';
import { projectRoutes } from './routes/projects.js';
import { reapplyRoutes } from './routes/reapply.js';
import { watchRoutes } from './routes/watch.js';
import { checkRequest, type SecurityOptions } from './security.js';
import type { Assets } from './ui/assets.js';
import { registerPage, uiSessionRoutes } from './ui/routes.js';
import type { SessionStore } from './ui/sessions.js';

const BOOLEAN_QUERY_FLAGS = ['wait', 'follow', 'timestamps'];

export interface ServerOptions extends ApiContext {
  security: SecurityOptions;
  logger?: FastifyBaseLogger;
  /** Compose text sent inline can be large; the loader has its own limits under this one. */
  bodyLimitBytes?: number;
  /** `--ui` on this (TCP) listener: the page's files and its sessions; `security.ui` must be set too. */
  ui?: { assets: Assets; sessions: SessionStore };
}

export async function buildServer(opts: ServerOptions): Promise<FastifyInstance> {
  const app = Fastify({
    ...(opts.logger ? { loggerInstance: opts.logger } : { logger: false }),
    bodyLimit: opts.bodyLimitBytes ?? 8 * 1024 * 1024,
    // Unknown fields are a 400 (a typo is reported), not silently dropped.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true } },
    // Streams (events, followed logs) are ended by the shutdown signal; idle keep-alives are closed here.
    forceCloseConnections: 'idle',
    // Each route's validator and serializer is compiled on its first request, not all at ready().
    schemaController: { compilersFactory: lazyCompilers() },
  }).withTypeProvider<TypeBoxTypeProvider>();

  const routes: CollectedRoute[] = [];
  app.addHook('onRoute', (route) => {
    if (!route.schema || (route.schema as { hide?: boolean }).hide) return;
    for (const method of [route.method].flat()) routes.push({ method, url: route.url, schema: route.schema });
  });

  app.addHook('onRequest', async (request) => {
    checkRequest(request.headers, opts.security, { method: request.method, url: request.url });
  });

  // Scripts write `?wait=1`; ajv only coerces `true`/`false`, so the boolean query flags are mapped first.
  app.addHook('preValidation', async (request) => {
    // `curl -X POST .../stop` with no body means "no options".
    if (request.method === 'POST' && request.body === undefined) request.body = {};
    const query = request.query as Record<string, unknown> | undefined;
    if (!query) return;
    for (const key of BOOLEAN_QUERY_FLAGS) {
      if (query[key] === '1' || query[key] === '') query[key] = 'true';
      else if (query[key] === '0') query[key] = 'false';
    }
  });

  app.setErrorHandler((err, request, reply) => {
    if (isValidationError(err)) {
      return reply.status(400).send({
        code: 'BAD_REQUEST',
        message: `invalid request: ${err.message}`,
        details: err.validation.map((v) => ({
          path: v.instancePath || undefined,
          message: v.message,
          params: v.params,
        })),
      });
    }
    const { status, body, internal } = toErrorResponse(err);
    if (internal) request.log.error({ err }, 'request failed');
    else request.log.info({ code: body.code, status }, 'request refused');
    return reply.status(status).send(body);
  });

  app.setNotFoundHandler((request, reply) => {
    const body = new OrcError('NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}`);
    return reply.status(404).send({ code: body.code, message: body.message });
  });

  const ctx: ApiContext = {
    core: opts.core,
    shutdown: opts.shutdown,
    version: opts.version,
    ...(opts.renderYaml ? { renderYaml: opts.renderYaml } : {}),
  };
  await app.register(
    async (v1) => {
      await v1.register(healthRoutes, ctx);
      await v1.register(projectRoutes, ctx);
      await v1.register(configRoutes, ctx);
      await v1.register(operationRoutes, ctx);
      await v1.register(logRoutes, ctx);
      await v1.register(eventRoutes, ctx);
      await v1.register(execRoutes, ctx);
      await v1.register(imageRoutes, ctx);
      await v1.register(objectRoutes, ctx);
      await v1.register(archiveRoutes, ctx);
      await v1.register(watchRoutes, ctx);
      await v1.register(reapplyRoutes, ctx);
      if (opts.ui && opts.security.token) {
        await v1.register(uiSessionRoutes, { sessions: opts.ui.sessions, token: opts.security.token });
      }
      v1.get('/openapi.json', async () => buildOpenApi(routes, opts.version));
    },
    { prefix: '/v1' },
  );
  if (opts.ui) registerPage(app, opts.ui.assets);
  await app.ready();
  return app;
}

interface ValidationError {
  message: string;
  validation: Array<{ instancePath: string; message?: string; params: unknown }>;
}

function isValidationError(err: unknown): err is ValidationError {
  return (
    typeof err === 'object' && err !== null && Array.isArray((err as { validation?: unknown }).validation)
  );
}
