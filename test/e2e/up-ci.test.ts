import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docker, FIXTURE_IMAGE, removeProject, serviceStates, uniqueProject } from '../support/engine.js';
import { assertBuilt, explain, type OrcEnv, orc, orcEnv, stopDaemon } from './orc.js';

/** Stops this file's daemon (by its pid) and lets the next command start a new one, state kept. */
async function restartDaemon(o: OrcEnv): Promise<void> {
  const pid = o.daemonPid;
  if (pid === undefined) throw new Error('no daemon pid seen');
  process.kill(pid, 'SIGTERM');
  for (let i = 0; i < 100; i++) {
    try {
      process.kill(pid, 0);
    } catch {
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  delete o.daemonPid;
  const r = await orc(o, ['ls']);
  expect(r.code, explain(r)).toBe(0);
}

/** `up --exit-code-from` / `--abort-on-container-exit` as a CI job runs them: tests against a live web. */
describe('up for CI', () => {
  const o: OrcEnv = orcEnv('upci');
  const projects: string[] = [];

  beforeAll(() => assertBuilt());

  afterAll(async () => {
    // The daemon repairs drift: stop it before removing what it keeps, or it recreates it.
    await stopDaemon(o);
    for (const p of projects) await removeProject(p);
  });

  function app(label: string, testsExit: number): { dir: string; project: string } {
    const project = uniqueProject(label);
    projects.push(project);
    const dir = join(o.dir, label);
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'compose.yaml'),
      [
        'services:',
        '  web:',
        `    image: ${FIXTURE_IMAGE}`,
        '    command: ["sh", "-c", "echo web up; exec sleep 300"]',
        '    stop_grace_period: 1s',
        '  tests:',
        `    image: ${FIXTURE_IMAGE}`,
        `    command: ["sh", "-c", "sleep 2; echo tests done; exit ${testsExit}"]`,
        '    depends_on: [web]',
        '',
      ].join('\n'),
    );
    return { dir, project };
  }

  it('--exit-code-from tests: exits with the tests’ code and stops web, as compose does', async () => {
    const { dir, project } = app('upci-fail', 3);
    const r = await orc(o, ['-p', project, '--ansi', 'never', 'up', '--exit-code-from', 'tests'], {
      cwd: dir,
    });
    expect(r.code, explain(r)).toBe(3);
    expect(r.stdout).toMatch(/^tests-1\s+\| tests done$/m);
    expect(r.stdout).toMatch(/^tests-1 exited with code 3$/m);
    expect(r.stderr).toContain('Aborting on container exit...');
    // web was stopped by the abort, not reported as an exit of its own.
    expect(r.stdout).not.toMatch(/^web-1 exited/m);
    expect(await serviceStates(project)).toEqual(['tests=exited', 'web=exited']);
  });

  it('--exit-code-from tests: exit 0 when the tests pass', async () => {
    const { dir, project } = app('upci-pass', 0);
    const r = await orc(o, ['-p', project, '--ansi', 'never', 'up', '--exit-code-from', 'tests'], {
      cwd: dir,
    });
    expect(r.code, explain(r)).toBe(0);
    expect(r.stdout).toMatch(/^tests-1 exited with code 0$/m);
    expect(await serviceStates(project)).toEqual(['tests=exited', 'web=exited']);
  });

  it('--abort-on-container-exit: the first exit’s code, the others stopped; --no-log-prefix', async () => {
    const { dir, project } = app('upci-abort', 5);
    const r = await orc(
      o,
      ['-p', project, '--ansi', 'never', 'up', '--abort-on-container-exit', '--no-log-prefix'],
      { cwd: dir },
    );
    expect(r.code, explain(r)).toBe(5);
    expect(r.stdout).toMatch(/^tests done$/m);
    expect(r.stdout).toMatch(/^web up$/m);
    expect(await serviceStates(project)).toEqual(['tests=exited', 'web=exited']);
  });

  it('refuses -d with --exit-code-from, and an unknown service, with exit code 2 before acting', async () => {
    const { dir, project } = app('upci-usage', 0);
    const d = await orc(o, ['-p', project, 'up', '-d', '--exit-code-from', 'tests'], { cwd: dir });
    expect(d.code, explain(d)).toBe(2);
    expect(d.stderr).toMatch(/-d cannot be combined with --abort-on-container-exit/);
    const unknown = await orc(o, ['-p', project, 'up', '--exit-code-from', 'nope'], { cwd: dir });
    expect(unknown.code, explain(unknown)).toBe(2);
    expect(unknown.stderr).toMatch(/no such service: nope/);
    expect(await docker('ps', '-aq', '--filter', `label=com.docker.compose.project=${project}`)).toBe('');
  });

  it('--no-start creates the containers and the daemon leaves them created until up starts them', async () => {
    const { dir, project } = app('upci-nostart', 0);
    const r = await orc(o, ['-p', project, 'up', '--no-start'], { cwd: dir });
    expect(r.code, explain(r)).toBe(0);
    expect(await serviceStates(project)).toEqual(['tests=created', 'web=created']);
    // A daemon that starts converges every project it keeps: it must not start what --no-start only created.
    await restartDaemon(o);
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(await serviceStates(project)).toEqual(['tests=created', 'web=created']);
    const d = await orc(o, ['-p', project, 'up', '-d', 'web'], { cwd: dir });
    expect(d.code, explain(d)).toBe(0);
    expect(await serviceStates(project)).toEqual(['tests=created', 'web=running']);
  });
});
