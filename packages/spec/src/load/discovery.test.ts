// biome-ignore-all lint/suspicious/noTemplateCurlyInString: compose files spell ${VAR} literally
import { afterEach, describe, expect, it } from 'vitest';
import { discoverComposeFiles, splitComposeFileVar } from './discover.js';
import { loadProject } from './load-project.js';
import { expectErrors, expectOk, type TempProject, tempProject } from './temp-project.js';

let tmp: TempProject | undefined;
afterEach(() => {
  tmp?.remove();
  tmp = undefined;
});

const svc = (image: string) => `services:\n  s: {image: ${image}}\n`;

describe('discovery of compose files', () => {
  it.each<[string, Record<string, string>, string, string[]]>([
    ['compose.yaml', { 'compose.yaml': svc('a') }, '.', ['compose.yaml']],
    ['compose.yml', { 'compose.yml': svc('a') }, '.', ['compose.yml']],
    ['docker-compose.yaml', { 'docker-compose.yaml': svc('a') }, '.', ['docker-compose.yaml']],
    ['docker-compose.yml', { 'docker-compose.yml': svc('a') }, '.', ['docker-compose.yml']],
    [
      'compose.yaml preferred over docker-compose.yml',
      { 'compose.yaml': svc('a'), 'docker-compose.yml': svc('b') },
      '.',
      ['compose.yaml'],
    ],
    [
      'with its override',
      { 'compose.yaml': svc('a'), 'compose.override.yaml': svc('b') },
      '.',
      ['compose.yaml', 'compose.override.yaml'],
    ],
    [
      '.yml override',
      { 'compose.yml': svc('a'), 'compose.override.yml': svc('b') },
      '.',
      ['compose.yml', 'compose.override.yml'],
    ],
    [
      'docker-compose.override',
      { 'docker-compose.yml': svc('a'), 'docker-compose.override.yml': svc('b') },
      '.',
      ['docker-compose.yml', 'docker-compose.override.yml'],
    ],
    [
      'searched upward',
      { 'compose.yaml': svc('a'), 'sub/deeper/readme': 'x' },
      'sub/deeper',
      ['compose.yaml'],
    ],
  ])('%s', (_, files, start, expected) => {
    tmp = tempProject(files);
    const found = discoverComposeFiles(tmp.path(start));
    expect(found?.files).toEqual(expected.map((f) => tmp!.path(f)));
  });

  it('finds nothing in an empty tree', () => {
    tmp = tempProject({});
    expect(discoverComposeFiles(tmp.dir, (p) => p === '/elsewhere/compose.yaml')).toBeUndefined();
  });

  it.each<[string, string | undefined, string[]]>([
    ['a.yml:b.yml', undefined, ['a.yml', 'b.yml']],
    ['a.yml;b.yml', ';', ['a.yml', 'b.yml']],
    ['a.yml', undefined, ['a.yml']],
    [' a.yml : : b.yml ', undefined, ['a.yml', 'b.yml']],
  ])('COMPOSE_FILE %j with separator %j', (value, sep, expected) => {
    expect(splitComposeFileVar(value, sep)).toEqual(expected);
  });
});

describe('loadProject: which files', () => {
  it('no compose file → NO_COMPOSE_FILE', async () => {
    tmp = tempProject({});
    const errors = expectErrors(await loadProject({ workingDir: tmp.dir, env: {} }));
    expect(errors[0]?.code).toBe('NO_COMPOSE_FILE');
  });

  it('the override is merged over the discovered file', async () => {
    tmp = tempProject({
      'compose.yaml': 'services:\n  s: {image: a, environment: {A: "1", B: "1"}}\n',
      'compose.override.yaml': 'services:\n  s: {image: b, environment: {B: "2"}}\n',
    });
    const p = expectOk(await loadProject({ workingDir: tmp.dir, env: {} }));
    expect(p.services.s?.image).toBe('b');
    expect(p.services.s?.environment).toEqual({ A: '1', B: '2' });
    expect(p.config_files).toEqual([tmp.path('compose.yaml'), tmp.path('compose.override.yaml')]);
  });

  it('-f files: no override discovery, later files win', async () => {
    tmp = tempProject({
      'compose.yaml': svc('a'),
      'compose.override.yaml': svc('ignored'),
      'prod.yaml': svc('prod'),
    });
    const p = expectOk(
      await loadProject({ workingDir: tmp.dir, files: ['compose.yaml', 'prod.yaml'], env: {} }),
    );
    expect(p.services.s?.image).toBe('prod');
    expect(p.config_files).toEqual([tmp.path('compose.yaml'), tmp.path('prod.yaml')]);
  });

  it('COMPOSE_FILE with the path separator', async () => {
    tmp = tempProject({ 'one.yaml': svc('one'), 'two.yaml': 'services:\n  t: {image: two}\n' });
    const p = expectOk(
      await loadProject({ workingDir: tmp.dir, env: { COMPOSE_FILE: 'one.yaml:two.yaml' } }),
    );
    expect(Object.keys(p.services).sort()).toEqual(['s', 't']);
  });

  it('COMPOSE_FILE from .env', async () => {
    tmp = tempProject({ 'x.yaml': svc('x'), '.env': 'COMPOSE_FILE=x.yaml\n' });
    const p = expectOk(await loadProject({ workingDir: tmp.dir, env: {} }));
    expect(p.services.s?.image).toBe('x');
  });

  it('-f of a missing file → FILE_NOT_FOUND', async () => {
    tmp = tempProject({});
    const errors = expectErrors(await loadProject({ workingDir: tmp.dir, files: ['nope.yaml'], env: {} }));
    expect(errors[0]).toMatchObject({ code: 'FILE_NOT_FOUND', file: tmp.path('nope.yaml') });
  });

  it('several inline texts are named <inline:N> and merged in order', async () => {
    const r = await loadProject({
      workingDir: '/srv/p',
      env: {},
      inline: [{ content: svc('a') }, { content: 'services:\n  s: {imagee: b}\n' }],
    });
    const errors = expectErrors(r);
    expect(errors[0]).toMatchObject({ code: 'UNKNOWN_KEY', file: '<inline:2>', line: 2, col: 7 });
  });

  it('errors in an override file point into that file', async () => {
    tmp = tempProject({
      'compose.yaml': svc('a'),
      'compose.override.yaml': 'services:\n  s:\n    restart: never\n',
    });
    const errors = expectErrors(await loadProject({ workingDir: tmp.dir, env: {} }));
    expect(errors[0]).toMatchObject({
      code: 'INVALID_VALUE',
      file: tmp.path('compose.override.yaml'),
      line: 3,
      col: 14,
    });
  });

  it('a directory given as -f → FILE_NOT_FOUND, not a crash', async () => {
    tmp = tempProject({ 'sub/x': '' });
    const errors = expectErrors(await loadProject({ workingDir: tmp.dir, files: ['sub'], env: {} }));
    expect(errors[0]?.code).toBe('FILE_NOT_FOUND');
    expect(errors[0]?.message).toMatch(/is a directory/);
  });

  it('an empty file is a project with no services, not a crash', async () => {
    const r = await loadProject({ workingDir: '/srv/p', env: {}, inline: [{ content: '' }] });
    expect(expectOk(r).services).toEqual({});
  });

  it('a file that is a list → SCHEMA at 1:1', async () => {
    const errors = expectErrors(
      await loadProject({ workingDir: '/srv/p', env: {}, inline: [{ content: '- a\n' }] }),
    );
    expect(errors[0]).toMatchObject({ code: 'SCHEMA', line: 1, col: 1 });
  });
});

describe('project name', () => {
  const load = (opts: {
    projectName?: string;
    env?: Record<string, string>;
    name?: string;
    dir?: string;
  }) => {
    tmp = tempProject(
      { 'compose.yaml': `${opts.name ? `name: ${opts.name}\n` : ''}${svc('a')}` },
      opts.dir ?? 'proj',
    );
    return loadProject({
      workingDir: tmp.dir,
      env: opts.env ?? {},
      ...(opts.projectName ? { projectName: opts.projectName } : {}),
    });
  };

  it.each<[string, Parameters<typeof load>[0], string]>([
    [
      '-p wins over everything',
      { projectName: 'flag', env: { COMPOSE_PROJECT_NAME: 'env' }, name: 'file' },
      'flag',
    ],
    ['COMPOSE_PROJECT_NAME beats name:', { env: { COMPOSE_PROJECT_NAME: 'env' }, name: 'file' }, 'env'],
    ['name: beats the directory', { name: 'file' }, 'file'],
    ['the directory name, normalised', { dir: 'My.Project_Dir' }, 'myproject_dir'],
    ['leading _ and - dropped from a directory name', { dir: '__-x' }, 'x'],
    ['interpolated name:', { name: '"${N:-fallback}"' }, 'fallback'],
  ])('%s', async (_, opts, expected) => {
    expect(expectOk(await load(opts)).name).toBe(expected);
  });

  it.each<[string, Parameters<typeof load>[0], RegExp]>([
    ['invalid -p', { projectName: 'Bad Name' }, /invalid project name "Bad Name" \(from -p\)/],
    ['invalid COMPOSE_PROJECT_NAME', { env: { COMPOSE_PROJECT_NAME: '-x' } }, /COMPOSE_PROJECT_NAME/],
    ['invalid name:', { name: 'UPPER' }, /top-level `name:`/],
  ])('%s → INVALID_PROJECT_NAME', async (_, opts, message) => {
    const errors = expectErrors(await load(opts));
    expect(errors[0]?.code).toBe('INVALID_PROJECT_NAME');
    expect(errors[0]?.message).toMatch(message);
  });

  it('an invalid name: is located and suggests the normalised form', async () => {
    const errors = expectErrors(await load({ name: 'My_App' }));
    expect(errors[0]).toMatchObject({ file: tmp!.path('compose.yaml'), line: 1, col: 7 });
    expect(errors[0]?.hint).toMatch(/try "my_app"/);
  });

  it('the last file with name: wins', async () => {
    tmp = tempProject({ 'a.yaml': `name: first\n${svc('a')}`, 'b.yaml': 'name: second\n' });
    const p = expectOk(await loadProject({ workingDir: tmp.dir, files: ['a.yaml', 'b.yaml'], env: {} }));
    expect(p.name).toBe('second');
  });

  it('names resources after the project', async () => {
    const p = expectOk(await load({ projectName: 'demo' }));
    expect(p.networks.default?.name).toBe('demo_default');
  });

  it('${COMPOSE_PROJECT_NAME} resolves to the project name', async () => {
    tmp = tempProject({
      'compose.yaml': 'name: app\nservices:\n  s: {image: "${COMPOSE_PROJECT_NAME}-img"}\n',
    });
    const p = expectOk(await loadProject({ workingDir: tmp.dir, env: {} }));
    expect(p.services.s?.image).toBe('app-img');
  });
});
