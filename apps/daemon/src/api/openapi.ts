/**
 * Builds `/v1/openapi.json` from the schemas the routes were registered with (fastify's `onRoute`), so the
 * document cannot drift from what the server validates. A few dozen lines instead of a dependency.
 */
import type { RouteOptions } from 'fastify';

export interface CollectedRoute {
  method: string;
  url: string;
  schema: NonNullable<RouteOptions['schema']>;
}

type JsonSchema = Record<string, unknown>;

/** Drops TypeBox's symbol keys and anything JSON cannot carry. */
function plain(schema: unknown): JsonSchema {
  return JSON.parse(JSON.stringify(schema ?? {})) as JsonSchema;
}

function parametersOf(schema: unknown, where: 'path' | 'query'): JsonSchema[] {
  const s = plain(schema);
  const props = (s.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((s.required ?? []) as string[]);
  return Object.entries(props).map(([name, prop]) => ({
    name,
    in: where,
    required: where === 'path' || required.has(name),
    ...(typeof prop.description === 'string' ? { description: prop.description } : {}),
    schema: prop,
    ...(prop.type === 'array' ? { style: 'form', explode: true } : {}),
  }));
}

export function buildOpenApi(routes: CollectedRoute[], version: string): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const route of routes) {
    if (route.method === 'HEAD') continue;
    const path = route.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    const schema = route.schema as Record<string, unknown>;
    const operation: JsonSchema = {};
    if (typeof schema.summary === 'string') operation.summary = schema.summary;
    if (typeof schema.description === 'string') operation.description = schema.description;
    if (Array.isArray(schema.tags)) operation.tags = schema.tags;
    const parameters = [...parametersOf(schema.params, 'path'), ...parametersOf(schema.querystring, 'query')];
    if (parameters.length) operation.parameters = parameters;
    if (schema.body) {
      operation.requestBody = {
        required: true,
        content: { 'application/json': { schema: plain(schema.body) } },
      };
    }
    const responses: Record<string, JsonSchema> = {};
    for (const [status, body] of Object.entries((schema.response ?? {}) as Record<string, unknown>)) {
      const reply = plain(body);
      // fastify's form for one status answered in more than one media type: `{ content: { type: { schema } } }`.
      const byType = reply.content as Record<string, { schema: unknown }> | undefined;
      const description = (reply.description as string | undefined) ?? `HTTP ${status}`;
      responses[status] = {
        description,
        content: byType
          ? Object.fromEntries(Object.entries(byType).map(([type, c]) => [type, { schema: plain(c.schema) }]))
          : { 'application/json': { schema: reply } },
      };
    }
    const produces = (schema as { produces?: string[] }).produces;
    if (produces && !responses['200']) {
      responses['200'] = {
        description: 'stream',
        content: Object.fromEntries(produces.map((type) => [type, { schema: { type: 'string' } }])),
      };
    }
    operation.responses = Object.keys(responses).length
      ? responses
      : { default: { description: 'response' } };
    paths[path] ??= {};
    (paths[path] as Record<string, JsonSchema>)[route.method.toLowerCase()] = operation;
  }
  return {
    openapi: '3.0.3',
    info: {
      title: 'orc daemon API',
      version,
      description: 'Keeps the Docker Engine converged to compose projects. See docs/api.md.',
    },
    paths,
  };
}
