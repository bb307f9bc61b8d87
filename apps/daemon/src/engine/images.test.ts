import { describe, expect, it } from 'vitest';
import { classifyRegistryFailure } from './images.js';

/** Messages as Engine 20.10 and distribution 2.8 word them (captured from a local registry). */
describe('classifyRegistryFailure', () => {
  const ctx = { image: '127.0.0.1:5902/exp/bb:1', registry: '127.0.0.1:5902', action: 'pull' as const };
  it.each([
    ['Head "http://127.0.0.1:5902/v2/exp/bb/manifests/1": no basic auth credentials', 500, 'REGISTRY_AUTH'],
    ['unauthorized: authentication required', 500, 'REGISTRY_AUTH'],
    [
      // The engine's words for a repository the registry lacks (seen on an open local registry, in turn
      // with "manifest unknown" for the same pull): not found first, the login as the other possibility.
      "pull access denied for nope, repository does not exist or may require 'docker login': denied: requested access to the resource is denied",
      404,
      'IMAGE_NOT_FOUND',
    ],
    [
      'manifest for 127.0.0.1:5901/exp/bb:nope not found: manifest unknown: manifest unknown',
      404,
      'IMAGE_NOT_FOUND',
    ],
    [
      // A registry port (or a name) holding the digits 401 is not a 401: seen in CI with port 34017.
      'manifest for 127.0.0.1:34017/orct-pull-a401bc/tagged:nope not found: manifest unknown: manifest unknown',
      404,
      'IMAGE_NOT_FOUND',
    ],
    ['Head "http://127.0.0.1:5902/v2/exp/bb/manifests/1": status 401', 401, 'REGISTRY_AUTH'],
    [
      'Get "http://127.0.0.1:5999/v2/": dial tcp 127.0.0.1:5999: connect: connection refused',
      500,
      'REGISTRY_UNREACHABLE',
    ],
    [
      'Get "https://registry-1.docker.io/v2/": dial tcp: lookup registry-1.docker.io on 10.0.0.53:53: no such host',
      500,
      'REGISTRY_UNREACHABLE',
    ],
    ['something else entirely', 500, 'PULL_FAILED'],
  ])('%s → %s', (text, status, code) => {
    const err = classifyRegistryFailure(text, ctx, status);
    expect(err.code).toBe(code);
    expect(err.message).toContain('127.0.0.1:5902');
    expect(err.details).toMatchObject({ registry: '127.0.0.1:5902', image: ctx.image });
  });

  it('names Docker Hub as such', () => {
    const err = classifyRegistryFailure(
      'unauthorized: incorrect username or password',
      { image: 'me/private:1', registry: 'docker.io', action: 'pull' },
      500,
    );
    expect(err.message).toContain('Docker Hub (docker.io)');
    expect(err.message).toContain('docker login docker.io');
  });
});
