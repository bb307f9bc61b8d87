// biome-ignore-all lint/suspicious/noTemplateCurlyInString: compose files spell ${VAR} literally
import { afterEach, describe, expect, it } from 'vitest';
import { loadProject } from './load-project.js';
import { expectErrors, expectOk, loadText, type TempProject, tempProject } from './temp-project.js';

let tmp: TempProject | undefined;
afterEach(() => {
  tmp?.remove();
  tmp = undefined;
});

describe('extends', () => {
  it('same file: the base is merged under the service', async () => {
    const p = expectOk(
      await loadText(
        [
          'services:',
          '  base: {image: x, environment: {A: "1", B: "1"}, ports: ["80"]}',
          '  web: {extends: base, environment: {B: "2"}, ports: ["81"]}',
        ].join('\n'),
      ),
    );
    expect(p.services.web?.image).toBe('x');
    expect(p.services.web?.environment).toEqual({ A: '1', B: '2' });
    expect(p.services.web?.ports.map((x) => x.target)).toEqual([80, 81]);
  });

  it('long form {service}', async () => {
    const p = expectOk(await loadText('services:\n  b: {image: y}\n  w: {extends: {service: b}}\n'));
    expect(p.services.w?.image).toBe('y');
  });

  it('chains: c extends b extends a', async () => {
    const p = expectOk(
      await loadText(
        [
          'services:',
          '  a: {image: a, labels: {from: a}}',
          '  b: {extends: a, user: bob}',
          '  c: {extends: b, hostname: c}',
        ].join('\n'),
      ),
    );
    expect(p.services.c).toMatchObject({ image: 'a', user: 'bob', hostname: 'c', labels: { from: 'a' } });
  });

  it('another file, with relative paths resolved against that file', async () => {
    tmp = tempProject({
      'compose.yaml': 'services:\n  web:\n    extends: {file: common/base.yaml, service: app}\n',
      'common/base.yaml':
        'services:\n  app:\n    build: ./ctx\n    volumes: ["./data:/data"]\n    env_file: app.env\n',
      'common/app.env': 'FROM_BASE=yes\n',
    });
    const p = expectOk(await loadProject({ workingDir: tmp.dir, env: {} }));
    const web = p.services.web!;
    expect(web.build?.context).toBe(tmp.path('common/ctx'));
    expect(web.volumes[0]?.source).toBe(tmp.path('common/data'));
    expect(web.environment).toEqual({ FROM_BASE: 'yes' });
    expect(p.services.app).toBeUndefined();
  });

  it('a chain across files', async () => {
    tmp = tempProject({
      'compose.yaml': 'services:\n  web: {extends: {file: a/one.yaml, service: one}}\n',
      'a/one.yaml': 'services:\n  one: {extends: {file: ../b/two.yaml, service: two}, user: one}\n',
      'b/two.yaml': 'services:\n  two: {image: two}\n',
    });
    const p = expectOk(await loadProject({ workingDir: tmp.dir, env: {} }));
    expect(p.services.web).toMatchObject({ image: 'two', user: 'one' });
  });

  it.each<[string, Record<string, string>, RegExp]>([
    [
      'missing file',
      { 'compose.yaml': 'services:\n  w: {extends: {file: nope.yaml, service: a}}\n' },
      /not found/,
    ],
    [
      'unknown service in the other file',
      {
        'compose.yaml': 'services:\n  w: {extends: {file: o.yaml, service: app}}\n',
        'o.yaml': 'services:\n  apps: {image: x}\n',
      },
      /has no such service/,
    ],
    [
      'a cycle across files',
      {
        'compose.yaml': 'services:\n  w: {extends: {file: o.yaml, service: a}}\n',
        'o.yaml': 'services:\n  a: {extends: b}\n  b: {extends: a}\n',
      },
      /extends cycle: a -> b -> a/,
    ],
    [
      'self extension',
      { 'compose.yaml': 'services:\n  w: {extends: w, image: x}\n' },
      /extends cycle: w -> w/,
    ],
  ])('%s → EXTENDS', async (_, files, message) => {
    tmp = tempProject(files);
    const errors = expectErrors(await loadProject({ workingDir: tmp.dir, env: {} }));
    const e = errors.find((x) => x.code === 'EXTENDS');
    expect(e?.message, JSON.stringify(errors)).toMatch(message);
  });
});

describe('include', () => {
  it('short form: the included services join the project with the same name', async () => {
    tmp = tempProject({
      'compose.yaml': 'include: [db/compose.yaml]\nservices:\n  web: {image: x, depends_on: [db]}\n',
      'db/compose.yaml':
        'services:\n  db:\n    image: pg\n    volumes: ["./init:/init", "data:/var/lib"]\nvolumes:\n  data: {}\n',
    });
    const p = expectOk(await loadProject({ workingDir: tmp.dir, env: {}, projectName: 'app' }));
    expect(Object.keys(p.services).sort()).toEqual(['db', 'web']);
    expect(p.services.db?.volumes[0]?.source).toBe(tmp.path('db/init'));
    expect(p.volumes.data?.name).toBe('app_data');
    expect(p.config_files).toContain(tmp.path('db/compose.yaml'));
  });

  it('long form with project_directory and env_file', async () => {
    tmp = tempProject({
      'compose.yaml':
        'include:\n  - path: inc/compose.yaml\n    project_directory: other\n    env_file: inc/vars.env\n',
      'inc/compose.yaml': 'services:\n  s:\n    image: "img:${V}"\n    build: .\n',
      'inc/vars.env': 'V=7\n',
      'other/.keep': '',
    });
    const p = expectOk(await loadProject({ workingDir: tmp.dir, env: {} }));
    expect(p.services.s?.image).toBe('img:7');
    expect(p.services.s?.build?.context).toBe(tmp.path('other'));
  });

  it('the included directory .env is used by default', async () => {
    tmp = tempProject({
      'compose.yaml': 'include: [sub/compose.yaml]\n',
      'sub/compose.yaml': 'services:\n  s: {image: "i:${V}"}\n',
      'sub/.env': 'V=sub\n',
    });
    const p = expectOk(await loadProject({ workingDir: tmp.dir, env: {} }));
    expect(p.services.s?.image).toBe('i:sub');
  });

  it.each<[string, Record<string, string>, RegExp]>([
    [
      'a cycle',
      {
        'compose.yaml': 'include: [a.yaml]\n',
        'a.yaml': 'include: [b.yaml]\n',
        'b.yaml': 'include: [a.yaml]\n',
      },
      /include cycle: .*a\.yaml -> .*b\.yaml -> .*a\.yaml/,
    ],
    ['a missing file', { 'compose.yaml': 'include: [gone.yaml]\n' }, /included file .*gone\.yaml not found/],
    [
      'a chain deeper than 16 levels',
      Object.fromEntries(
        Array.from({ length: 20 }, (_, i) => [
          i === 0 ? 'compose.yaml' : `f${i}.yaml`,
          `include: [f${i + 1}.yaml]\n`,
        ]),
      ),
      /more than 16 levels/,
    ],
    [
      'a conflicting redefinition',
      {
        'compose.yaml': 'include: [a.yaml]\nservices:\n  s: {image: mine}\n',
        'a.yaml': 'services:\n  s: {image: theirs}\n',
      },
      /services\.s conflicts/,
    ],
  ])('%s → INCLUDE', async (_, files, message) => {
    tmp = tempProject(files);
    const errors = expectErrors(await loadProject({ workingDir: tmp.dir, env: {} }));
    const e = errors.find((x) => x.code === 'INCLUDE');
    expect(e?.message, JSON.stringify(errors)).toMatch(message);
    expect(e?.file).toBeDefined();
  });
});

describe('multi-file merge with !reset and !override', () => {
  it.each<[string, string, (p: Awaited<ReturnType<typeof expectOk>>) => unknown, unknown]>([
    ['!reset drops a list', 'services:\n  s:\n    ports: !reset []\n', (p) => p.services.s?.ports, []],
    ['!reset drops a key', 'services:\n  s:\n    user: !reset null\n', (p) => p.services.s?.user, undefined],
    [
      '!override replaces a map',
      'services:\n  s:\n    environment: !override {C: "3"}\n',
      (p) => p.services.s?.environment,
      { C: '3' },
    ],
    [
      'plain merge appends ports',
      'services:\n  s:\n    ports: ["90:90"]\n',
      (p) => p.services.s?.ports.length,
      2,
    ],
    [
      'plain merge merges environment',
      'services:\n  s:\n    environment: {C: "3"}\n',
      (p) => p.services.s?.environment,
      { A: '1', C: '3' },
    ],
  ])('%s', async (_, override, pick, expected) => {
    tmp = tempProject({
      'compose.yaml':
        'services:\n  s:\n    image: x\n    user: u\n    ports: ["80:80"]\n    environment: {A: "1"}\n',
      'override.yaml': override,
    });
    const p = expectOk(
      await loadProject({ workingDir: tmp.dir, files: ['compose.yaml', 'override.yaml'], env: {} }),
    );
    expect(pick(p)).toEqual(expected);
  });
});
