// biome-ignore-all lint/suspicious/noTemplateCurlyInString: compose files spell ${VAR} literally
import { afterEach, describe, expect, it } from 'vitest';
import { loadProject } from './load-project.js';
import type { LoadOptions } from './options.js';
import { expectErrors, expectOk, loadText, type TempProject, tempProject } from './temp-project.js';

let tmp: TempProject | undefined;
afterEach(() => {
  tmp?.remove();
  tmp = undefined;
});

const load = (t: TempProject, opts: Partial<LoadOptions> = {}) =>
  loadProject({ workingDir: t.dir, env: {}, projectName: 'p', ...opts });

const imageOf = (r: Awaited<ReturnType<typeof loadProject>>, service: string) =>
  expectOk(r).services[service]?.image;

describe('variables: defaults for interpolation', () => {
  it('top-level variables fill ${...} in the file, and leave the rendered model', async () => {
    const r = await loadText(
      [
        'variables: {TAG: "2.1", DB: "16"}',
        'services:',
        '  a: {image: "app:${TAG}"}',
        '  d: {image: "pg:${DB}"}',
      ].join('\n'),
    );
    const p = expectOk(r);
    expect(p.services.a?.image).toBe('app:2.1');
    expect(p.services.d?.image).toBe('pg:16');
    expect(JSON.stringify(p)).not.toContain('variables');
    expect(r.warnings).toEqual([]);
  });

  it('a value may use other variables, declared before or after it', async () => {
    const r = await loadText(
      [
        'variables:',
        '  FULL: "${REPO}:${TAG}"',
        '  REPO: "${ORG}/web"',
        '  ORG: org',
        '  TAG: "9"',
        'services:',
        '  a: {image: "${FULL}"}',
      ].join('\n'),
    );
    expect(imageOf(r, 'a')).toBe('org/web:9');
  });

  it('numbers and booleans become their text', async () => {
    const p = expectOk(
      await loadText(
        [
          'variables: {PORT: 8081, ON: false}',
          'services:',
          '  a: {image: x, ports: ["${PORT}:80"], environment: {ON: "${ON}"}}',
        ].join('\n'),
      ),
    );
    expect(p.services.a?.environment).toEqual({ ON: 'false' });
    expect(p.services.a?.ports[0]?.published).toBe('8081');
  });

  it('the environment (shell, then .env) beats --var, which beats --var-file, which beats the file', async () => {
    tmp = tempProject({
      'compose.yaml':
        'variables: {A: file, B: file, C: file, D: file}\nservices:\n  s: {image: "${A}-${B}-${C}-${D}"}\n',
      'vars.yaml': 'variables: {A: varfile, B: varfile, C: varfile}\n',
      'later.yaml': 'variables: {C: later}\n',
      '.env': 'B=dotenv\n',
    });
    const r = await load(tmp, {
      env: { A: 'shell' },
      variables: { A: 'cli', B: 'cli' },
      variableFiles: ['vars.yaml', 'later.yaml'],
    });
    expect(imageOf(r, 's')).toBe('shell-dotenv-later-file');
    const rows = r.ok ? r.variables : [];
    expect(rows?.map((v) => [v.name, v.value, v.source])).toEqual([
      ['A', 'shell', 'environment'],
      ['B', 'dotenv', 'env-file'],
      ['C', 'later', 'cli-file later.yaml'],
      ['D', 'file', 'root-inline'],
    ]);
  });

  it('variables_file: later files win, inline variables beat them', async () => {
    tmp = tempProject({
      'compose.yaml': [
        'variables_file: [v/base.yaml, v/dev.yaml]',
        'variables: {C: inline}',
        'services:',
        '  s: {image: "${A}-${B}-${C}"}',
      ].join('\n'),
      'v/base.yaml': 'variables: {A: base, B: base, C: base}\n',
      'v/dev.yaml': 'variables: {B: dev}\n',
    });
    expect(imageOf(await load(tmp), 's')).toBe('base-dev-inline');
  });

  it("an include entry's variables apply to that include only, over the included file's own", async () => {
    tmp = tempProject({
      'compose.yaml': [
        'variables: {V: parent}',
        'include:',
        '  - path: one/compose.yaml',
        '    variables: {V: one}',
        '  - path: two/compose.yaml',
        '    variables_file: vars.yaml',
        '  - three/compose.yaml',
        'services:',
        '  p: {image: "p:${V}"}',
      ].join('\n'),
      'one/compose.yaml': 'variables: {V: own}\nservices:\n  one: {image: "one:${V}"}\n',
      'two/compose.yaml': 'services:\n  two: {image: "two:${V}"}\n',
      'two/vars.yaml': 'variables: {V: two-file}\n',
      'three/compose.yaml': 'services:\n  three: {image: "three:${V:-none}"}\n',
    });
    const r = await load(tmp);
    const p = expectOk(r);
    expect([p.services.p, p.services.one, p.services.two, p.services.three].map((s) => s?.image)).toEqual([
      'p:parent',
      'one:one',
      'two:two-file',
      'three:none',
    ]);
  });

  it('--var reaches included files too', async () => {
    tmp = tempProject({
      'compose.yaml': 'include: [inc/compose.yaml]\n',
      'inc/compose.yaml': 'variables: {V: own}\nservices:\n  i: {image: "i:${V}"}\n',
    });
    expect(imageOf(await load(tmp, { variables: { V: 'cli' } }), 'i')).toBe('i:cli');
  });
});

describe('variables: located errors', () => {
  it('a missing variables_file is located at its entry', async () => {
    tmp = tempProject({ 'compose.yaml': 'variables_file:\n  - nope.yaml\nservices:\n  s: {image: x}\n' });
    const [e] = expectErrors(await load(tmp));
    expect(e).toMatchObject({ code: 'VARIABLES', file: tmp.path('compose.yaml'), line: 2, col: 5 });
    expect(e?.message).toContain('nope.yaml not found');
  });

  it("a missing include entry's variables_file is located at its entry in the including file", async () => {
    tmp = tempProject({
      'compose.yaml': 'include:\n  - path: inc/compose.yaml\n    variables_file: [gone.yaml]\n',
      'inc/compose.yaml': 'services:\n  s: {image: x}\n',
    });
    const [e] = expectErrors(await load(tmp));
    expect(e).toMatchObject({ code: 'VARIABLES', file: tmp.path('compose.yaml'), line: 3, col: 22 });
    expect(e?.message).toContain(tmp.path('inc/gone.yaml'));
  });

  it('a missing --var-file is an error naming the file', async () => {
    tmp = tempProject({ 'compose.yaml': 'services:\n  s: {image: x}\n' });
    const [e] = expectErrors(await load(tmp, { variableFiles: ['gone.yaml'] }));
    expect(e).toMatchObject({ code: 'VARIABLES', file: tmp.path('gone.yaml') });
  });

  it('a non-scalar value is located at the value', async () => {
    const [e] = expectErrors(await loadText('variables:\n  A: [1, 2]\nservices:\n  s: {image: x}\n'));
    expect(e).toMatchObject({
      code: 'INVALID_VALUE',
      file: '<inline>',
      line: 2,
      col: 6,
      path: 'variables.A',
    });
  });

  it('a bad key in a variables file is located in that file', async () => {
    tmp = tempProject({
      'compose.yaml': 'variables_file: v.yaml\nservices:\n  s: {image: x}\n',
      'v.yaml': 'variables: {A: "1"}\nservices: {}\n',
    });
    const [e] = expectErrors(await load(tmp));
    expect(e).toMatchObject({ code: 'UNKNOWN_KEY', file: tmp.path('v.yaml'), line: 2, col: 1 });
  });

  it('a cycle between variables is located', async () => {
    const [e] = expectErrors(
      await loadText('variables:\n  A: "${B}"\n  B: "x${A}"\nservices:\n  s: {image: "${A}"}\n'),
    );
    expect(e).toMatchObject({ code: 'VARIABLES', file: '<inline>', line: 2 });
  });

  it('a required variable missing inside a value is located there', async () => {
    const [e] = expectErrors(
      await loadText('variables:\n  A: "${NOPE:?set it}"\nservices:\n  s: {image: x}\n'),
    );
    expect(e).toMatchObject({ code: 'INTERPOLATION', line: 2, col: 6, path: 'variables.A' });
  });

  it('a --var name that is not a name is refused', async () => {
    const [e] = expectErrors(await loadText('services:\n  s: {image: x}\n', { variables: { '1X': 'y' } }));
    expect(e?.code).toBe('VARIABLES');
  });
});
