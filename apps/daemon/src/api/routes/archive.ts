import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '../../contract/json-schema.js';
import { errorResponses, ProjectNameParams } from '../../contract/schemas.js';
import { type ApiContext, toTarget } from '../context.js';

const PathQuery = {
  service: Type.String(),
  index: Type.Optional(Type.Integer({ minimum: 1, description: 'Container number (default 1)' })),
  path: Type.String({ minLength: 1, description: 'Absolute path in the container' }),
};

const PathStatSchema = Type.Object({
  name: Type.String(),
  size: Type.Number(),
  mode: Type.Number({
    description: "Go's os.FileMode: permission bits plus type bits (1<<31 dir, 1<<27 symlink)",
  }),
  mtime: Type.String(),
  linkTarget: Type.String(),
});

/** `cp`: a service container's files as tar, both ways (the engine's `…/archive`), streamed. */
export const archiveRoutes: FastifyPluginAsyncTypebox<ApiContext> = async (app, { core }) => {
  // A tar body is handed on as the raw request stream: not parsed, not buffered (so bodyLimit, which only
  // bounds what Fastify reads itself, does not cap it). Scoped to this plugin.
  app.addContentTypeParser(['application/x-tar', 'application/tar'], (_request, payload, done) =>
    done(null, payload),
  );

  app.get(
    '/projects/:name/archive/stat',
    {
      schema: {
        summary: 'cp: whether a path exists in a service container, and its stat (file, directory, link)',
        tags: ['images'],
        params: ProjectNameParams,
        querystring: Type.Object(PathQuery, { additionalProperties: false }),
        response: {
          200: Type.Object({
            container: Type.String(),
            exists: Type.Boolean(),
            stat: Type.Optional(PathStatSchema),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const q = request.query;
      const { container, stat } = await core.statPath(
        toTarget(request.params.name, undefined),
        q.service,
        q.index ?? 1,
        q.path,
      );
      return { container, exists: stat !== undefined, ...(stat ? { stat } : {}) };
    },
  );

  app.get(
    '/projects/:name/archive',
    {
      schema: {
        summary:
          'cp out: a path (file or directory) of a service container as a tar archive (application/x-tar)',
        tags: ['images'],
        params: ProjectNameParams,
        querystring: Type.Object(
          {
            ...PathQuery,
            follow: Type.Optional(
              Type.Boolean({ description: 'A symlink: archive its target (docker cp -L)' }),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Unknown({ description: 'The tar stream' }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const q = request.query;
      const { stat, tar } = await core.getArchive(
        toTarget(request.params.name, undefined),
        q.service,
        q.index ?? 1,
        q.path,
        q.follow ?? false,
      );
      return reply
        .type('application/x-tar')
        .header('x-docker-container-path-stat', Buffer.from(JSON.stringify(stat)).toString('base64'))
        .send(tar);
    },
  );

  app.put(
    '/projects/:name/archive',
    {
      schema: {
        summary: 'cp in: unpacks the tar body (application/x-tar) into a directory of a service container',
        tags: ['images'],
        params: ProjectNameParams,
        querystring: Type.Object(
          {
            ...PathQuery,
            all: Type.Optional(
              Type.Boolean({ description: 'Every replica of the service (index is ignored)' }),
            ),
            copyUIDGID: Type.Optional(
              Type.Boolean({ description: 'Keep the headers’ uid/gid (docker cp -a)' }),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ containers: Type.Array(Type.String()) }), ...errorResponses },
      },
    },
    async (request) => {
      const q = request.query;
      const body = request.body as NodeJS.ReadableStream;
      return core.putArchive(
        toTarget(request.params.name, undefined),
        q.service,
        { index: q.index ?? 1, all: q.all ?? false },
        q.path,
        body,
        q.copyUIDGID ?? false,
      );
    },
  );
};
