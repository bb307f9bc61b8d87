import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { lazyCompilers, lazyValidator } from './lazy-compilers.js';

describe('lazy route compilers', () => {
  it('compiles a validator on its first call, once, and copies its errors where fastify reads them', () => {
    let compiled = 0;
    const v = lazyValidator(() => {
      compiled++;
      const real = (data: unknown) => {
        real.errors = data === 1 ? null : [{ message: 'not one' }];
        return data === 1;
      };
      real.errors = null as unknown;
      return real;
    });
    expect(compiled).toBe(0);
    expect(v(2)).toBe(false);
    expect(v.errors).toEqual([{ message: 'not one' }]);
    expect(v(1)).toBe(true);
    expect(v.errors).toBeNull();
    expect(compiled).toBe(1);
  });

  it('validates, coerces and serializes through fastify as the default compilers do', async () => {
    const app = Fastify({
      ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true } },
      schemaController: { compilersFactory: lazyCompilers() },
    });
    app.post(
      '/x',
      {
        schema: {
          querystring: {
            type: 'object',
            properties: { n: { type: 'integer' } },
            additionalProperties: false,
          },
          body: {
            type: 'object',
            properties: { a: { type: 'string' }, d: { type: 'integer', default: 7 } },
            required: ['a'],
            additionalProperties: false,
          },
          response: {
            200: { type: 'object', properties: { a: { type: 'string' }, d: { type: 'integer' }, n: {} } },
          },
        },
      },
      async (req) => ({ ...(req.body as object), n: (req.query as { n?: number }).n, secret: 'dropped' }),
    );
    const ok = await app.inject({ method: 'POST', url: '/x?n=3', payload: { a: 'hi' } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ a: 'hi', d: 7, n: 3 });
    const bad = await app.inject({ method: 'POST', url: '/x', payload: { b: 1 } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/must have required property 'a'/);
    await app.close();
  });
});
