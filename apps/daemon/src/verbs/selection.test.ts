import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadProject, type Project } from '@orc/spec';
import { afterEach, describe, expect, it } from 'vitest';
import type { ProjectSource } from '../contract/types.js';
import type { Engine } from '../engine/engine.js';
import type { ImageService } from '../images/index.js';
import { createVerbContext, type VerbContext } from './context.js';
import { createImageOps } from './images-ops.js';
import { createQueries } from './query.js';
import { createRunner } from './run.js';
import { keptWithoutProblems, selectionFailure } from './selection.js';
import { createUp } from './up.js';

// Issue 21 item 3, as compose does it: a missing env_file (service b) or a container_name clash (a and
// test) refuses only the commands acting on the services concerned. No Docker: the engine below throws
// a marker on any call, so "reached the engine" means the command got past its checks.

const REACHED = 'reached the engine';
const engine = new Proxy(
  {},
  {
    get: (_t, key) => (key === 'then' ? undefined : () => Promise.reject(new Error(REACHED))),
  },
) as Engine;

let dirs: string[] = [];
afterEach(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});

function project(compose: string): { source: ProjectSource; ctx: VerbContext; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'orc-selection-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'compose.yaml'), compose);
  const images = {
    buildImages: async () => ({ results: [], failures: [] }),
    pullImages: async () => ({ results: [], failures: [] }),
  } as unknown as ImageService;
  const ctx = createVerbContext({ engine, images, stateDir: join(dir, 'state'), supervise: false });
  return { source: { workingDir: dir, env: {}, projectName: 'sel' }, ctx, dir };
}

const ENV_FILE = [
  'services:',
  '  a: {image: x}',
  '  b:',
  '    image: x',
  '    env_file: gone.env',
  '  c: {image: x, depends_on: [b]}',
  '',
].join('\n');

const CLASH = [
  'services:',
  '  a: {image: x, container_name: same}',
  '  test:',
  '    image: x',
  '    container_name: same',
  '',
].join('\n');

const queries = (ctx: VerbContext) => createQueries(ctx, { annotate: async (s) => s });

describe('ps, logs, down, exec, top name the project: they never fail on these', () => {
  it.each([
    ['env_file', ENV_FILE],
    ['clash', CLASH],
  ])('%s: the project name resolves from the files', async (_, text) => {
    const { source, ctx } = project(text);
    const r = await ctx.resolveName({ source });
    expect(r.name).toBe('sel');
    expect(r.project?.serviceProblems).toHaveLength(1);
  });
});

describe('config: every service without --hash, only the hashed ones with it', () => {
  it('config fails as the load did: same code, message, file:line:col, path and hint', async () => {
    const { source, ctx, dir } = project(ENV_FILE);
    const r = await queries(ctx).config(source);
    expect(r).toMatchObject({ code: 'INVALID_PROJECT' });
    if (!('errors' in r)) throw new Error('expected a failure');
    expect(r.errors).toEqual([
      {
        code: 'ENV_FILE',
        file: join(dir, 'compose.yaml'),
        line: 5,
        col: 15,
        path: 'services.b.env_file',
        message: `env file ${join(dir, 'gone.env')} not found`,
        hint: 'create the file, or declare it with `required: false`',
      },
    ]);
  });

  it('config --hash a succeeds, config --hash b fails', async () => {
    const { source, ctx } = project(ENV_FILE);
    const ok = await queries(ctx).config(source, { services: ['a'] });
    if (!('ok' in ok)) throw new Error(JSON.stringify(ok));
    expect(ok.hashes?.a).toMatch(/^[0-9a-f]{64}$/);
    // The model printed is compose's: no serviceProblems in it.
    expect(ok.project).not.toHaveProperty('serviceProblems');
    const bad = await queries(ctx).config(source, { services: ['b'] });
    expect(bad).toMatchObject({ code: 'INVALID_PROJECT', errors: [{ code: 'ENV_FILE' }] });
  });

  it('a clash fails config; --hash test alone does not; --no-consistency makes it a warning', async () => {
    const { source, ctx } = project(CLASH);
    const all = await queries(ctx).config(source);
    expect(all).toMatchObject({
      code: 'INVALID_PROJECT',
      errors: [
        {
          code: 'DUPLICATE_CONTAINER_NAME',
          line: 5,
          col: 21,
          path: 'services.test.container_name',
          message: 'container_name "same" is also used by service "a"',
        },
      ],
    });
    expect(await queries(ctx).config(source, { services: ['test'] })).toMatchObject({ ok: true });
    const relaxed = await queries(ctx).config(source, { consistency: false });
    expect(relaxed).toMatchObject({ ok: true });
    if (!('ok' in relaxed)) throw new Error('expected ok');
    expect(relaxed.warnings.map((w) => w.code)).toContain('DUPLICATE_CONTAINER_NAME');
  });
});

describe('up', () => {
  it('up -d a gets past the checks; up b, up c (depends on b) and up (all) fail, located', async () => {
    const { source, ctx } = project(ENV_FILE);
    const up = createUp(ctx);
    await expect(up(source, { services: ['a'] })).rejects.toThrow(REACHED);
    for (const services of [['b'], ['c'], undefined]) {
      const r = await up(source, { ...(services ? { services } : {}) });
      expect(r, JSON.stringify(services)).toMatchObject({
        code: 'INVALID_PROJECT',
        errors: [{ code: 'ENV_FILE', line: 5, col: 15, path: 'services.b.env_file' }],
      });
    }
    // --no-deps: c alone does not need b.
    await expect(up(source, { services: ['c'], noDeps: true })).rejects.toThrow(REACHED);
  });

  it('a container_name clash: up test alone works; up (both) fails', async () => {
    const { source, ctx } = project(CLASH);
    const up = createUp(ctx);
    await expect(up(source, { services: ['test'] })).rejects.toThrow(REACHED);
    await expect(up(source, { services: ['a'] })).rejects.toThrow(REACHED);
    expect(await up(source, {})).toMatchObject({
      code: 'INVALID_PROJECT',
      errors: [{ code: 'DUPLICATE_CONTAINER_NAME', path: 'services.test.container_name' }],
    });
    expect(await up(source, { services: ['a', 'test'] })).toMatchObject({ code: 'INVALID_PROJECT' });
  });
});

describe('build, pull and run', () => {
  it('build/pull a run; build/pull b and build/pull (all) fail', async () => {
    const { source, ctx } = project(ENV_FILE);
    const ops = createImageOps({ images: ctx.images, ops: ctx.ops, desired: ctx.loadDesired });
    for (const verb of [ops.build, ops.pull]) {
      const ok = await verb(source, { services: ['a'] });
      if ('code' in ok) throw new Error(JSON.stringify(ok));
      expect((await ok.done).state).toBe('succeeded');
      expect(await verb(source, { services: ['b'] })).toMatchObject({ code: 'INVALID_PROJECT' });
      expect(await verb(source, {})).toMatchObject({
        code: 'INVALID_PROJECT',
        errors: [{ code: 'ENV_FILE' }],
      });
    }
  });

  it('run a gets past the checks; run b fails; run c checks its dependency b through up', async () => {
    const { source, ctx } = project(ENV_FILE);
    const up = createUp(ctx);
    const runner = createRunner({
      engine,
      execute: async () => {
        throw new Error(REACHED);
      },
      desired: ctx.loadDesired,
      up: (s, o) => up(s, o),
    });
    await expect(runner(source, { service: 'a' })).rejects.toThrow(REACHED);
    expect(await runner(source, { service: 'b' })).toMatchObject({
      code: 'INVALID_PROJECT',
      errors: [{ code: 'ENV_FILE', path: 'services.b.env_file' }],
    });
    expect(await runner(source, { service: 'c' })).toMatchObject({ code: 'INVALID_PROJECT' });
    await expect(runner(source, { service: 'c', noDeps: true })).rejects.toThrow(REACHED);
  });

  it('run test with a clashing container_name: a one-off takes no container_name', async () => {
    const { source, ctx } = project(CLASH);
    const runner = createRunner({
      engine,
      execute: async () => {
        throw new Error(REACHED);
      },
      desired: ctx.loadDesired,
      up: async () => {
        throw new Error('no dependencies to start');
      },
    });
    await expect(runner(source, { service: 'test' })).rejects.toThrow(REACHED);
  });
});

describe('the selection helpers', () => {
  const loaded = async (text: string): Promise<Project> => {
    const r = await loadProject({ workingDir: '/nowhere', env: {}, inline: [{ content: text }] });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    return r.project;
  };

  it('selectionFailure: undefined when nothing applies, the load failure otherwise', async () => {
    const p = await loaded(ENV_FILE);
    expect(selectionFailure(p, ['a', 'c'], [])).toBeUndefined();
    expect(selectionFailure(p, ['b'], [])).toMatchObject({ code: 'INVALID_PROJECT', warnings: [] });
  });

  it.each([
    // kept (undefined = all), acted → kept after
    ['env_file', ENV_FILE, undefined, ['a'], ['a', 'c']],
    ['env_file', ENV_FILE, undefined, ['a', 'b', 'c'], undefined],
    ['env_file', ENV_FILE, ['a', 'b'], ['a'], ['a']],
    ['env_file', ENV_FILE, ['a'], ['a'], ['a']],
    ['clash', CLASH, undefined, ['test'], ['test']],
    ['clash', CLASH, ['a', 'test'], ['a'], ['a']],
    ['clash', CLASH, ['test'], ['test'], ['test']],
  ])('keptWithoutProblems (%s): kept %j, acted %j → %j', async (_, text, kept, acted, expected) => {
    expect(keptWithoutProblems(await loaded(text), kept, acted)).toEqual(expected);
  });
});

describe('config: --var and the variables table travel through the daemon', () => {
  it('the source carries --var; the answer carries each variable with its value and source', async () => {
    const { source, ctx } = project(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: compose's variable syntax
      'variables: {TAG: "1", REPO: app}\nservices:\n  a: {image: "${REPO}:${TAG}"}\n',
    );
    const r = await queries(ctx).config({ ...source, variables: { TAG: '2' } });
    if (!('ok' in r)) throw new Error('expected a project');
    expect((r.project as Project).services.a?.image).toBe('app:2');
    expect(r.variables?.map((v) => [v.name, v.value, v.source])).toEqual([
      ['REPO', 'app', 'root-inline'],
      ['TAG', '2', 'cli'],
    ]);
  });
});
