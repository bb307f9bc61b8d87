import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { OrcError } from '../../contract/errors.js';
import { Type } from '../../contract/json-schema.js';
import { ConfigBodySchema, ConfigQuery, errorResponses } from '../../contract/schemas.js';
import { type ApiContext, toSource } from '../context.js';
import { invalidProject, isLoadFailure } from './projects.js';

export const configRoutes: FastifyPluginAsyncTypebox<ApiContext> = async (app, ctx) => {
  app.post(
    '/config',
    {
      schema: {
        summary: 'config: the normalised project (JSON), or rendered as compose YAML',
        description:
          'Like `docker compose config`, values are shown interpolated with the environment the client sent. ' +
          'The `env` map itself is returned only when `environment: true` asks for it (`config --environment`); secret/config contents are left out.',
        tags: ['projects'],
        querystring: ConfigQuery,
        body: ConfigBodySchema,
        response: {
          200: Type.Union([
            Type.Object({
              project: Type.Unknown(),
              warnings: Type.Array(Type.Unknown()),
              hashes: Type.Optional(
                Type.Record(Type.String(), Type.String(), {
                  description:
                    'Service → config hash (`com.docker.compose.config-hash`), as `config --hash` prints',
                }),
              ),
              variables: Type.Optional(
                Type.Array(Type.Unknown(), {
                  description:
                    'Variables used or declared (`variables:`, `--var`), with the resolved value and its source, as `config --variables` prints',
                }),
              ),
              environment: Type.Optional(
                Type.Record(Type.String(), Type.String(), {
                  description:
                    'Only with `environment: true`: the environment the files were interpolated with',
                }),
              ),
            }),
            Type.String({ description: 'compose YAML (format=yaml)' }),
          ]),
          ...errorResponses,
          501: errorResponses[500],
        },
      },
    },
    async (request, reply) => {
      const format = request.query.format ?? request.body.format ?? 'json';
      const loaded = await ctx.core.config(toSource(request.body.source), {
        ...(request.body.consistency === false ? { consistency: false } : {}),
        ...(request.body.services?.length ? { services: request.body.services } : {}),
        ...(request.body.environment ? { environment: true } : {}),
      });
      if (isLoadFailure(loaded)) throw invalidProject(loaded);
      const project = withoutSecretContents(loaded.project);
      if (format === 'json')
        return {
          project,
          warnings: loaded.warnings,
          ...(loaded.hashes ? { hashes: loaded.hashes } : {}),
          ...(loaded.variables ? { variables: loaded.variables } : {}),
          ...(loaded.environment ? { environment: loaded.environment } : {}),
        };
      if (!ctx.renderYaml)
        throw new OrcError('NOT_IMPLEMENTED', 'YAML rendering is not available in this build');
      await reply.type('text/yaml; charset=utf-8').send(ctx.renderYaml(project));
    },
  );
};

/**
 * Secrets and configs may carry their value (`content`, or `environment_value` read from `environment:`): the client asked
 * for the model, not for the secret values, which must not travel through API responses.
 */
export function withoutSecretContents(project: unknown): unknown {
  if (typeof project !== 'object' || project === null) return project;
  const copy: Record<string, unknown> = { ...(project as Record<string, unknown>) };
  for (const key of ['secrets', 'configs']) {
    const entries = copy[key];
    if (typeof entries !== 'object' || entries === null) continue;
    copy[key] = Object.fromEntries(
      Object.entries(entries as Record<string, unknown>).map(([name, def]) => {
        if (typeof def !== 'object' || def === null) return [name, def];
        // `environment_value` (the variable's value, read at load) is not compose's model: never sent.
        const { content, environment_value: _value, ...rest } = def as Record<string, unknown>;
        return [name, key === 'secrets' || content === undefined ? rest : { ...rest, content }];
      }),
    );
  }
  return copy;
}
