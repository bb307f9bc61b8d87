import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docker, FIXTURE_IMAGE, removeProject, uniqueProject } from '../support/engine.js';
import { assertBuilt, explain, type OrcEnv, orc, orcEnv, stopDaemon } from './orc.js';

/** Writes a compose file in its own folder under the test's temporary dir; returns the folder. */
function project(o: OrcEnv, name: string, yaml: string): string {
  const dir = join(o.dir, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'compose.yaml'), yaml);
  return dir;
}

describe('orc’s answers when things go wrong (and --wait when they go right)', () => {
  const o: OrcEnv = orcEnv('fail');
  const projects: string[] = [];
  const name = (prefix: string) => {
    const n = uniqueProject(prefix);
    projects.push(n);
    return n;
  };

  beforeAll(() => assertBuilt());

  afterAll(async () => {
    // The daemon repairs drift: stop it before removing what it keeps, or it recreates it.
    await stopDaemon(o);
    for (const p of projects) await removeProject(p);
  });

  it('exits 3 and says how to start a daemon when none answers and autostart is off', async () => {
    const r = await orc(o, ['ps'], { env: { ORC_NO_AUTOSTART: '1' } });
    expect(r.code, explain(r)).toBe(3);
    expect(r.stderr).toContain('cannot reach the orc daemon');
    expect(r.stderr).toContain('orc daemon');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('exits 2 on a usage error, before talking to any daemon', async () => {
    const r = await orc(o, ['up', '--scale', 'web'], { env: { ORC_NO_AUTOSTART: '1' } });
    expect(r.code, explain(r)).toBe(2);
    expect(r.stderr).toContain('SERVICE=NUMBER');
    const unknown = await orc(o, ['upp']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('up');
  });

  it('points at file:line:col of a bad compose file, without a stack trace', async () => {
    const dir = project(
      o,
      'bad',
      `services:\n  web:\n    image: ${FIXTURE_IMAGE}\n    ports:\n      - "80:80"\n    restart: sometimes\n`,
    );
    const r = await orc(o, ['-p', name('bad'), 'up', '-d'], { cwd: dir });
    expect(r.code, explain(r)).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`${join(dir, 'compose.yaml').replace(/[.]/g, '\\.')}:6:\\d+: `));
    expect(r.stderr).toContain('restart');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('exits 1 and names the job when a job it waits for exits non-zero', async () => {
    const p = name('job');
    const dir = project(
      o,
      'job',
      [
        'services:',
        '  migrate:',
        `    image: ${FIXTURE_IMAGE}`,
        '    command: ["sh", "-c", "echo migrating; exit 3"]',
        '  app:',
        `    image: ${FIXTURE_IMAGE}`,
        '    command: ["sleep", "300"]',
        '    depends_on:',
        '      migrate:',
        '        condition: service_completed_successfully',
        '',
      ].join('\n'),
    );
    const r = await orc(o, ['-p', p, 'up', '-d'], { cwd: dir });
    expect(r.code, explain(r)).toBe(1);
    expect(r.stderr).toContain(`${p}-migrate-1`);
    expect(r.stderr).toMatch(/exit(ed)?( with)?( code)? 3|code 3/i);
    // The dependent never started, and the project holds at most one container for app #1: found by
    // labels (a name filter matches substrings, so it would also list a temporary `<id>_<name>`).
    const app = await docker(
      'ps',
      '-a',
      '--filter',
      `label=com.docker.compose.project=${p}`,
      '--filter',
      'label=com.docker.compose.service=app',
      '--format',
      '{{.Label "com.docker.compose.container-number"}} {{.State}}',
    );
    expect(['', '1 created'], `app is ${app}`).toContain(app);
  });

  it('--wait returns once every service is healthy', async () => {
    const p = name('wait');
    const dir = project(
      o,
      'wait',
      [
        'services:',
        '  slow:',
        `    image: ${FIXTURE_IMAGE}`,
        '    command: ["sh", "-c", "sleep 2; touch /tmp/ready; exec sleep 300"]',
        '    stop_grace_period: 1s',
        '    healthcheck:',
        '      test: ["CMD", "test", "-f", "/tmp/ready"]',
        '      interval: 1s',
        '      retries: 30',
        '',
      ].join('\n'),
    );
    const r = await orc(o, ['-p', p, 'up', '--wait', '--wait-timeout', '60'], { cwd: dir });
    expect(r.code, explain(r)).toBe(0);
    const health = await docker('inspect', '--format', '{{.State.Health.Status}}', `${p}-slow-1`);
    expect(health).toBe('healthy');
  });

  it('--wait fails with exit 1 and says which service when a healthcheck never passes', async () => {
    const p = name('unhealthy');
    const dir = project(
      o,
      'unhealthy',
      [
        'services:',
        '  sick:',
        `    image: ${FIXTURE_IMAGE}`,
        '    command: ["sleep", "300"]',
        '    stop_grace_period: 1s',
        '    healthcheck:',
        '      test: ["CMD", "false"]',
        '      interval: 1s',
        '      retries: 2',
        '',
      ].join('\n'),
    );
    const r = await orc(o, ['-p', p, 'up', '--wait', '--wait-timeout', '20'], { cwd: dir });
    expect(r.code, explain(r)).toBe(1);
    expect(r.stderr).toContain(`${p}-sick-1`);
    expect(r.stderr).toMatch(/unhealthy|health/i);
  });
});
