import { describe, expect, it } from 'vitest';
import { desiredState } from '../../test/support/plan/fixtures.js';
import { withDependencies } from './dependencies.js';

describe('withDependencies (build --with-dependencies, pull --include-deps)', () => {
  const d = desiredState({
    services: [
      { name: 'db' },
      { name: 'cache' },
      { name: 'api', depends_on: { db: {} } },
      { name: 'web', depends_on: { api: {} } },
      { name: 'side', uses: ['cache'] },
    ],
  });

  it('adds what the named services depend on, transitively, in the project order', () => {
    expect(withDependencies(d, ['web'])).toEqual(['db', 'api', 'web']);
    expect(withDependencies(d, ['side', 'db'])).toEqual(['db', 'cache', 'side']);
    expect(withDependencies(d, ['cache'])).toEqual(['cache']);
  });
});
