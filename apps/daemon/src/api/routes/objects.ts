import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '../../contract/json-schema.js';
import {
  CommitBodySchema,
  CommitReplySchema,
  ProjectVolumeSchema,
  PushBodySchema,
} from '../../contract/objects.js';
import {
  errorResponses,
  OperationReplySchema,
  ProjectNameParams,
  WaitQuery,
} from '../../contract/schemas.js';
import { type ApiContext, toSource, toTarget } from '../context.js';
import { replyOperation } from '../operation-reply.js';
import { invalidProject, isLoadFailure } from './projects.js';

/** volumes (read-only), commit (a service container to an image) and push (a long operation). */
export const objectRoutes: FastifyPluginAsyncTypebox<ApiContext> = async (app, { core }) => {
  app.get(
    '/projects/:name/volumes',
    {
      schema: {
        summary: 'volumes: the volumes that carry the project’s label',
        tags: ['images'],
        params: ProjectNameParams,
        response: { 200: Type.Object({ volumes: Type.Array(ProjectVolumeSchema) }), ...errorResponses },
      },
    },
    async (request) => ({ volumes: await core.volumes(toTarget(request.params.name, undefined)) }),
  );

  app.post(
    '/projects/:name/commit',
    {
      schema: {
        summary: "commit: a service container's changes as a new image (the engine's POST /commit)",
        tags: ['images'],
        params: ProjectNameParams,
        body: CommitBodySchema,
        response: { 200: CommitReplySchema, ...errorResponses },
      },
    },
    async (request) => core.commit(toTarget(request.params.name, undefined), request.body),
  );

  app.post(
    '/projects/:name/push',
    {
      schema: {
        summary: 'push: push the images of the services with both `build:` and `image:` (the others skipped)',
        tags: ['images'],
        params: ProjectNameParams,
        querystring: WaitQuery,
        body: PushBodySchema,
        response: { 200: OperationReplySchema, 202: OperationReplySchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { source, ...options } = request.body;
      const name = request.params.name === '-' ? undefined : request.params.name;
      const handle = await core.push(toSource(source, name), options);
      if (isLoadFailure(handle)) throw invalidProject(handle);
      await replyOperation(reply, handle, request.query.wait);
    },
  );
};
