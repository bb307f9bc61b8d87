import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '../../contract/json-schema.js';
import {
  errorResponses,
  ProjectNameParams,
  ProjectSourceSchema,
  WatchBodySchema,
  WatchInfoSchema,
} from '../../contract/schemas.js';
import { type ApiContext, toSource, toTarget } from '../context.js';
import { openStream } from '../stream.js';

/**
 * `orc watch` / `up --watch`. Detached: the daemon keeps watching (recorded, resumed after a restart) and
 * the reply is the watch. Otherwise the reply is an NDJSON stream of the project's watch events, and the
 * watch ends when the client closes it (Ctrl-C, a gone CLI).
 */
export const watchRoutes: FastifyPluginAsyncTypebox<ApiContext> = async (app, { core, shutdown }) => {
  app.post(
    '/projects/watch',
    {
      schema: {
        summary: 'Watch the files of the services’ develop.watch rules (sync, restart, exec, rebuild)',
        tags: ['projects'],
        body: WatchBodySchema,
        produces: ['application/json', 'application/x-ndjson'],
        response: {
          200: Type.Intersect([Type.Object({ project: Type.String() }), WatchInfoSchema]),
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const { source, services, detach } = request.body;
      const opts = { ...(services?.length ? { services } : {}), detach: detach ?? false };
      if (opts.detach) return core.watch(toSource(source), opts);
      // Subscribed before the watch starts: its `started` event and the initial sync are streamed too.
      const early = new AbortController();
      const events = core.events({}, early.signal)[Symbol.asyncIterator]();
      let info: Awaited<ReturnType<typeof core.watch>>;
      try {
        info = await core.watch(toSource(source), opts);
      } catch (err) {
        early.abort();
        throw err;
      }
      const stream = openStream(reply, 'ndjson', shutdown, true);
      stream.signal.addEventListener('abort', () => early.abort(), { once: true });
      try {
        for (;;) {
          const next = await events.next();
          if (next.done) break;
          const e = next.value;
          if (e.project === info.project && e.type === 'watch') await stream.send(e);
        }
      } catch {
        // the client went away, or the daemon shuts down
      } finally {
        early.abort();
        stream.end();
        await core.releaseWatch(info.project, info.since);
      }
    },
  );

  app.post(
    '/projects/:name/watch/stop',
    {
      schema: {
        summary: 'End the project’s watch (`orc watch --stop`)',
        tags: ['projects'],
        params: ProjectNameParams,
        body: Type.Object({ source: Type.Optional(ProjectSourceSchema) }),
        response: {
          200: Type.Object({ project: Type.String(), stopped: Type.Boolean() }),
          ...errorResponses,
        },
      },
    },
    async (request) => core.stopWatch(toTarget(request.params.name, request.body.source)),
  );
};
