import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import { CommitBodySchema, CommitReplySchema, ProjectVolumeSchema } from '../../contract/objects.js';
import { errorResponses, ProjectNameParams } from '../../contract/schemas.js';
import { type ApiContext, toTarget } from '../context.js';

/** volumes (read-only) and commit (a service container to an image). */
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
};
