/**
 * The API under fuzz (issue 16 item 6): requests generated from the daemon's own OpenAPI document
 * (every route it lists, so new routes are covered without touching this file), with bodies shaped by
 * each route's schema and then broken (wrong types, missing and unknown keys, random JSON), random path
 * and query parameters (including names that try to leave a directory) and hostile headers.
 *
 * Against the real core and engine, through `inject` (no socket, same validation and handlers):
 * - never a 5xx other than "the engine is not answering" (503 ENGINE_*), never a crash: the daemon
 *   answers /v1/health after every request;
 * - every error has a code and a message, and no stack trace;
 * - a 4xx changes nothing: no engine call that changes anything (create, start, stop, remove, ...) and
 *   no file in the state directory was written during it.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/api/server.js';
import { createEngine, type Engine } from '../../src/engine/engine.js';
import { startCore, type TestCore } from '../support/core.js';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

interface Schema {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  items?: Schema;
  enum?: Json[];
  const?: Json;
  anyOf?: Schema[];
  oneOf?: Schema[];
  minimum?: number;
  maximum?: number;
}

interface Parameter {
  in: 'path' | 'query' | 'header';
  name: string;
  schema?: Schema;
}

interface Route {
  method: string;
  path: string;
  parameters: Parameter[];
  body?: Schema;
  streams: boolean;
}

/** Engine calls that change something; any of them during a refused request is a failure. */
const MUTATING =
  /^(create|start|stop|kill|remove|rename|restart|pause|unpause|connect|disconnect|put|update|prune)/;

function recordingEngine(engine: Engine, calls: string[]): Engine {
  return new Proxy(engine, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof prop !== 'string' || typeof value !== 'function' || !MUTATING.test(prop)) return value;
      return (...args: unknown[]) => {
        calls.push(prop);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

const hostile = [
  '..',
  '../..',
  '../etc/passwd',
  '..%2f..%2fetc',
  '%2e%2e',
  '/etc/shadow',
  'a/../../b',
  '.hidden',
  'UPPER',
  '-',
  '',
  ' ',
  'x'.repeat(300),
  '\u0000',
  'ü',
  ['$', '{HOME}'].join(''), // an interpolation, as a client might send it
];

/** Mostly absent: a hostile header is refused before any handler runs, so it must not hide the handlers. */
const rarely = <T>(a: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> =>
  fc.oneof({ weight: 9, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: a });

const text = fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom(...hostile));
const name = fc.oneof(fc.stringMatching(/^[a-z0-9][a-z0-9_-]{0,20}$/), text);

/** Values shaped by a JSON schema (TypeBox's output), a little wider than it allows. */
function fromSchema(schema: Schema | undefined, depth = 0): fc.Arbitrary<Json> {
  if (!schema || depth > 4) return fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>;
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const union = schema.anyOf ?? schema.oneOf;
  if (union?.length) return fc.oneof(...union.map((s) => fromSchema(s, depth + 1)));
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'object': {
      const props = Object.entries(schema.properties ?? {});
      if (props.length === 0) return fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }));
      const record: Record<string, fc.Arbitrary<Json>> = {};
      for (const [k, s] of props) record[k] = fromSchema(s, depth + 1);
      return fc.record(record, { requiredKeys: schema.required ?? [] }) as fc.Arbitrary<Json>;
    }
    case 'array':
      return fc.array(fromSchema(schema.items, depth + 1), { maxLength: 3 });
    case 'string':
      return text;
    case 'integer':
      return fc.oneof(fc.integer({ min: -5, max: 100 }), fc.constant(Number.MAX_SAFE_INTEGER));
    case 'number':
      return fc.oneof(fc.double({ noNaN: true, min: -1e6, max: 1e6 }), fc.constant(0));
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    default:
      return fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>;
  }
}

/** A schema-shaped body, broken in one of the ways clients break them, or random JSON, or no JSON at all. */
function body(schema: Schema | undefined): fc.Arbitrary<{ payload: string; contentType: string }> {
  const shaped = fromSchema(schema);
  const broken = fc.oneof(
    shaped,
    shaped.map((v) => (v && typeof v === 'object' && !Array.isArray(v) ? { ...v, unknownKey: 1 } : v)),
    shaped.map((v) => {
      if (!v || typeof v !== 'object' || Array.isArray(v)) return v;
      const [first] = Object.keys(v);
      return first ? { ...v, [first]: [{ wrong: true }] } : v;
    }),
    fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>,
  );
  return fc.oneof(
    {
      weight: 8,
      arbitrary: broken.map((v) => ({ payload: JSON.stringify(v), contentType: 'application/json' })),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom('{', '{"a":', 'null', '[]', '""', '{"__proto__":{"x":1}}')
        .map((payload) => ({
          payload,
          contentType: 'application/json',
        })),
    },
    { weight: 1, arbitrary: text.map((payload) => ({ payload, contentType: 'text/plain' })) },
  );
}

async function stateFiles(dir: string): Promise<string> {
  const out: string[] = [];
  const walk = async (d: string) => {
    for (const entry of await readdir(d, { withFileTypes: true }).catch(() => [])) {
      const p = join(d, entry.name);
      if (entry.isDirectory()) await walk(p);
      else {
        const s = await stat(p);
        out.push(`${p}:${s.size}:${s.mtimeMs}`);
      }
    }
  };
  await walk(dir);
  return out.sort().join('\n');
}

describe('API fuzz: every route, generated from the OpenAPI document', () => {
  let app: FastifyInstance;
  let core: TestCore;
  let stateDir: string;
  let dispose: () => Promise<void>;
  const calls: string[] = [];
  const routes: Route[] = [];

  beforeAll(async () => {
    ({ core, stateDir, dispose } = await startCore({
      supervise: false,
      engine: recordingEngine(createEngine(), calls),
    }));
    app = await buildServer({
      core,
      shutdown: new AbortController().signal,
      version: 'fuzz',
      security: { transport: 'unix', allowOrigins: [], allowHosts: [] },
    });
    const doc = (await app.inject({ method: 'GET', url: '/v1/openapi.json' })).json() as {
      paths: Record<
        string,
        Record<
          string,
          {
            parameters?: Parameter[];
            requestBody?: { content?: Record<string, { schema?: Schema }> };
            responses?: Record<string, { content?: Record<string, unknown> }>;
          }
        >
      >;
    };
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        const streams = Object.values(op.responses ?? {}).some((r) =>
          Object.keys(r.content ?? {}).some((c) => c !== 'application/json'),
        );
        routes.push({
          method: method.toUpperCase(),
          path,
          parameters: op.parameters ?? [],
          ...(op.requestBody ? { body: op.requestBody.content?.['application/json']?.schema ?? {} } : {}),
          streams,
        });
      }
    }
  });

  afterAll(async () => {
    await app?.close();
    await dispose?.();
  });

  it('lists the routes it fuzzes', () => {
    // The document lists every route (a route without a schema would escape the fuzz and the docs).
    expect(routes.length).toBeGreaterThanOrEqual(20);
    expect(routes.some((r) => r.method === 'POST' && r.path === '/v1/projects')).toBe(true);
  });

  it('never answers 5xx (but for the engine), never crashes, and changes nothing on a 4xx', async () => {
    const seen = new Map<number, number>();
    const request = fc.integer({ min: 0, max: 1_000_000 }).chain((i) => {
      const route = routes[i % routes.length] as Route;
      const pathParams = route.parameters.filter((p) => p.in === 'path');
      const queryParams = route.parameters.filter((p) => p.in === 'query');
      return fc.record({
        route: fc.constant(route),
        path: fc.tuple(...pathParams.map(() => name), fc.constant('')),
        raw: fc.boolean(),
        query: fc.tuple(
          ...queryParams.map((p) =>
            fc.option(fc.oneof(fromSchema(p.schema).map(String), text), { nil: undefined }),
          ),
          fc.constant(undefined),
        ),
        body: route.body ? body(route.body) : fc.constant(undefined),
        origin: rarely(fc.constantFrom('http://evil.example', 'null', 'file://')),
        host: rarely(fc.constantFrom('evil.example', '127.0.0.1:1', '')),
      });
    });

    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const { route } = r;
        const pathParams = route.parameters.filter((p) => p.in === 'path');
        let url = route.path;
        pathParams.forEach((p, i) => {
          const v = String(r.path[i] ?? '');
          url = url.replace(`{${p.name}}`, r.raw ? v.replace(/[?#\s]/g, '_') : encodeURIComponent(v));
        });
        const query = route.parameters
          .filter((p) => p.in === 'query')
          .flatMap((p, i) => {
            const v = r.query[i];
            // A stream that follows would never end: fuzz its parameters, not its lifetime.
            if (route.streams && (p.name === 'follow' || p.name === 'wait')) return [];
            return v === undefined ? [] : [`${encodeURIComponent(p.name)}=${encodeURIComponent(v)}`];
          });
        // The event stream never ends by itself; it is fuzzed only with a refused origin.
        if (route.path === '/v1/events' && !r.origin && !r.host) return;
        if (route.streams) query.push('follow=false');
        const headers: Record<string, string> = {};
        if (r.origin) headers.origin = r.origin;
        if (r.host !== undefined) headers.host = r.host;
        if (r.body) headers['content-type'] = r.body.contentType;

        const filesBefore = await stateFiles(stateDir);
        calls.length = 0;
        const res = await app.inject({
          method: route.method as 'GET' | 'POST',
          url: query.length ? `${url}?${query.join('&')}` : url,
          headers,
          ...(r.body ? { payload: r.body.payload } : {}),
        });
        const label = `${route.method} ${url} → ${res.statusCode} ${res.body.slice(0, 300)}`;
        seen.set(res.statusCode, (seen.get(res.statusCode) ?? 0) + 1);
        if (process.env.ORC_FUZZ_LOG) console.log(label.slice(0, 200));

        if (res.statusCode >= 500) {
          // Only the engine's own trouble, or an accepted operation's workload failing (`?wait=true`).
          const err = res.json() as { code?: string; details?: { operation?: unknown } };
          expect(err.code?.startsWith('ENGINE_') || err.details?.operation !== undefined, label).toBe(true);
        }
        if (res.statusCode >= 400) {
          const err = res.json() as { code?: unknown; message?: unknown };
          expect(typeof err.code, label).toBe('string');
          expect(typeof err.message, label).toBe('string');
          expect(res.body, label).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/);
        }
        // A refused request changes nothing. (`?wait=true` answers an operation that ran and then failed
        // with its error's status and the record in details.operation: that one was accepted, not refused.)
        const ran =
          res.statusCode >= 400 && (res.json() as { details?: { operation?: unknown } }).details?.operation;
        if (res.statusCode >= 400 && res.statusCode < 500 && !ran) {
          expect(calls, label).toEqual([]);
          expect(await stateFiles(stateDir), label).toBe(filesBefore);
        }
        // An accepted operation runs to its end before the next request, so its engine calls are its own.
        const op =
          res.statusCode === 202 ? (res.json() as { operation?: { id?: string } }).operation : undefined;
        for (let i = 0; op?.id && i < 600; i++) {
          if ((await core.getOperation(op.id))?.state !== 'running') break;
          await new Promise((ok) => setTimeout(ok, 50));
        }
        const health = await app.inject({ method: 'GET', url: '/v1/health' });
        expect(health.statusCode, `after ${label}`).toBe(200);
      }),
      { numRuns: Number(process.env.ORC_FUZZ_RUNS ?? 400), endOnFailure: true },
    );
    // The fuzz reached the handlers, not only the validation: refused, missing and accepted answers all occur.
    for (const status of [400, 403, 404])
      expect(seen.get(status) ?? 0, `status ${status}`).toBeGreaterThan(0);
    expect(
      [...seen.keys()].some((s) => s < 300),
      'some request succeeded',
    ).toBe(true);
  }, 240_000);

  it('refuses project names that try to leave their directory, with 400 and nothing written', async () => {
    for (const bad of ['..', '../etc', '..%2F..%2Fetc', '%2e%2e', 'a%2F..%2F..%2Fb', '.x']) {
      for (const [method, path] of [
        ['GET', `/v1/projects/${bad}`],
        ['POST', `/v1/projects/${bad}/down`],
        ['POST', `/v1/projects/${bad}/stop`],
      ] as const) {
        const before = await stateFiles(stateDir);
        const res = await app.inject({ method, url: path, ...(method === 'POST' ? { payload: {} } : {}) });
        expect([400, 404], `${method} ${path} → ${res.statusCode} ${res.body}`).toContain(res.statusCode);
        expect(await stateFiles(stateDir)).toBe(before);
      }
    }
  });
});
