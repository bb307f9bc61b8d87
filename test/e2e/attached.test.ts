import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docker, FIXTURE_IMAGE, removeProject, uniqueProject } from '../support/engine.js';
import { assertBuilt, explain, type OrcEnv, orc, orcEnv, start, stopDaemon, waitForOutput } from './orc.js';

describe('attached up', () => {
  const o: OrcEnv = orcEnv('attach');
  const project = uniqueProject('attach');
  const oneshot = uniqueProject('oneshot');

  beforeAll(() => assertBuilt());

  afterAll(async () => {
    // The daemon repairs drift: stop it before removing what it keeps, or it recreates it.
    await stopDaemon(o);
    await removeProject(project);
    await removeProject(oneshot);
  });

  it('streams the services’ logs with prefixes, and Ctrl-C stops them like compose', async () => {
    const dir = join(o.dir, 'app');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'compose.yaml'),
      [
        'services:',
        '  ticker:',
        `    image: ${FIXTURE_IMAGE}`,
        '    command: ["sh", "-c", "trap \'echo bye; exit 0\' TERM; while true; do echo tick; sleep 0.3; done"]',
        '  quiet:',
        `    image: ${FIXTURE_IMAGE}`,
        '    command: ["sh", "-c", "echo hello from quiet; exec sleep 300"]',
        '    stop_grace_period: 1s',
        '',
      ].join('\n'),
    );
    const run = start(o, ['-p', project, '--ansi', 'never', 'up'], { cwd: dir });
    await waitForOutput(
      run.child,
      (out) => /^ticker-1\s+\| tick$/m.test(out) && /^quiet-1\s+\| hello from quiet$/m.test(out),
    );
    run.child.kill('SIGINT');
    const r = await run.result;
    expect(r.code, explain(r)).toBe(130);
    expect(r.stderr).toContain('Gracefully stopping...');
    expect(r.stdout).toMatch(/^Attaching to quiet-1, ticker-1$/m);
    // The ticker got SIGTERM and said so before it exited.
    expect(r.stdout).toMatch(/^ticker-1\s+\| bye$/m);
    const states = await docker(
      'ps',
      '-a',
      '--filter',
      `label=com.docker.compose.project=${project}`,
      '--format',
      '{{.State}}',
    );
    expect(states.split('\n').sort()).toEqual(['exited', 'exited']);
  });

  it('SIGTERM (a cancelled CI job) stops the services as Ctrl-C does, and exits 130 as compose does', async () => {
    const p = uniqueProject('attterm');
    const dir = join(o.dir, 'term');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'compose.yaml'),
      `services:\n  ticker:\n    image: ${FIXTURE_IMAGE}\n    command: ["sh", "-c", "trap 'exit 0' TERM; while true; do echo tick; sleep 0.3; done"]\n`,
    );
    const run = start(o, ['-p', p, '--ansi', 'never', 'up'], { cwd: dir });
    await waitForOutput(run.child, (out) => /^ticker-1\s+\| tick$/m.test(out));
    run.child.kill('SIGTERM');
    const r = await run.result;
    // `down` first: the daemon still keeps the stopped project, and would repair a network removed behind it.
    await orc(o, ['-p', p, 'down'], { cwd: dir });
    await removeProject(p);
    expect(r.code, explain(r)).toBe(130);
    expect(r.stderr).toContain('Gracefully stopping...');
  });

  it('returns once every service has exited, saying how each ended', async () => {
    const dir = join(o.dir, 'oneshot');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'compose.yaml'),
      [
        'services:',
        '  once:',
        `    image: ${FIXTURE_IMAGE}`,
        '    command: ["sh", "-c", "echo hello once"]',
        '  fails:',
        `    image: ${FIXTURE_IMAGE}`,
        '    command: ["sh", "-c", "sleep 1; exit 4"]',
        '',
      ].join('\n'),
    );
    const r = await start(o, ['-p', oneshot, '--ansi', 'never', 'up'], { cwd: dir }).result;
    expect(r.code, explain(r)).toBe(0);
    expect(r.stdout).toMatch(/^once-1\s+\| hello once$/m);
    expect(r.stdout).toMatch(/^once-1 exited with code 0$/m);
    expect(r.stdout).toMatch(/^fails-1 exited with code 4$/m);
  });
});
