import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { OrcError } from '../../contract/errors.js';
import { Type } from '../../contract/json-schema.js';
import {
  DownBodySchema,
  ErrorSchema,
  errorResponses,
  LookupBodySchema,
  OperationReplySchema,
  ProjectListQuery,
  ProjectNameParams,
  ProjectQuery,
  ProjectSummarySchema,
  PS_TABLE_TYPE,
  PsTableSchema,
  ScaleBodySchema,
  ServiceActionBodySchema,
  UpBodySchema,
  UpQuery,
  WaitQuery,
} from '../../contract/schemas.js';
import type { LoadFailure, ServiceAction, ServiceActionOptions } from '../../contract/types.js';
import type { ProjectTarget } from '../../verbs/types.js';
import { type ApiContext, toSource, toTarget } from '../context.js';
import { replyOperation, streamOperation } from '../operation-reply.js';
import { psTableOf } from '../ps-table.js';

const SERVICE_ACTIONS: ServiceAction[] = ['start', 'stop', 'restart', 'kill', 'pause', 'unpause', 'rm'];

const operationResponses = {
  200: OperationReplySchema,
  202: OperationReplySchema,
  ...errorResponses,
} as const;

/** The loader's located errors as a 422. */
export function invalidProject(failure: LoadFailure): OrcError {
  const first = failure.errors[0];
  const where = first?.file
    ? `${first.file}${first.line ? `:${first.line}${first.col ? `:${first.col}` : ''}` : ''}: `
    : '';
  const more = failure.errors.length > 1 ? ` (and ${failure.errors.length - 1} more)` : '';
  return new OrcError(
    'INVALID_PROJECT',
    `invalid compose project: ${where}${first?.message ?? 'unknown error'}${more}`,
    {
      errors: failure.errors,
      warnings: failure.warnings,
    },
  );
}

export function isLoadFailure(v: unknown): v is LoadFailure {
  return typeof v === 'object' && v !== null && (v as { code?: unknown }).code === 'INVALID_PROJECT';
}

export const projectRoutes: FastifyPluginAsyncTypebox<ApiContext> = async (app, { core, shutdown }) => {
  /**
   * Acting on services of a project the daemon neither keeps nor finds is a typo, not a no-op: 404.
   * (`down` stays a no-op, so `down -v` after `down` still removes the volumes.)
   */
  const mustExist = async (target: ProjectTarget) => {
    if (!('name' in target)) return;
    if (!(await core.getProject(target, { detail: false })))
      throw new OrcError('PROJECT_NOT_FOUND', `no project named "${target.name}"`);
  };

  app.get(
    '/projects',
    {
      schema: {
        summary: 'Projects the daemon keeps converged or finds on the engine',
        description:
          'Light by default: one engine list for all projects, no inspect per container. `detail=true` answers each project as `GET /v1/projects/{name}` does.',
        tags: ['projects'],
        querystring: ProjectListQuery,
        response: {
          200: Type.Object({ projects: Type.Array(ProjectSummarySchema) }),
          400: ErrorSchema,
          503: ErrorSchema,
        },
      },
    },
    async (request) => ({
      projects: await core.listProjects(request.query.detail ? { detail: true } : {}),
    }),
  );

  app.post(
    '/projects/lookup',
    {
      schema: {
        summary: "A project's name (and state) from its files, as the CLI in a project folder has them",
        description: `\`Accept: ${PS_TABLE_TYPE}\`: \`project\` is only what \`orc ps\`'s table shows of it (the same rows).`,
        tags: ['projects'],
        body: LookupBodySchema,
        response: {
          200: {
            content: {
              'application/json': {
                schema: Type.Object({ name: Type.String(), project: Type.Optional(ProjectSummarySchema) }),
              },
              [PS_TABLE_TYPE]: {
                schema: Type.Object({ name: Type.String(), project: Type.Optional(PsTableSchema) }),
              },
            },
          },
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const source = toSource(request.body.source);
      // Only the name is wanted: the load (kept while the files' bytes and the environment hold), no hashes.
      const loaded = await core.config(source, { hashes: false });
      if (isLoadFailure(loaded)) throw invalidProject(loaded);
      const name = projectNameOf(loaded.project);
      const project = await core.getProject(
        { name },
        request.body.detail === undefined ? {} : { detail: request.body.detail },
      );
      // As GET /projects/{name}: the table view for a client that names it, the summary for any other.
      if (!request.headers.accept?.includes(PS_TABLE_TYPE)) {
        reply.type('application/json; charset=utf-8');
        return project ? { name, project } : { name };
      }
      reply.type(PS_TABLE_TYPE);
      return project ? { name, project: psTableOf(project) } : { name };
    },
  );

  app.get(
    '/projects/:name',
    {
      schema: {
        summary: 'One project: services, containers, state, health, ports, restarts',
        description: `\`Accept: ${PS_TABLE_TYPE}\`: only what \`orc ps\`'s table shows of it (the same rows).`,
        tags: ['projects'],
        params: ProjectNameParams,
        querystring: ProjectQuery,
        response: {
          200: {
            content: {
              'application/json': { schema: ProjectSummarySchema },
              [PS_TABLE_TYPE]: { schema: PsTableSchema },
            },
          },
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const { name } = request.params;
      const { detail } = request.query;
      const project = await core.getProject({ name }, detail === undefined ? {} : { detail });
      if (!project) throw new OrcError('PROJECT_NOT_FOUND', `no project named "${name}"`);
      // A client that names the table view gets it; any other (scripts, an older CLI) the summary. The type
      // is set on both: fastify picks the reply's schema (its serializer) by it.
      if (!request.headers.accept?.includes(PS_TABLE_TYPE)) {
        reply.type('application/json; charset=utf-8');
        return project;
      }
      reply.type(PS_TABLE_TYPE);
      return psTableOf(project);
    },
  );

  app.post(
    '/projects',
    {
      schema: {
        summary: 'up: load the project from its source and converge the engine to it',
        description:
          '202 with the operation; `?wait=true`: when it ends; `?stream=true`: 200 with its progress streamed ' +
          '(NDJSON or SSE, as `GET /v1/operations/{id}/progress`, after an `accepted` item). A project that ' +
          'does not load answers 422 in every mode.',
        tags: ['projects'],
        querystring: UpQuery,
        body: UpBodySchema,
        produces: ['application/json', 'application/x-ndjson', 'text/event-stream'],
        response: operationResponses,
      },
    },
    async (request, reply) => {
      const result = await core.up(toSource(request.body.source), request.body.options ?? {});
      if (isLoadFailure(result)) throw invalidProject(result);
      const { stream, wait, format } = request.query;
      if (stream) await streamOperation(request, reply, result, core, shutdown, format);
      else await replyOperation(reply, result, wait);
    },
  );

  app.post(
    '/projects/:name/down',
    {
      schema: {
        summary: 'down: stop and remove containers and networks (volumes with `volumes: true`)',
        tags: ['projects'],
        params: ProjectNameParams,
        querystring: WaitQuery,
        body: DownBodySchema,
        response: operationResponses,
      },
    },
    async (request, reply) => {
      const { source, ...options } = request.body;
      const handle = await core.down(toTarget(request.params.name, source), options);
      await replyOperation(reply, handle, request.query.wait);
    },
  );

  for (const action of SERVICE_ACTIONS) {
    app.post(
      `/projects/:name/${action}`,
      {
        schema: {
          summary: `${action} the project's services (all, or those in \`services\`)`,
          tags: ['projects'],
          params: ProjectNameParams,
          querystring: WaitQuery,
          body: ServiceActionBodySchema,
          response: operationResponses,
        },
      },
      async (request, reply) => {
        const { source, ...options } = request.body;
        const target = toTarget(request.params.name, source);
        await mustExist(target);
        const handle = await core.serviceAction(target, action, options as ServiceActionOptions);
        await replyOperation(reply, handle, request.query.wait);
      },
    );
  }

  app.post(
    '/projects/:name/scale',
    {
      schema: {
        summary: 'Set the number of replicas of services',
        tags: ['projects'],
        params: ProjectNameParams,
        querystring: WaitQuery,
        body: ScaleBodySchema,
        response: operationResponses,
      },
    },
    async (request, reply) => {
      const handle = await core.scale(
        toTarget(request.params.name, request.body.source),
        request.body.replicas,
        request.body.dependencies ? { dependencies: true } : {},
      );
      await replyOperation(reply, handle, request.query.wait);
    },
  );
};

function projectNameOf(project: unknown): string {
  const name = (project as { name?: unknown } | null)?.name;
  if (typeof name !== 'string') throw new Error('the loaded project has no name');
  return name;
}
