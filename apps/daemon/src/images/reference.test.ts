import { describe, expect, it } from 'vitest';
import { isImageError } from '../contract/image-errors.js';
import {
  apiTag,
  canonicalReference,
  isRemoteContext,
  normaliseRegistry,
  parseReference,
} from './reference.js';

describe('parseReference', () => {
  it.each([
    ['nginx', 'docker.io', 'nginx', undefined, undefined],
    ['library/nginx:1.25', 'docker.io', 'library/nginx', '1.25', undefined],
    ['127.0.0.1:5000/team/app:v2', '127.0.0.1:5000', '127.0.0.1:5000/team/app', 'v2', undefined],
    ['localhost/app', 'localhost', 'localhost/app', undefined, undefined],
    [`ghcr.io/o/r@sha256:${'a'.repeat(64)}`, 'ghcr.io', 'ghcr.io/o/r', undefined, `sha256:${'a'.repeat(64)}`],
    ['demo-web', 'docker.io', 'demo-web', undefined, undefined],
    [
      `host:5000/app:1@sha256:${'b'.repeat(64)}`,
      'host:5000',
      'host:5000/app',
      '1',
      `sha256:${'b'.repeat(64)}`,
    ],
  ])('%s', (raw, registry, name, tag, digest) => {
    const ref = parseReference(raw);
    expect(ref).toEqual({
      raw,
      registry,
      name,
      ...(tag ? { tag } : {}),
      ...(digest ? { digest } : {}),
    });
  });

  it.each(['', 'UPPER/case', 'app:bad tag', 'app@sha256:zz', ' app', 'a//b', 'app:'])('refuses %j', (raw) => {
    try {
      parseReference(raw);
      expect.unreachable();
    } catch (err) {
      expect(isImageError(err, 'INVALID_REFERENCE')).toBe(true);
    }
  });

  it('gives the engine tag and the canonical form', () => {
    expect(apiTag(parseReference('app'))).toBe('latest');
    expect(apiTag(parseReference('app:3'))).toBe('3');
    expect(canonicalReference(parseReference('app'))).toBe('app:latest');
    const pinned = parseReference(`app:1@sha256:${'c'.repeat(64)}`);
    expect(apiTag(pinned)).toBe(`sha256:${'c'.repeat(64)}`);
    expect(canonicalReference(pinned)).toBe(`app@sha256:${'c'.repeat(64)}`);
  });
});

describe('normaliseRegistry', () => {
  it.each([
    ['https://index.docker.io/v1/', 'docker.io'],
    ['registry-1.docker.io', 'docker.io'],
    ['http://127.0.0.1:5000/v2/', '127.0.0.1:5000'],
    ['Registry.Example.com', 'registry.example.com'],
  ])('%s → %s', (key, want) => {
    expect(normaliseRegistry(key)).toBe(want);
  });
});

describe('isRemoteContext', () => {
  it.each([
    ['https://github.com/docker/rootfs.git#container:docker', true],
    ['git@github.com:o/r.git', true],
    ['http://example.com/ctx.tar.gz', true],
    ['/home/me/app', false],
    ['/home/me/app.gitignored', false],
  ])('%s', (ctx, want) => {
    expect(isRemoteContext(ctx)).toBe(want);
  });
});
