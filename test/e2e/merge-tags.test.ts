/**
 * compose's `!reset` and `!override` merge tags reach the engine: an override file (`-f a -f b`) resets a
 * service's ports and replaces its environment, and a service that `extends` another resets what it
 * inherits; checked on the containers the BUILT `orc` binary makes (`docker inspect`).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docker, FIXTURE_IMAGE, removeProject, uniqueProject } from '../support/engine.js';
import { assertBuilt, explain, type OrcEnv, orc, orcEnv, stopDaemon } from './orc.js';

interface Inspected {
  Config: { Env: string[] };
  HostConfig: { PortBindings: Record<string, unknown> | null };
}

describe('orc up with !reset and !override', () => {
  const o: OrcEnv = orcEnv('mergetags');
  const project = uniqueProject('compose-rest-tags');
  let dir: string;
  const run = (args: string[]) => orc(o, ['-p', project, ...args], { cwd: dir });
  const inspect = async (service: string): Promise<Inspected> =>
    (JSON.parse(await docker('inspect', `${project}-${service}-1`)) as Inspected[])[0]!;

  beforeAll(() => {
    assertBuilt();
    dir = join(o.dir, 'project');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'compose.yaml'),
      `services:
  app:
    image: ${FIXTURE_IMAGE}
    command: ["sleep", "3600"]
    stop_grace_period: 1s
    ports: ["127.0.0.1::80"]
    environment: {FROM_BASE: "1", SHARED: base}
  child:
    extends: app
    ports: !reset []
    environment: !override {ONLY_CHILD: "1"}
`,
    );
    writeFileSync(
      join(dir, 'override.yaml'),
      `services:
  app:
    ports: !reset []
    environment: !override {SHARED: override}
`,
    );
  });

  afterAll(async () => {
    await stopDaemon(o);
    await removeProject(project);
  }, 120_000);

  it('the containers have no base ports and only the overriding environment', async () => {
    const up = await run(['-f', 'compose.yaml', '-f', 'override.yaml', 'up', '-d']);
    expect(up.code, explain(up)).toBe(0);
    const app = await inspect('app');
    expect(app.HostConfig.PortBindings ?? {}).toEqual({});
    expect(app.Config.Env).toContain('SHARED=override');
    expect(app.Config.Env.some((e) => e.startsWith('FROM_BASE='))).toBe(false);
    const child = await inspect('child');
    expect(child.HostConfig.PortBindings ?? {}).toEqual({});
    expect(child.Config.Env).toContain('ONLY_CHILD=1');
    expect(child.Config.Env.some((e) => e.startsWith('FROM_BASE=') || e.startsWith('SHARED='))).toBe(false);
  });

  it('without the override file, the base ports and environment are back (the tags were the cause)', async () => {
    const up = await run(['up', '-d']);
    expect(up.code, explain(up)).toBe(0);
    const app = await inspect('app');
    expect(Object.keys(app.HostConfig.PortBindings ?? {})).toEqual(['80/tcp']);
    expect(app.Config.Env).toContain('SHARED=base');
  });
});
