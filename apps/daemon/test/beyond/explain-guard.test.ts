/**
 * Beyond compose (issue 10) on the real engine: a dry run explains each recreate field by field and
 * changes nothing; the real recreate records the same explanation as an event; a second folder using the
 * same project name is refused (and its containers untouched) unless forced; down stops each dependency
 * level in parallel.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OrcError } from '../../src/contract/errors.js';
import type { DaemonEvent } from '../../src/contract/types.js';
import { finish, inlineSource, startCore, type TestCore } from '../support/core.js';
import { docker, FIXTURE_IMAGE, removeProject, uniqueProject } from '../support/engine.js';

const project = uniqueProject('explain');
const other = uniqueProject('levels');

const yaml = (greeting: string) => `
services:
  db:
    image: ${FIXTURE_IMAGE}
    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 86400 & wait"]
    networks: [back]
  web:
    image: ${FIXTURE_IMAGE}
    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 86400 & wait"]
    environment:
      GREETING: ${greeting}
    depends_on: [db]
    networks: [back]
networks:
  back: {}
`;

/** name → id of the project's containers. */
async function ids(name: string): Promise<Record<string, string>> {
  const out = await docker(
    'ps',
    '-a',
    '--filter',
    `label=com.docker.compose.project=${name}`,
    '--format',
    '{{.Names}} {{.ID}}',
  );
  return Object.fromEntries(
    out
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split(' ') as [string, string]),
  );
}

describe('beyond compose: explain and guard', () => {
  let core: TestCore;
  let dispose: () => Promise<void>;
  beforeAll(async () => {
    ({ core, dispose } = await startCore());
    const { record } = await finish(core, core.up(inlineSource(project, yaml('hello'), '/srv/one/app'), {}));
    expect(record.error).toBeUndefined();
  });
  afterAll(async () => {
    await dispose?.();
    await removeProject(project);
    await removeProject(other);
  });

  it('keeps the normalised service definition on each container, not only its hash', async () => {
    const label = await docker(
      'inspect',
      '--format',
      '{{index .Config.Labels "dev.orc.service-definition"}}',
      `${project}-web-1`,
    );
    expect(JSON.parse(label)).toMatchObject({ environment: { GREETING: 'hello' } });
  });

  it('dry run names the field that differs and changes nothing; the real recreate records the same reason', async () => {
    const before = await ids(project);
    const { record } = await finish(
      core,
      core.up(inlineSource(project, yaml('bye'), '/srv/one/app'), { dryRun: true }),
    );
    expect(record.state).toBe('succeeded');
    const line = record.plan?.find((l) => l.startsWith(`recreate container ${project}-web-1`));
    expect(line).toContain('environment.GREETING "hello" → "bye"');
    // db did not change: it is waited for (web depends on it), never stopped or recreated.
    expect(record.plan?.some((l) => /^(recreate|stop|remove) container .*-db-1/.test(l))).toBe(false);
    expect(await ids(project)).toEqual(before);

    const ac = new AbortController();
    const events: DaemonEvent[] = [];
    const seen = (async () => {
      for await (const e of core.events({ project }, ac.signal)) {
        events.push(e);
        if (e.type === 'recreate') break;
      }
    })();
    const real = await finish(core, core.up(inlineSource(project, yaml('bye'), '/srv/one/app'), {}));
    expect(real.record.error).toBeUndefined();
    await seen;
    ac.abort();
    const recreate = events.find((e) => e.type === 'recreate');
    expect(recreate).toMatchObject({ container: `${project}-web-1`, service: 'web' });
    expect(recreate?.reason).toContain('environment.GREETING "hello" → "bye"');
    const after = await ids(project);
    expect(after[`${project}-db-1`]).toBe(before[`${project}-db-1`]);
    expect(after[`${project}-web-1`]).not.toBe(before[`${project}-web-1`]);
  });

  it('dry run explains a network that is not connected', async () => {
    await docker('network', 'disconnect', `${project}_back`, `${project}-db-1`);
    const { record } = await finish(
      core,
      core.up(inlineSource(project, yaml('bye'), '/srv/one/app'), { dryRun: true }),
    );
    expect(record.plan?.find((l) => l.includes(`${project}-db-1 as`))).toContain(
      'network back: not connected',
    );
    // The supervisor repairs the drift on its own; converge now so the next test starts from a still project.
    const repaired = await finish(core, core.up(inlineSource(project, yaml('bye'), '/srv/one/app'), {}));
    expect(repaired.record.error).toBeUndefined();
    const again = await finish(
      core,
      core.up(inlineSource(project, yaml('bye'), '/srv/one/app'), { dryRun: true }),
    );
    expect(again.record.plan).toEqual([]);
  });

  it('refuses a second folder that resolves to the same project name, and leaves its containers alone', async () => {
    const before = await ids(project);
    const attempt = core.up(inlineSource(project, yaml('other'), '/srv/two/app'), {});
    const err = await attempt.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(OrcError);
    expect((err as OrcError).code).toBe('PROJECT_NAME_IN_USE');
    expect((err as OrcError).message).toContain('/srv/one/app');
    expect((err as OrcError).message).toContain('/srv/two/app');
    expect((err as OrcError).message).toContain('-p');
    expect((err as OrcError).message).toContain('--force');
    expect(await ids(project)).toEqual(before);

    const forced = await finish(
      core,
      core.up(inlineSource(project, yaml('other'), '/srv/two/app'), { force: true }),
    );
    expect(forced.record.error).toBeUndefined();
    const dir = await docker(
      'inspect',
      '--format',
      '{{index .Config.Labels "com.docker.compose.project.working_dir"}}',
      `${project}-web-1`,
    );
    expect(dir).toBe('/srv/two/app');
  });

  it('down stops each dependency level in parallel, dependents first', async () => {
    // PID 1 ignores SIGTERM without a handler: each stop takes its grace period, so overlaps are visible.
    const svc = (deps: string) => `
    image: ${FIXTURE_IMAGE}
    command: ["sleep", "86400"]
    stop_grace_period: 2s${deps}`;
    const levels = `
services:
  a:${svc('')}
  b:${svc('')}
  c:${svc('')}
  top:${svc('\n    depends_on: [a, b, c]')}
`;
    const up = await finish(core, core.up(inlineSource(other, levels), {}));
    expect(up.record.error).toBeUndefined();
    const { record, progress } = await finish(core, core.down({ name: other }, {}));
    expect(record.error).toBeUndefined();
    const stops = progress.filter((e) => e.action === 'stop');
    const at = (name: string, state: string) =>
      stops.findIndex((e) => e.resource === `${other}-${name}-1` && e.state === state);
    const level = ['a', 'b', 'c'];
    // Each of a, b, c starts stopping only once top has stopped...
    for (const s of level) expect(at(s, 'working')).toBeGreaterThan(at('top', 'done'));
    // ...and all three are stopping before any of them is done: one wave, not one by one.
    const lastStart = Math.max(...level.map((s) => at(s, 'working')));
    const firstDone = Math.min(...level.map((s) => at(s, 'done')));
    expect(lastStart).toBeLessThan(firstDone);
    expect(await ids(other)).toEqual({});
  });
});
