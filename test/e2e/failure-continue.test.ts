/**
 * Issue 18 item 5 through the built `orc` binary: `update_config.failure_action: continue` on a start-first
 * update whose new container never becomes healthy: `up -d` succeeds and the new container replaces the
 * old one. (The daemon-level test is apps/daemon/test/beyond/failure-continue.test.ts.)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docker, FIXTURE_IMAGE, removeProject, uniqueProject } from '../support/engine.js';
import { assertBuilt, explain, type OrcEnv, orc, orcEnv, stopDaemon } from './orc.js';

describe('orc up: failure_action: continue', () => {
  const o: OrcEnv = orcEnv('i18fc');
  const project = uniqueProject('i18-cmds-fc');
  const dir = join(o.dir, 'app');
  const write = (version: string, healthy: boolean) =>
    writeFileSync(
      join(dir, 'compose.yaml'),
      [
        'services:',
        '  web:',
        `    image: ${FIXTURE_IMAGE}`,
        '    command: ["sleep", "3600"]',
        '    stop_grace_period: 1s',
        `    environment: { VERSION: ${version} }`,
        `    healthcheck: { test: ["CMD", "${healthy ? 'true' : 'false'}"], interval: 1s, retries: 1 }`,
        '    deploy: { update_config: { order: start-first, failure_action: continue } }',
        '',
      ].join('\n'),
    );
  const inspect = (format: string) => docker('inspect', '--format', format, `${project}-web-1`);

  beforeAll(() => {
    assertBuilt();
    mkdirSync(dir, { recursive: true });
  });
  afterAll(async () => {
    await stopDaemon(o);
    await removeProject(project);
  });

  it('an update that never becomes healthy goes on: exit 0, the new container replaces the old', async () => {
    write('v1', true);
    const first = await orc(o, ['-p', project, 'up', '-d', '--wait'], { cwd: dir });
    expect(first.code, explain(first)).toBe(0);
    const before = await inspect('{{.Id}}');
    write('v2', false);
    const second = await orc(o, ['-p', project, 'up', '-d'], { cwd: dir });
    expect(second.code, explain(second)).toBe(0);
    expect(`${second.stdout}${second.stderr}`).toContain('failure_action: continue');
    expect(await inspect('{{.Id}}')).not.toBe(before);
    expect(await inspect('{{range .Config.Env}}{{println .}}{{end}}')).toContain('VERSION=v2');
    const names = await docker(
      'ps',
      '-a',
      '--filter',
      `label=com.docker.compose.project=${project}`,
      '--format',
      '{{.Names}}',
    );
    expect(names.split('\n').filter(Boolean)).toEqual([`${project}-web-1`]);
  }, 180_000);
});
