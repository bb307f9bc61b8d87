/**
 * Fastify's own validator (ajv) and serializer (fast-json-stringify) compilers, each route's function
 * compiled on its first use instead of at `ready()`. An idle daemon serves a handful of its ~60 routes
 * (health, ps, events); compiling every body, query and reply schema at start-up kept their generated code
 * and ajv's and fast-json-stringify's modules in its heap for nothing (issue 17, item 5). What is compiled,
 * and with which options, is unchanged: the compilers are fastify's, loaded from fastify's own dependencies.
 */
import { createRequire } from 'node:module';
import type { FastifyServerOptions } from 'fastify';

type CompilersFactory = NonNullable<
  NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']
>;

type RouteSchemaDefinition = Record<string, unknown>;
/** `(external schemas, options) => (route's schema definition) => function`, fastify's builder shape. */
type Builder<F> = (externalSchemas: unknown, options: unknown) => (route: RouteSchemaDefinition) => F;

interface Validate {
  (data: unknown, context?: unknown): unknown;
  errors?: unknown;
  schemaEnv?: unknown;
}
type Serialize = (data: unknown) => string;

const fastifyRequire = createRequire(createRequire(import.meta.url).resolve('fastify'));

/** Loads a selector module (`() => Builder`) of fastify's, the first time a route needs it. */
function selector<F>(module: string): () => Builder<F> {
  let builder: Builder<F> | undefined;
  return () => {
    builder ??= (fastifyRequire(module) as () => Builder<F>)();
    return builder;
  };
}

const ajvBuilder = selector<Validate>('@fastify/ajv-compiler');
const serializerBuilder = selector<Serialize>('@fastify/fast-json-stringify-compiler');

/**
 * A validator that compiles on its first call. Fastify reads `errors` off the function it called, and hands
 * ajv the root value's parent (so a query string's root can be coerced) only to a function with
 * `schemaEnv`: the stand-in has one and passes the parent on when the compiled function wants it.
 */
export function lazyValidator(compile: () => Validate): Validate {
  let real: Validate | undefined;
  const validate: Validate = (data, context) => {
    real ??= compile();
    const ok = real.schemaEnv ? real(data, context) : real(data);
    validate.errors = real.errors;
    return ok;
  };
  validate.schemaEnv = {};
  return validate;
}

function lazyValidatorBuilder(): Builder<Validate> {
  return (externalSchemas, options) => {
    let compiler: ((route: RouteSchemaDefinition) => Validate) | undefined;
    return (route) =>
      lazyValidator(() => {
        compiler ??= ajvBuilder()(externalSchemas, options);
        return compiler(route);
      });
  };
}

function lazySerializerBuilder(): Builder<Serialize> {
  return (externalSchemas, options) => {
    let compiler: ((route: RouteSchemaDefinition) => Serialize) | undefined;
    return (route) => {
      let real: Serialize | undefined;
      return (data) => {
        compiler ??= serializerBuilder()(externalSchemas, options);
        real ??= compiler(route);
        return real(data);
      };
    };
  };
}

/**
 * For fastify's `schemaController.compilersFactory`. Fastify's types describe ajv's and
 * fast-json-stringify's functions; the stand-ins are called the same way (see `lazyValidator`).
 */
export function lazyCompilers(): CompilersFactory {
  return {
    buildValidator: lazyValidatorBuilder(),
    buildSerializer: lazySerializerBuilder(),
  } as unknown as CompilersFactory;
}
