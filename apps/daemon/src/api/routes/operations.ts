import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { OrcError } from '../../contract/errors.js';
import {
  errorResponses,
  OperationIdParams,
  OperationRecordSchema,
  StreamQuery,
} from '../../contract/schemas.js';
import type { ApiContext } from '../context.js';
import { toErrorResponse } from '../errors.js';
import { openStream, pickFormat, sendStreamError } from '../stream.js';

export const operationRoutes: FastifyPluginAsyncTypebox<ApiContext> = async (app, { core, shutdown }) => {
  app.get(
    '/operations/:id',
    {
      schema: {
        summary: 'An operation (up, down, ...) and how it ended',
        tags: ['operations'],
        params: OperationIdParams,
        response: { 200: OperationRecordSchema, ...errorResponses },
      },
    },
    async (request) => {
      const record = core.getOperation(request.params.id);
      if (!record) throw new OrcError('OPERATION_NOT_FOUND', `no operation "${request.params.id}"`);
      return record;
    },
  );

  app.get(
    '/operations/:id/progress',
    {
      schema: {
        summary: 'Progress of an operation (past, then live) until it ends; NDJSON or SSE',
        description:
          'NDJSON lines `{"type":"progress","event":ProgressEvent}`, then one `{"type":"end","operation":OperationRecord}`. ' +
          'SSE: the same objects as `data:`, under `event: progress` and `event: end`.',
        tags: ['operations'],
        params: OperationIdParams,
        querystring: StreamQuery,
        produces: ['application/x-ndjson', 'text/event-stream'],
        response: { 404: errorResponses[404] },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      if (!core.getOperation(id)) throw new OrcError('OPERATION_NOT_FOUND', `no operation "${id}"`);
      const stream = openStream(reply, pickFormat(request, request.query), shutdown);
      try {
        for await (const event of core.operationProgress(id, stream.signal)) {
          await stream.send({ type: 'progress', event }, 'progress');
        }
        const record = core.getOperation(id);
        if (record && !stream.signal.aborted) {
          await stream.send({ type: 'end', operation: record }, 'end');
        }
      } catch (err) {
        if (!stream.signal.aborted) {
          const { body } = toErrorResponse(err);
          request.log.warn({ err }, 'progress stream failed');
          await sendStreamError(stream, body.code, body.message);
        }
      } finally {
        stream.end();
      }
    },
  );
};
