import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { OrcError } from '../../contract/errors.js';
import { errorResponses, LogsQuery, ProjectNameParams } from '../../contract/schemas.js';
import type { LogOptions } from '../../contract/types.js';
import type { ApiContext } from '../context.js';
import { toErrorResponse } from '../errors.js';
import { openStream, sendStreamError } from '../stream.js';

export const logRoutes: FastifyPluginAsyncTypebox<ApiContext> = async (app, { core, shutdown }) => {
  app.get(
    '/projects/:name/logs',
    {
      schema: {
        summary: "Containers' logs as NDJSON LogLine objects; `follow` keeps the stream open",
        tags: ['logs'],
        params: ProjectNameParams,
        querystring: LogsQuery,
        produces: ['application/x-ndjson'],
        response: { 400: errorResponses[400], 404: errorResponses[404], 503: errorResponses[503] },
      },
    },
    async (request, reply) => {
      const { name } = request.params;
      const { service, ...rest } = request.query;
      // Checked before the stream opens, so an unknown project is a plain 404, not an in-stream error.
      const project = await core.getProject({ name });
      if (!project) throw new OrcError('PROJECT_NOT_FOUND', `no project named "${name}"`);
      const known = new Set([
        ...project.services.map((s) => s.name),
        ...project.containers.map((c) => c.Service),
      ]);
      const unknown = (service ?? []).filter((s) => !known.has(s));
      if (unknown.length > 0) {
        throw new OrcError(
          'SERVICE_NOT_FOUND',
          `no service ${unknown.map((s) => `"${s}"`).join(', ')} in "${name}"`,
        );
      }
      const options: LogOptions = { ...rest, ...(service?.length ? { services: service } : {}) };
      const stream = openStream(reply, 'ndjson', shutdown, true);
      try {
        for await (const line of core.logs({ name }, options, stream.signal)) {
          await stream.send(line);
        }
      } catch (err) {
        if (!stream.signal.aborted) {
          const { body } = toErrorResponse(err);
          request.log.warn({ err }, 'log stream failed');
          await sendStreamError(stream, body.code, body.message);
        }
      } finally {
        stream.end();
      }
    },
  );
};
