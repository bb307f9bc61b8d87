import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorResponses, HealthReplySchema } from '../../contract/schemas.js';
import type { ApiContext } from '../context.js';

export const healthRoutes: FastifyPluginAsyncTypebox<ApiContext> = async (app, ctx) => {
  app.get(
    '/health',
    {
      schema: {
        summary: 'Ready, and which engine the daemon talks to',
        tags: ['daemon'],
        response: { 200: HealthReplySchema, 503: errorResponses[503] },
      },
    },
    async () => {
      const engine = await ctx.core.health();
      return {
        status: 'ok' as const,
        version: ctx.version,
        engine: { version: engine.engineVersion, apiVersion: engine.engineApiVersion },
      };
    },
  );
};
