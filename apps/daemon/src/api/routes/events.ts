import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { EventsQuery, errorResponses } from '../../contract/schemas.js';
import type { ApiContext } from '../context.js';
import { toErrorResponse } from '../errors.js';
import { openStream, pickFormat, sendStreamError } from '../stream.js';

export const eventRoutes: FastifyPluginAsyncTypebox<ApiContext> = async (app, { core, shutdown }) => {
  app.get(
    '/events',
    {
      schema: {
        summary: 'Live daemon events (lifecycle, health, restarts, repairs, operations); NDJSON or SSE',
        tags: ['events'],
        querystring: EventsQuery,
        produces: ['application/x-ndjson', 'text/event-stream'],
        response: { 400: errorResponses[400] },
      },
    },
    async (request, reply) => {
      const { project } = request.query;
      const stream = openStream(reply, pickFormat(request, request.query), shutdown);
      try {
        for await (const event of core.events(project ? { project } : {}, stream.signal)) {
          await stream.send(event, event.type);
        }
      } catch (err) {
        if (!stream.signal.aborted) {
          const { body } = toErrorResponse(err);
          request.log.warn({ err }, 'event stream failed');
          await sendStreamError(stream, body.code, body.message);
        }
      } finally {
        stream.end();
      }
    },
  );
};
