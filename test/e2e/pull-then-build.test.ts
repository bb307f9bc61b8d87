/**
 * compose's pull-then-build fallback through the BUILT `orc` binary: a service with both `image:` and
 * `build:` whose image is missing is pulled first, and built only when the pull fails. One service's image
 * is in a local registry (pulled, not built); the other's names a registry nobody answers on (built).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docker, FIXTURE_IMAGE, removeProject, uniqueProject } from '../support/engine.js';
import { startRegistry, type TestRegistry } from '../support/registry.js';
import { assertBuilt, explain, type OrcEnv, orc, orcEnv, stopDaemon } from './orc.js';

describe('orc up: a service with image: and build: is pulled first, built when the pull fails', () => {
  const o: OrcEnv = orcEnv('pullbuild');
  const project = uniqueProject('compose-rest-pb');
  // Port 1 on loopback: the engine's pull is refused at once, the way an unreachable registry fails.
  const unreachable = `127.0.0.1:1/${project}/nowhere:1`;
  let registry: TestRegistry;
  let remote: string;
  let dir: string;
  const run = (args: string[]) => orc(o, ['-p', project, ...args], { cwd: dir });
  const marker = (container: string) =>
    docker('exec', container, 'sh', '-c', 'cat /built-marker 2>/dev/null || echo absent');

  beforeAll(async () => {
    assertBuilt();
    registry = await startRegistry();
    remote = `${registry.host}/${project}/app:1`;
    await docker('tag', FIXTURE_IMAGE, remote);
    await docker('push', remote);
    await docker('rmi', remote);
    dir = join(o.dir, 'project');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'Dockerfile'), `FROM ${FIXTURE_IMAGE}\nRUN echo built-here > /built-marker\n`);
    const service = (image: string) => `    image: ${image}
    build: .
    command: ["sleep", "3600"]
    stop_grace_period: 1s
`;
    writeFileSync(
      join(dir, 'compose.yaml'),
      `services:\n  pulled:\n${service(remote)}  built:\n${service(unreachable)}`,
    );
  }, 240_000);

  afterAll(async () => {
    await stopDaemon(o);
    await removeProject(project);
    for (const ref of [remote, unreachable]) if (ref) await docker('rmi', '-f', ref).catch(() => undefined);
    await registry?.stop();
  }, 120_000);

  it('pulls the image a registry has (no build), builds the one whose pull fails, and says so', async () => {
    const up = await run(['up', '-d']);
    expect(up.code, explain(up)).toBe(0);
    // The pulled image is the registry's copy of the fixture, byte for byte: no build ran for it.
    const fixtureId = await docker('image', 'inspect', '--format', '{{.Id}}', FIXTURE_IMAGE);
    expect(await docker('image', 'inspect', '--format', '{{.Id}}', remote)).toBe(fixtureId);
    expect(await marker(`${project}-pulled-1`)).toBe('absent');
    // The unreachable one was built from the Dockerfile, after its pull failed (a warning says why).
    expect(await marker(`${project}-built-1`)).toBe('built-here');
    expect(await docker('image', 'inspect', '--format', '{{.Id}}', unreachable)).not.toBe(fixtureId);
    expect(`${up.stdout}${up.stderr}`).toMatch(/pull of 127\.0\.0\.1:1\/\S+ failed .*building it instead/);
  });
});
