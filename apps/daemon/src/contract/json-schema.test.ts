import { Type as TypeBox } from '@fastify/type-provider-typebox';
import { describe, expect, it } from 'vitest';
import { Type } from './json-schema.js';

// The OpenAPI document and ajv's validation read these objects: they must be typebox's, key for key.
const same = (ours: unknown, theirs: unknown) => expect(JSON.stringify(ours)).toBe(JSON.stringify(theirs));

describe('json-schema builder', () => {
  it('writes what typebox writes for each builder the API uses', () => {
    const cases = (T: typeof Type) => [
      T.String({ minLength: 1, description: 'a name' }),
      T.Number(),
      T.Integer({ minimum: 0 }),
      T.Boolean({ default: false }),
      T.Array(T.String(), { minItems: 1 }),
      T.Literal('up'),
      T.Literal(3),
      T.Literal(true),
      T.Union([T.Literal('a'), T.Literal('b')], { description: 'one of' }),
      T.Record(T.String({ minLength: 1 }), T.String(), { description: 'labels' }),
      T.Unknown(),
      T.Unknown({ description: 'The tar stream' }),
      T.Unsafe<'x'>({ type: 'string', enum: ['x'] }),
      T.Intersect([T.Object({ a: T.String() }), T.Object({ b: T.Optional(T.Number()) })]),
      T.Object({}),
      T.Object({ only: T.Optional(T.String()) }),
      T.Object(
        { name: T.String(), tags: T.Optional(T.Array(T.String())), nested: T.Object({ n: T.Integer() }) },
        { additionalProperties: false, description: 'an object' },
      ),
    ];
    const ours = cases(Type);
    const theirs = cases(TypeBox as unknown as typeof Type);
    for (const [i, schema] of ours.entries()) same(schema, theirs[i]);
  });

  it('keeps a schema required where it is used bare, optional where it is wrapped', () => {
    const shared = Type.String();
    const schema = Type.Object({ a: shared, b: Type.Optional(shared) });
    expect(schema.required).toEqual(['a']);
    expect(shared).toEqual({ type: 'string' });
  });
});
