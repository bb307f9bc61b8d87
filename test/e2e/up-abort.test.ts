import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docker, FIXTURE_IMAGE, removeProject, serviceStates, uniqueProject } from '../support/engine.js';
import { assertBuilt, explain, type OrcEnv, orcEnv, type Result, start, stopDaemon } from './orc.js';

/**
 * `up --abort-on-container-failure`, `--attach-dependencies`, and exits seen from the engine's `die`
 * events (a container that a restart policy brings back at once is never seen exited by a poll).
 */
describe('up: abort on failure, attach dependencies, exits from events', () => {
  const o: OrcEnv = orcEnv('i18abort');
  const projects: string[] = [];

  beforeAll(() => assertBuilt());

  afterAll(async () => {
    await stopDaemon(o);
    for (const p of projects) await removeProject(p);
  });

  function app(label: string, services: string[]): { dir: string; project: string } {
    const project = uniqueProject(`i18-cmds-${label}`);
    projects.push(project);
    const dir = join(o.dir, label);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'compose.yaml'), ['services:', ...services, ''].join('\n'));
    return { dir, project };
  }

  const service = (name: string, command: string, extra: string[] = []) => [
    `  ${name}:`,
    `    image: ${FIXTURE_IMAGE}`,
    `    command: ["sh", "-c", "${command}"]`,
    '    stop_grace_period: 1s',
    ...extra.map((l) => `    ${l}`),
  ];

  /** Runs `orc`, killed after `ms` (a hang is a failure with the output so far, not a stuck suite). */
  async function orcWithin(ms: number, args: string[], dir: string): Promise<Result> {
    const { child, result } = start(o, args, { cwd: dir });
    const timer = setTimeout(() => child.kill('SIGKILL'), ms);
    try {
      return await result;
    } finally {
      clearTimeout(timer);
    }
  }

  it('--abort-on-container-exit sees a container with restart: always that exits at once', async () => {
    const { dir, project } = app('restarting', [
      ...service('web', 'echo web up; exec sleep 300'),
      ...service('crash', 'echo crashing; exit 3', ['restart: always']),
    ]);
    const r = await orcWithin(
      60_000,
      ['-p', project, '--ansi', 'never', 'up', '--abort-on-container-exit'],
      dir,
    );
    // A poll finds it `running` or `restarting`, never exited: `up` would follow for ever (killed: null).
    expect(r.code, explain(r)).toBe(3);
    expect(r.stdout).toMatch(/^crash-1 exited with code 3$/m);
    expect(r.stderr).toContain('Aborting on container exit...');
    expect(await serviceStates(project)).toEqual(['crash=exited', 'web=exited']);
  }, 90_000);

  it('--abort-on-container-failure: an exit 0 does not abort, the first non-zero exit does with its code', async () => {
    const { dir, project } = app('failure', [
      ...service('web', 'echo web up; exec sleep 300'),
      ...service('ok', 'echo ok done; exit 0'),
      ...service('bad', 'sleep 3; echo bad done; exit 4'),
    ]);
    const r = await orcWithin(
      60_000,
      ['-p', project, '--ansi', 'never', 'up', '--abort-on-container-failure'],
      dir,
    );
    expect(r.code, explain(r)).toBe(4);
    expect(r.stdout).toMatch(/^ok-1 exited with code 0$/m);
    expect(r.stdout).toMatch(/^bad-1 exited with code 4$/m);
    // ok's exit came first and was not the abort: web kept running until bad failed.
    expect(r.stdout).toMatch(/^bad-1\s+\| bad done$/m);
    expect(r.stderr).toContain('Aborting on container exit...');
    expect(await serviceStates(project)).toEqual(['bad=exited', 'ok=exited', 'web=exited']);
  }, 90_000);

  it('--attach-dependencies follows the named service’s dependencies; without it only the named one', async () => {
    // Two projects: a web left running by the first `up` would print nothing new for the second.
    const files = (label: string) =>
      app(label, [
        ...service('web', 'echo web up; exec sleep 300'),
        ...service('tests', 'sleep 2; echo tests done; exit 0', ['depends_on: [web]']),
      ]);
    const args = (project: string) => ['-p', project, '--ansi', 'never', 'up', '--exit-code-from', 'tests'];
    const a = files('deps-plain');
    const plain = await orcWithin(60_000, [...args(a.project), 'tests'], a.dir);
    expect(plain.code, explain(plain)).toBe(0);
    expect(plain.stdout).toMatch(/^Attaching to tests-1$/m);
    expect(plain.stdout).not.toMatch(/web up/);
    const b = files('deps-with');
    const deps = await orcWithin(60_000, [...args(b.project), '--attach-dependencies', 'tests'], b.dir);
    expect(deps.code, explain(deps)).toBe(0);
    expect(deps.stdout).toMatch(/^Attaching to tests-1, web-1$/m);
    expect(deps.stdout).toMatch(/^web-1\s+\| web up$/m);
    expect(deps.stdout).toMatch(/^tests-1\s+\| tests done$/m);
  }, 120_000);

  it('refuses the combinations compose refuses, with exit code 2 before acting', async () => {
    const { dir, project } = app('usage', [...service('web', 'exec sleep 300')]);
    const cases: Array<[string[], RegExp]> = [
      [['-d', '--abort-on-container-failure'], /-d cannot be combined with .*--abort-on-container-failure/],
      [['-d', '--attach-dependencies'], /-d cannot be combined with .*--attach-dependencies/],
      [
        ['--abort-on-container-exit', '--abort-on-container-failure'],
        /--abort-on-container-failure cannot be combined with --abort-on-container-exit/,
      ],
      [
        ['--attach', 'web', '--attach-dependencies'],
        /--attach-dependencies cannot be combined with --attach/,
      ],
    ];
    for (const [flags, message] of cases) {
      const r = await orcWithin(30_000, ['-p', project, 'up', ...flags], dir);
      expect(r.code, explain(r)).toBe(2);
      expect(r.stderr).toMatch(message);
    }
    expect(await docker('ps', '-aq', '--filter', `label=com.docker.compose.project=${project}`)).toBe('');
  }, 120_000);
});
