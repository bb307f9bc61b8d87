import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { OrcError } from '../../contract/errors.js';
import { Type } from '../../contract/json-schema.js';
import {
  BuildBodySchema,
  ContainerImageSchema,
  ContainerStatsSchema,
  ContainerTopSchema,
  errorResponses,
  OperationReplySchema,
  ProjectNameParams,
  PullBodySchema,
  RunBodySchema,
  ServicesQuery,
  WaitQuery,
} from '../../contract/schemas.js';
import type { RunOptions } from '../../contract/types.js';
import { type ApiContext, toSource, toTarget } from '../context.js';
import { replyOperation } from '../operation-reply.js';
import { serveSession } from './exec.js';
import { invalidProject, isLoadFailure } from './projects.js';

const operationResponses = {
  200: OperationReplySchema,
  202: OperationReplySchema,
  ...errorResponses,
} as const;
const withName = (name: string) => (name === '-' ? undefined : name);

/** build, pull (long operations), top, images (read-only), run (one-off container). */
export const imageRoutes: FastifyPluginAsyncTypebox<ApiContext> = async (app, { core, shutdown }) => {
  app.post(
    '/projects/:name/build',
    {
      schema: {
        summary: 'build: build the images of the services with a `build:` section (each distinct build once)',
        tags: ['images'],
        params: ProjectNameParams,
        querystring: WaitQuery,
        body: BuildBodySchema,
        response: operationResponses,
      },
    },
    async (request, reply) => {
      const { source, ...options } = request.body;
      const handle = await core.build(toSource(source, withName(request.params.name)), options);
      if (isLoadFailure(handle)) throw invalidProject(handle);
      await replyOperation(reply, handle, request.query.wait);
    },
  );

  app.post(
    '/projects/:name/pull',
    {
      schema: {
        summary: 'pull: pull the services’ images (build-only images are skipped)',
        tags: ['images'],
        params: ProjectNameParams,
        querystring: WaitQuery,
        body: PullBodySchema,
        response: operationResponses,
      },
    },
    async (request, reply) => {
      const { source, ...options } = request.body;
      const handle = await core.pull(toSource(source, withName(request.params.name)), options);
      if (isLoadFailure(handle)) throw invalidProject(handle);
      await replyOperation(reply, handle, request.query.wait);
    },
  );

  app.get(
    '/projects/:name/top',
    {
      schema: {
        summary: 'top: the processes of each running service container',
        tags: ['images'],
        params: ProjectNameParams,
        querystring: ServicesQuery,
        response: { 200: Type.Object({ containers: Type.Array(ContainerTopSchema) }), ...errorResponses },
      },
    },
    async (request) => ({
      containers: await core.top(toTarget(request.params.name, undefined), request.query.service),
    }),
  );

  app.get(
    '/projects/:name/export',
    {
      schema: {
        summary: "export: a service container's filesystem as a tar archive (application/x-tar)",
        tags: ['images'],
        params: ProjectNameParams,
        querystring: Type.Object(
          {
            service: Type.String(),
            index: Type.Optional(Type.Integer({ minimum: 1, description: 'Container number (default 1)' })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Unknown({ description: 'The tar stream' }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const { container, tar } = await core.exportContainer(
        toTarget(request.params.name, undefined),
        request.query.service,
        request.query.index,
      );
      return reply
        .type('application/x-tar')
        .header('content-disposition', `attachment; filename="${container}.tar"`)
        .send(tar);
    },
  );

  app.get(
    '/projects/:name/stats',
    {
      schema: {
        summary: 'stats: one resource sample (CPU, memory, network, block I/O, pids) per service container',
        tags: ['images'],
        params: ProjectNameParams,
        querystring: Type.Object(
          {
            service: Type.Optional(Type.Array(Type.String(), { description: 'Limit to these services' })),
            all: Type.Optional(Type.Boolean({ description: 'Stopped containers too (zeros)' })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ containers: Type.Array(ContainerStatsSchema) }), ...errorResponses },
      },
    },
    async (request) => ({
      containers: await core.stats(
        toTarget(request.params.name, undefined),
        request.query.service,
        request.query.all ?? false,
      ),
    }),
  );

  app.get(
    '/projects/:name/images',
    {
      schema: {
        summary: 'images: the image (reference, id, size) of each service container',
        tags: ['images'],
        params: ProjectNameParams,
        querystring: ServicesQuery,
        response: { 200: Type.Object({ images: Type.Array(ContainerImageSchema) }), ...errorResponses },
      },
    },
    async (request) => ({
      images: await core.images(toTarget(request.params.name, undefined), request.query.service),
    }),
  );

  app.post(
    '/projects/:name/run',
    {
      schema: {
        summary: 'run: a one-off container of a service (`detach`: answers its name; else `Upgrade: tcp`)',
        description:
          'Without `detach`, send `Connection: Upgrade` and `Upgrade: tcp`: on 101 the socket carries the ' +
          'same frames as exec (1 stdout, 2 stderr, 3 exit {exitCode}, 4 error; 0/5/6 from the client).',
        tags: ['exec'],
        params: ProjectNameParams,
        body: RunBodySchema,
        response: { 200: Type.Object({ container: Type.String() }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const { source, rows, cols, ...options } = request.body;
      const attached = !options.detach;
      // Checked before anything is created: a refused upgrade must leave no container behind.
      if (attached && String(request.headers.upgrade ?? '').toLowerCase() !== 'tcp') {
        throw new OrcError(
          'BAD_REQUEST',
          'an attached run needs "Connection: Upgrade" and "Upgrade: tcp" headers (or detach: true)',
        );
      }
      const result = await core.run(toSource(source, withName(request.params.name)), options as RunOptions);
      if (isLoadFailure(result)) throw invalidProject(result);
      if (!('stream' in result)) return { container: result.container };
      if (rows && cols && result.tty) await result.resize(rows, cols).catch(() => undefined);
      serveSession(request, reply, result, shutdown);
      // A client that leaves before the exit frame (Ctrl-C) takes its one-off with it; after it, a no-op.
      request.raw.socket.once('close', () => {
        result
          .abandon()
          .catch((err: unknown) => request.log.warn({ err }, 'stopping an abandoned run failed'));
      });
      return reply;
    },
  );
};
