/**
 * The route schemas' builder: the subset of typebox's `Type` the API uses, writing the same plain
 * JSON-schema objects (same keys, same order) and carrying typebox's TypeScript types, so `Static<>` and
 * the fastify type provider see exactly what they saw. Why not typebox itself: the schemas are data, and
 * loading typebox's builder (with the provider's `typebox/compile` and `/value`, ~680 files) cost an idle
 * daemon ~20–30 MiB of RSS for objects it builds once (issue 17, item 5). typebox stays a type-only import.
 */
import type { Type as TypeBox } from '@fastify/type-provider-typebox';

type Schema = Record<string, unknown>;
type Options = Record<string, unknown> | undefined;

/** The schemas marked optional by `Optional` (typebox marks them with a non-enumerable `~optional`). */
const optional = new WeakSet<object>();

function object(properties: Record<string, Schema>, options?: Options): Schema {
  const required = Object.keys(properties).filter((key) => !optional.has(properties[key] as Schema));
  return required.length > 0
    ? { type: 'object', required, properties, ...options }
    : { type: 'object', properties, ...options };
}

function withOptional(schema: Schema): Schema {
  // A copy: the same schema can be required in one object and optional in another.
  const copy = { ...schema };
  optional.add(copy);
  return copy;
}

function literal(value: string | number | boolean, options?: Options): Schema {
  return { type: typeof value, const: value, ...options };
}

/** Typebox's `Type` for the builders listed here: the runtime below, the types from typebox. */
type Builders = Pick<
  typeof TypeBox,
  | 'Array'
  | 'Boolean'
  | 'Integer'
  | 'Intersect'
  | 'Literal'
  | 'Number'
  | 'Object'
  | 'Optional'
  | 'Record'
  | 'String'
  | 'Union'
  | 'Unknown'
  | 'Unsafe'
>;

const builders = {
  Array: (items: Schema, options?: Options) => ({ type: 'array', items, ...options }),
  Boolean: (options?: Options) => ({ type: 'boolean', ...options }),
  Integer: (options?: Options) => ({ type: 'integer', ...options }),
  Intersect: (allOf: Schema[], options?: Options) => ({ allOf, ...options }),
  Literal: literal,
  Number: (options?: Options) => ({ type: 'number', ...options }),
  Object: object,
  Optional: withOptional,
  // Every record key of the API is a string: typebox writes any string key as this pattern.
  Record: (_key: Schema, value: Schema, options?: Options) => ({
    type: 'object',
    patternProperties: { '^.*$': value },
    ...options,
  }),
  String: (options?: Options) => ({ type: 'string', ...options }),
  Union: (anyOf: Schema[], options?: Options) => ({ anyOf, ...options }),
  Unknown: (options?: Options) => ({ ...options }),
  Unsafe: (options?: Options) => ({ ...options }),
};

export const Type = builders as unknown as Builders;
