// biome-ignore-all lint/suspicious/noTemplateCurlyInString: compose files spell ${VAR} literally
import { utimesSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createLoadCache, loadKey } from './load-inputs.js';
import type { LoadOptions } from './options.js';
import { expectOk, type TempProject, tempProject } from './temp-project.js';

let tmp: TempProject | undefined;
afterEach(() => {
  tmp?.remove();
  tmp = undefined;
});

const compose = [
  'include: [inc/included.yaml]',
  'services:',
  '  web:',
  '    image: web:${TAG}',
  '    env_file: [web.env]',
  '    environment: { FROM_DOTENV: "${DOTENV_VAR}" }',
  '  api:',
  '    extends: { file: base.yaml, service: base }',
  '',
].join('\n');

function project(): TempProject {
  return tempProject({
    'compose.yaml': compose,
    '.env': 'DOTENV_VAR=one\n',
    'web.env': 'A=1\n',
    'base.yaml': 'services:\n  base: { image: base:1 }\n',
    'inc/included.yaml': 'services:\n  inc: { image: inc:1 }\n',
  });
}

function options(t: TempProject, over: Partial<LoadOptions> = {}): LoadOptions {
  return { workingDir: t.dir, env: { TAG: '1' }, ...over };
}

describe('load cache', () => {
  it('serves the same result while nothing changed, and parses nothing', () => {
    tmp = project();
    const cache = createLoadCache();
    const first = cache.load(options(tmp));
    expect(first.hit).toBe(false);
    const p = expectOk(first.result);
    expect(p.services.web?.image).toBe('web:1');
    expect(p.services.web?.environment).toEqual({ A: '1', FROM_DOTENV: 'one' });
    const second = cache.load(options(tmp));
    expect(second.hit).toBe(true);
    expect(second.result).toBe(first.result);
  });

  // Every input of the load, changed by one byte: the next load sees the change.
  const edits: [string, string, string, (r: ReturnType<typeof expectOk>) => unknown, unknown][] = [
    [
      'the compose file',
      'compose.yaml',
      compose.replace('web:${TAG}', 'wEb:${TAG}'),
      (p) => p.services.web?.image,
      'wEb:1',
    ],
    ['.env', '.env', 'DOTENV_VAR=two\n', (p) => p.services.web?.environment.FROM_DOTENV, 'two'],
    ['an env_file', 'web.env', 'A=2\n', (p) => p.services.web?.environment.A, '2'],
    [
      'an extends file',
      'base.yaml',
      'services:\n  base: { image: base:2 }\n',
      (p) => p.services.api?.image,
      'base:2',
    ],
    [
      'an included file',
      'inc/included.yaml',
      'services:\n  inc: { image: inc:2 }\n',
      (p) => p.services.inc?.image,
      'inc:2',
    ],
  ];
  for (const [what, file, text, read, expected] of edits) {
    it(`loads again when ${what} changes`, () => {
      tmp = project();
      const cache = createLoadCache();
      expectOk(cache.load(options(tmp)).result);
      tmp.write(file, text);
      const again = cache.load(options(tmp));
      expect(again.hit).toBe(false);
      expect(read(expectOk(again.result))).toBe(expected);
    });
  }

  it('compares bytes, not times: same size and modification time, other content', () => {
    tmp = project();
    const cache = createLoadCache();
    expectOk(cache.load(options(tmp)).result);
    const file = tmp.write('web.env', 'A=9\n');
    utimesSync(file, new Date(0), new Date(0));
    const again = cache.load(options(tmp));
    expect(again.hit).toBe(false);
    expect(expectOk(again.result).services.web?.environment.A).toBe('9');
  });

  it('loads again when a file it looked for and did not find appears', () => {
    tmp = project();
    const cache = createLoadCache();
    expect(expectOk(cache.load(options(tmp)).result).services.web?.ports).toEqual([]);
    // Discovery looked for compose.override.yaml next to compose.yaml.
    tmp.write('compose.override.yaml', 'services:\n  web: { ports: ["8080:80"] }\n');
    const again = cache.load(options(tmp));
    expect(again.hit).toBe(false);
    expect(expectOk(again.result).services.web?.ports).toHaveLength(1);
  });

  it('loads again when the environment or an option differs', () => {
    tmp = project();
    const cache = createLoadCache();
    expectOk(cache.load(options(tmp)).result);
    const otherEnv = cache.load(options(tmp, { env: { TAG: '2' } }));
    expect(otherEnv.hit).toBe(false);
    expect(expectOk(otherEnv.result).services.web?.image).toBe('web:2');
    // An added variable, even one the files do not use, is another environment.
    expect(cache.load(options(tmp, { env: { TAG: '1', OTHER: 'x' } })).hit).toBe(false);
    expect(cache.load(options(tmp, { projectName: 'other' })).hit).toBe(false);
    expect(cache.load(options(tmp, { profiles: ['debug'] })).hit).toBe(false);
    // ... and each of them is kept: back to the first options, a hit.
    expect(cache.load(options(tmp)).hit).toBe(true);
  });

  it('keys options by content, whatever the order of their keys', () => {
    expect(loadKey({ workingDir: '/a', env: { A: '1', B: '2' } })).toBe(
      loadKey({ env: { B: '2', A: '1' }, workingDir: '/a' }),
    );
    expect(loadKey({ workingDir: '/a', env: { A: '1' } })).not.toBe(
      loadKey({ workingDir: '/a', env: { A: '2' } }),
    );
    expect(loadKey({ workingDir: '/a', env: {} })).not.toBe(loadKey({ workingDir: '/b', env: {} }));
  });

  it('keeps no failed load, and at most `max` results', () => {
    tmp = project();
    const cache = createLoadCache(2);
    tmp.write('compose.yaml', 'services: [\n');
    expect(cache.load(options(tmp)).result.ok).toBe(false);
    expect(cache.size).toBe(0);
    tmp.write('compose.yaml', compose);
    for (const tag of ['1', '2', '3']) expectOk(cache.load(options(tmp, { env: { TAG: tag } })).result);
    expect(cache.size).toBe(2);
    expect(cache.load(options(tmp, { env: { TAG: '1' } })).hit).toBe(false);
    expect(cache.load(options(tmp, { env: { TAG: '3' } })).hit).toBe(true);
  });
});
