// biome-ignore-all lint/suspicious/noTemplateCurlyInString: compose files spell ${VAR} literally
import { afterEach, describe, expect, it } from 'vitest';
import { loadProject } from './load-project.js';
import { expectErrors, expectErrorsForAll, expectOk, type TempProject, tempProject } from './temp-project.js';

let tmp: TempProject | undefined;
afterEach(() => {
  tmp?.remove();
  tmp = undefined;
});

const compose = 'services:\n  s:\n    image: "img:${TAG:-default}"\n';

describe('environment precedence for interpolation', () => {
  it.each<[string, Record<string, string>, Record<string, string>, string[] | undefined, string]>([
    ['default when nothing is set', {}, {}, undefined, 'img:default'],
    ['.env in the project directory', { '.env': 'TAG=dotenv\n' }, {}, undefined, 'img:dotenv'],
    ['the client env beats .env', { '.env': 'TAG=dotenv\n' }, { TAG: 'client' }, undefined, 'img:client'],
    ['--env-file replaces .env', { '.env': 'TAG=dotenv\n', e1: 'TAG=e1\n' }, {}, ['e1'], 'img:e1'],
    ['several --env-file: later wins', { e1: 'TAG=e1\n', e2: 'TAG=e2\n' }, {}, ['e1', 'e2'], 'img:e2'],
    ['the client env beats --env-file', { e1: 'TAG=e1\n' }, { TAG: 'client' }, ['e1'], 'img:client'],
    ['.env may refer to the client env', { '.env': 'TAG=${BASE}-x\n' }, { BASE: 'b' }, undefined, 'img:b-x'],
    ['an empty client value still wins', { '.env': 'TAG=dotenv\n' }, { TAG: '' }, undefined, 'img:default'],
  ])('%s', async (_, files, env, envFiles, expected) => {
    tmp = tempProject({ 'compose.yaml': compose, ...files });
    const p = expectOk(await loadProject({ workingDir: tmp.dir, env, ...(envFiles ? { envFiles } : {}) }));
    expect(p.services.s?.image).toBe(expected);
  });

  it('never reads the daemon process environment', async () => {
    process.env.ORC_SECRET_FOR_TEST = 'leak';
    try {
      const r = await loadProject({
        workingDir: '/srv/p',
        env: {},
        inline: [{ content: 'services:\n  s: {image: "x${ORC_SECRET_FOR_TEST}"}\n' }],
      });
      expect(expectOk(r).services.s?.image).toBe('x');
    } finally {
      delete process.env.ORC_SECRET_FOR_TEST;
    }
  });

  it('a missing --env-file is an ENV_FILE error', async () => {
    tmp = tempProject({ 'compose.yaml': compose });
    const errors = expectErrors(await loadProject({ workingDir: tmp.dir, env: {}, envFiles: ['nope.env'] }));
    expect(errors[0]).toMatchObject({ code: 'ENV_FILE', file: tmp.path('nope.env') });
  });

  it('a bad line in .env is located', async () => {
    tmp = tempProject({ 'compose.yaml': compose, '.env': 'OK=1\nNOT VALID LINE\n' });
    const errors = expectErrors(await loadProject({ workingDir: tmp.dir, env: {} }));
    expect(errors[0]).toMatchObject({ code: 'ENV_FILE', file: tmp.path('.env'), line: 2 });
  });

  it('COMPOSE_PROJECT_NAME and COMPOSE_PROFILES from .env take effect', async () => {
    tmp = tempProject({
      'compose.yaml': 'services:\n  a: {image: x}\n  b: {image: x, profiles: [dev]}\n',
      '.env': 'COMPOSE_PROJECT_NAME=fromdotenv\nCOMPOSE_PROFILES=dev\n',
    });
    const p = expectOk(await loadProject({ workingDir: tmp.dir, env: {} }));
    expect(p.name).toBe('fromdotenv');
    expect(Object.keys(p.services).sort()).toEqual(['a', 'b']);
  });
});

describe('env_file and environment of a service', () => {
  it.each<[string, string, Record<string, string>, Record<string, string | null>]>([
    ['string form', 'env_file: a.env', { 'a.env': 'A=1\n' }, { A: '1' }],
    [
      'list form, later file wins',
      'env_file: [a.env, b.env]',
      { 'a.env': 'A=1\nB=1\n', 'b.env': 'B=2\n' },
      { A: '1', B: '2' },
    ],
    [
      'environment wins over env_file',
      'env_file: a.env\n    environment: {A: inline}',
      { 'a.env': 'A=1\n' },
      { A: 'inline' },
    ],
    [
      'long form, optional file missing',
      'env_file: [{path: missing.env, required: false}, a.env]',
      { 'a.env': 'A=1\n' },
      { A: '1' },
    ],
    [
      'raw format keeps quotes and $',
      'env_file: [{path: r.env, format: raw}]',
      { 'r.env': 'A="$X"\n' },
      { A: '"$X"' },
    ],
    ['values can use the project env', 'env_file: a.env', { 'a.env': 'A=${HOME}/x\n' }, { A: '/home/t/x' }],
  ])('%s', async (_, yaml, files, expected) => {
    tmp = tempProject({ 'compose.yaml': `services:\n  s:\n    image: x\n    ${yaml}\n`, ...files });
    const p = expectOk(await loadProject({ workingDir: tmp.dir, env: { HOME: '/home/t' } }));
    expect(p.services.s?.environment).toEqual(expected);
  });

  it('a missing required env_file is located at its entry (a problem of its service, not of the load)', async () => {
    tmp = tempProject({ 'compose.yaml': 'services:\n  s:\n    image: x\n    env_file:\n      - gone.env\n' });
    const errors = expectErrorsForAll(await loadProject({ workingDir: tmp.dir, env: {} }));
    expect(errors[0]).toMatchObject({ code: 'ENV_FILE', line: 5, col: 9, path: 'services.s.env_file[0]' });
    expect(errors[0]?.hint).toMatch(/required: false/);
  });
});

describe('.env of the directory compose runs in, over the project directory one (issue 21 item 4)', () => {
  it('in a nested folder the nearer .env wins, for variables and COMPOSE_PROFILES', async () => {
    tmp = tempProject({
      'compose.yaml':
        'services:\n  s:\n    image: "img:${TAG}"\n  dbg:\n    image: d\n    profiles: [debug]\n',
      '.env': 'TAG=project\nONLY_PROJECT=p\n',
      'sub/.env': 'TAG=nearer\nCOMPOSE_PROFILES=debug\n',
    });
    const p = expectOk(
      await loadProject({ workingDir: tmp.path('sub'), files: ['../compose.yaml'], env: {} }),
    );
    expect(p.services.s?.image).toBe('img:nearer');
    expect(Object.keys(p.services).sort()).toEqual(['dbg', 's']);
    // The client's environment still wins over both files.
    const q = expectOk(
      await loadProject({ workingDir: tmp.path('sub'), files: ['../compose.yaml'], env: { TAG: 'client' } }),
    );
    expect(q.services.s?.image).toBe('img:client');
  });

  it('run from the project directory itself, only its .env counts', async () => {
    tmp = tempProject({
      'compose.yaml': 'services:\n  s:\n    image: "img:${TAG}"\n',
      '.env': 'TAG=project\n',
    });
    expect(expectOk(await loadProject({ workingDir: tmp.dir, env: {} })).services.s?.image).toBe(
      'img:project',
    );
  });
});
