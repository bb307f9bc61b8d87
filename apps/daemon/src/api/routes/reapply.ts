import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  errorResponses,
  OperationReplySchema,
  ProjectNameParams,
  ReapplyBodySchema,
  WaitQuery,
} from '../../contract/schemas.js';
import type { ApiContext } from '../context.js';
import { replyOperation } from '../operation-reply.js';
import { invalidProject, isLoadFailure } from './projects.js';

/** `POST /v1/projects/:name/up`: `up` of a kept project from its record, by name (the status page's Up / plan). */
export const reapplyRoutes: FastifyPluginAsyncTypebox<ApiContext> = async (app, { core }) => {
  app.post(
    '/projects/:name/up',
    {
      schema: {
        summary:
          'up of a kept project by name: its files re-read, the environment it was applied with; `dryRun` plans only',
        tags: ['projects'],
        params: ProjectNameParams,
        querystring: WaitQuery,
        body: ReapplyBodySchema,
        response: { 200: OperationReplySchema, 202: OperationReplySchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const result = await core.reapply(request.params.name, request.body);
      if (isLoadFailure(result)) throw invalidProject(result);
      await replyOperation(reply, result, request.query.wait);
    },
  );
};
