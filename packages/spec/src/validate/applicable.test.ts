import { afterEach, describe, expect, it } from 'vitest';
import { loadProject } from '../load/load-project.js';
import { expectErrors, expectOk, loadText, type TempProject, tempProject } from '../load/temp-project.js';
import type { Project } from '../model/project.js';
import { problemsFor } from './applicable.js';

// Issue 21 item 3: a missing env_file and a container_name clash fail only the commands that act on the
// services concerned, as compose does; the load itself succeeds and carries them on the Project.

let tmp: TempProject | undefined;
afterEach(() => {
  tmp?.remove();
  tmp = undefined;
});

const yaml = (...lines: string[]) => `${lines.join('\n')}\n`;

async function loadDir(files: Record<string, string>, extra: { profiles?: string[] } = {}): Promise<Project> {
  tmp = tempProject(files);
  return expectOk(await loadProject({ workingDir: tmp.dir, env: {}, ...extra }));
}

/** The codes and paths that apply to a selection: compact enough for a table. */
const applied = (p: Project, selected: string[]) =>
  problemsFor(p, selected).map((x) => `${x.code} ${x.path} ${x.message.replace(tmp?.dir ?? '\0', '<dir>')}`);

describe('a missing required env_file is a problem of its service only', () => {
  const files = {
    'compose.yaml': yaml(
      'services:',
      '  a: {image: x}',
      '  b:',
      '    image: x',
      '    env_file:',
      '      - gone.env',
      '  c: {image: x, depends_on: [b]}',
    ),
  };

  it('the load succeeds and records it, located as the load error was', async () => {
    const p = await loadDir(files);
    expect(p.serviceProblems).toEqual([
      {
        code: 'ENV_FILE',
        services: ['b'],
        file: tmp!.path('compose.yaml'),
        line: 6,
        col: 9,
        path: 'services.b.env_file[0]',
        message: `env file ${tmp!.path('gone.env')} not found`,
        hint: 'create the file, or declare it with `required: false`',
      },
    ]);
  });

  it.each([
    [['a'], []],
    [[], []],
    [['b'], ['ENV_FILE services.b.env_file[0] env file <dir>/gone.env not found']],
    [['a', 'b'], ['ENV_FILE services.b.env_file[0] env file <dir>/gone.env not found']],
    // The caller expands depends_on: c alone does not select b.
    [['c'], []],
    [['c', 'b'], ['ENV_FILE services.b.env_file[0] env file <dir>/gone.env not found']],
  ])('selected %j → %j', async (selected, expected) => {
    const p = await loadDir(files);
    expect(applied(p, selected)).toEqual(expected);
  });

  it('is returned exactly as the located load error it used to be (no services field)', async () => {
    const p = await loadDir(files);
    const [e] = problemsFor(p, ['b']);
    expect(e).toEqual({
      code: 'ENV_FILE',
      file: tmp!.path('compose.yaml'),
      line: 6,
      col: 9,
      path: 'services.b.env_file[0]',
      message: `env file ${tmp!.path('gone.env')} not found`,
      hint: 'create the file, or declare it with `required: false`',
    });
  });

  it('each missing entry is its own problem; present and optional ones are none', async () => {
    const p = await loadDir({
      'compose.yaml': yaml(
        'services:',
        '  b:',
        '    image: x',
        '    env_file:',
        '      - one.env',
        '      - here.env',
        '      - {path: optional.env, required: false}',
        '      - two.env',
      ),
      'here.env': 'A=1\n',
    });
    expect(applied(p, ['b']).map((s) => s.split(' ')[1])).toEqual([
      'services.b.env_file[0]',
      'services.b.env_file[3]',
    ]);
    // What could be read is still read.
    expect(p.services.b?.environment).toEqual({ A: '1' });
  });

  it('the string form is located at the value', async () => {
    const p = await loadDir({
      'compose.yaml': yaml('services:', '  b:', '    image: x', '    env_file: gone.env'),
    });
    expect(problemsFor(p, ['b'])[0]).toMatchObject({ line: 4, col: 15, path: 'services.b.env_file' });
  });

  it('no problem leaves no serviceProblems field (the model is unchanged)', async () => {
    const p = await loadDir({
      'compose.yaml': yaml('services:', '  b: {image: x, env_file: [here.env]}'),
      'here.env': 'A=1\n',
    });
    expect('serviceProblems' in p).toBe(false);
    expect(problemsFor(p, ['b'])).toEqual([]);
  });

  it('a service disabled by profiles has none; enabling the profile brings it', async () => {
    const files = {
      'compose.yaml': yaml(
        'services:',
        '  a: {image: x}',
        '  dbg: {image: x, profiles: [debug], env_file: gone.env}',
      ),
    };
    expect((await loadDir(files)).serviceProblems).toBeUndefined();
    tmp?.remove();
    const p = await loadDir(files, { profiles: ['debug'] });
    expect(applied(p, ['dbg'])).toHaveLength(1);
    expect(applied(p, ['a'])).toEqual([]);
  });

  it('an included service keeps its own file and line', async () => {
    const p = await loadDir({
      'compose.yaml': yaml('include: [inc/compose.yaml]', 'services:', '  a: {image: x}'),
      'inc/compose.yaml': yaml('services:', '  b:', '    image: x', '    env_file: gone.env'),
    });
    expect(problemsFor(p, ['a'])).toEqual([]);
    expect(problemsFor(p, ['b'])[0]).toMatchObject({
      code: 'ENV_FILE',
      file: tmp!.path('inc/compose.yaml'),
      line: 4,
      path: 'services.b.env_file',
    });
  });

  it('an env_file that exists but does not parse still fails the load', async () => {
    tmp = tempProject({
      'compose.yaml': yaml('services:', '  b: {image: x, env_file: bad.env}'),
      'bad.env': 'A="unclosed\n',
    });
    const errors = expectErrors(await loadProject({ workingDir: tmp.dir, env: {} }));
    expect(errors[0]?.code).toBe('ENV_FILE');
  });

  it('a missing --env-file (the project environment) still fails the load', async () => {
    tmp = tempProject({ 'compose.yaml': yaml('services:', '  a: {image: x}') });
    const errors = expectErrors(await loadProject({ workingDir: tmp.dir, env: {}, envFiles: ['nope.env'] }));
    expect(errors[0]?.code).toBe('ENV_FILE');
  });
});

describe('a container_name clash applies only when two of its services are selected', () => {
  const two = yaml(
    'services:',
    '  a: {image: x, container_name: same}',
    '  test:',
    '    image: x',
    '    container_name: same',
    '  other: {image: x}',
  );

  it('the load succeeds and records it, located at the later service', async () => {
    const p = expectOk(await loadText(two));
    expect(p.serviceProblems).toEqual([
      {
        code: 'DUPLICATE_CONTAINER_NAME',
        services: ['a', 'test'],
        file: '<inline>',
        line: 5,
        col: 21,
        path: 'services.test.container_name',
        message: 'container_name "same" is also used by service "a"',
        hint: 'container names must be unique on the engine',
      },
    ]);
  });

  it.each([
    [['test'], 0],
    [['a'], 0],
    [['a', 'other'], 0],
    [['test', 'other'], 0],
    [['a', 'test'], 1],
    [['a', 'test', 'other'], 1],
  ])('selected %j → %i problem(s)', async (selected, n) => {
    const p = expectOk(await loadText(two));
    expect(problemsFor(p, selected)).toHaveLength(n);
  });

  const three = yaml(
    'services:',
    '  a: {image: x, container_name: same}',
    '  b: {image: x, container_name: same}',
    '  c: {image: x, container_name: same}',
    '  d: {image: x, container_name: own}',
  );

  it.each([
    // Everything: one problem per later service, naming the first (as the whole-project check did).
    [
      ['a', 'b', 'c', 'd'],
      ['services.b: "a"', 'services.c: "a"'],
    ],
    [['a', 'b'], ['services.b: "a"']],
    [['a', 'c'], ['services.c: "a"']],
    // Without a, c clashes with b: the message names the service that is actually selected.
    [['b', 'c'], ['services.c: "b"']],
    [['b', 'd'], []],
    [['c'], []],
  ])('three services share a name; selected %j → %j', async (selected, expected) => {
    const p = expectOk(await loadText(three));
    expect(
      problemsFor(p, selected).map(
        (x) => `${x.path?.replace('.container_name', '')}: ${x.message.match(/"[a-z]+"$/)?.[0]}`,
      ),
    ).toEqual(expected);
  });

  it('--no-consistency (skipConsistencyCheck) records no clash', async () => {
    const p = expectOk(await loadText(two, { skipConsistencyCheck: true }));
    expect(p.serviceProblems).toBeUndefined();
  });

  it('distinct names are no problem', async () => {
    const p = expectOk(
      await loadText(
        yaml('services:', '  a: {image: x, container_name: one}', '  b: {image: x, container_name: two}'),
      ),
    );
    expect(problemsFor(p, ['a', 'b'])).toEqual([]);
  });
});

describe('both kinds together, in the order the loader found them', () => {
  it('an env_file problem before a clash; each applies on its own terms', async () => {
    const p = await loadDir({
      'compose.yaml': yaml(
        'services:',
        '  a: {image: x, container_name: same, env_file: gone.env}',
        '  b: {image: x, container_name: same}',
      ),
    });
    expect(problemsFor(p, ['a', 'b']).map((x) => x.code)).toEqual(['ENV_FILE', 'DUPLICATE_CONTAINER_NAME']);
    expect(problemsFor(p, ['a']).map((x) => x.code)).toEqual(['ENV_FILE']);
    expect(problemsFor(p, ['b'])).toEqual([]);
  });

  it('a selection naming unknown services selects nothing more', async () => {
    const p = expectOk(await loadText(yaml('services:', '  a: {image: x}')));
    expect(problemsFor(p, ['nope'])).toEqual([]);
    expect(problemsFor(p, new Set(['a']))).toEqual([]);
  });
});
