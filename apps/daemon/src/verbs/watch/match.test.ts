import { describe, expect, it } from 'vitest';
import { isEphemeral, ruleMatcher } from './match.js';

const m = (rule: Record<string, unknown>, context?: { dir: string; patterns: string[] }) =>
  ruleMatcher({
    service: 'web',
    index: 0,
    rule: { path: '/p/src', action: 'sync', target: '/app', ...rule },
    ...(context ? { context } : {}),
  });

describe('watch rule matching', () => {
  it('takes files under the path, not beside it', () => {
    const r = m({});
    expect(r.matches('/p/src/a.js')).toBe(true);
    expect(r.matches('/p/src/deep/b.js')).toBe(true);
    expect(r.matches('/p/srcx/a.js')).toBe(false);
    expect(r.matches('/p/other.js')).toBe(false);
    expect(r.relative('/p/src/deep/b.js')).toBe('deep/b.js');
  });

  it('a file path matches itself', () => {
    const r = m({ path: '/p/package.json', action: 'rebuild' });
    expect(r.matches('/p/package.json')).toBe(true);
    expect(r.relative('/p/package.json')).toBe('');
  });

  it('ignore has .dockerignore semantics, relative to the path; .git and editor files are ignored', () => {
    const r = m({ ignore: ['node_modules/', '*.tmp', 'build/**', '!build/keep.txt'] });
    expect(r.matches('/p/src/node_modules/x/index.js')).toBe(false);
    expect(r.matches('/p/src/a.tmp')).toBe(false);
    expect(r.matches('/p/src/sub/a.tmp')).toBe(true); // `*.tmp` is anchored at the path, as in .dockerignore
    expect(r.matches('/p/src/build/out.js')).toBe(false);
    expect(r.matches('/p/src/build/keep.txt')).toBe(true);
    expect(r.matches('/p/src/.git/HEAD')).toBe(false);
    for (const name of ['.a.js.swp', '4913', 'a.js~', '#a.js#', '.#a.js', 'a.js___jb_tmp___']) {
      expect(isEphemeral(name), name).toBe(true);
      expect(r.matches(`/p/src/${name}`), name).toBe(false);
    }
    expect(isEphemeral('a.js')).toBe(false);
  });

  it('the build context’s .dockerignore applies relative to the context', () => {
    const r = m({}, { dir: '/p', patterns: ['src/secret', '**/*.log'] });
    expect(r.matches('/p/src/secret')).toBe(false);
    expect(r.matches('/p/src/x/y.log')).toBe(false);
    expect(r.matches('/p/src/ok.js')).toBe(true);
  });

  it('include keeps only matching files (a pattern without / names a file at any depth)', () => {
    const r = m({ include: ['*.go'] });
    expect(r.matches('/p/src/main.go')).toBe(true);
    expect(r.matches('/p/src/pkg/util.go')).toBe(true);
    expect(r.matches('/p/src/README.md')).toBe(false);
  });

  it('skips ignored trees before watching them, unless a ! pattern may re-include below', () => {
    const r = m({ ignore: ['node_modules/'] });
    expect(r.skipsDir('/p/src/node_modules')).toBe(true);
    expect(r.skipsDir('/p/src/.git')).toBe(true);
    expect(r.skipsDir('/p/src/lib')).toBe(false);
    expect(r.skipsDir('/p/src')).toBe(false);
    const withException = m({ ignore: ['node_modules/', '!node_modules/keep'] });
    expect(withException.skipsDir('/p/src/node_modules')).toBe(false);
    expect(withException.skipsDir('/p/src/.git')).toBe(true);
  });
});
