/**
 * `update_config.failure_action: continue` on the real engine: a start-first update whose new container
 * never becomes healthy goes on anyway (swarm's meaning): the new container replaces the old one, the
 * operation succeeds, and its progress says why it went on. (`rollback`/`pause`: start-first.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finish, inlineSource, startCore, type TestCore } from '../support/core.js';
import { docker, FIXTURE_IMAGE, removeProject, uniqueProject } from '../support/engine.js';

const project = uniqueProject('compose-rest-fc');

const yaml = (version: string, healthy: boolean) => `
services:
  web:
    image: ${FIXTURE_IMAGE}
    command: ["sleep", "3600"]
    stop_grace_period: 1s
    environment:
      VERSION: ${version}
    healthcheck:
      test: ["CMD", "${healthy ? 'true' : 'false'}"]
      interval: 1s
      retries: 1
    deploy:
      update_config:
        order: start-first
        failure_action: continue
`;

const inspect = (format: string) => docker('inspect', '--format', format, `${project}-web-1`);

describe('beyond compose: start-first with failure_action: continue', { timeout: 180_000 }, () => {
  let core: TestCore;
  let dispose: () => Promise<void>;
  beforeAll(async () => {
    ({ core, dispose } = await startCore());
    const { record } = await finish(core, core.up(inlineSource(project, yaml('v1', true)), { wait: true }));
    expect(record.error).toBeUndefined();
  });
  afterAll(async () => {
    await dispose?.();
    await removeProject(project);
  });

  it('replaces the old container with the new one that never became healthy, and says so', async () => {
    const before = await inspect('{{.Id}}');
    const { record, progress } = await finish(core, core.up(inlineSource(project, yaml('v2', false)), {}));
    expect(record.error).toBeUndefined();
    expect(record.state).toBe('succeeded');
    const said = progress.map((e) => e.message ?? '').find((m) => m.includes('failure_action: continue'));
    expect(said).toContain(`it replaces ${project}-web-1 anyway`);
    // One web container, the new one (v2), under the service's own name.
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
  });
});
