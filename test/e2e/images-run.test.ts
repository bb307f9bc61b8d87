/**
 * build, pull, top, images, run and config --hash through the BUILT `orc` binary, as a user types them.
 * pull reads from a local registry holding a copy of the fixture (the fixture itself is never touched).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docker, FIXTURE_IMAGE, removeProject, uniqueProject } from '../support/engine.js';
import { startRegistry, type TestRegistry } from '../support/registry.js';
import { assertBuilt, explain, type OrcEnv, orc, orcEnv, stopDaemon } from './orc.js';

describe('orc build, pull, top, images, run, config --hash', () => {
  const o: OrcEnv = orcEnv('images');
  const project = uniqueProject('e2eimg');
  const built = `${project}-app:1`;
  let registry: TestRegistry;
  let remote: string;
  let dir: string;
  const run = (args: string[]) => orc(o, ['-p', project, ...args], { cwd: dir });

  beforeAll(async () => {
    assertBuilt();
    registry = await startRegistry();
    remote = `${registry.host}/${project}/busybox:copy`;
    await docker('tag', FIXTURE_IMAGE, remote);
    await docker('push', remote);
    await docker('rmi', remote);
    dir = join(o.dir, 'project');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'Dockerfile'), `FROM ${FIXTURE_IMAGE}\nRUN echo e2e-built > /marker\n`);
    writeFileSync(
      join(dir, 'compose.yaml'),
      `services:
  app:
    build: .
    image: ${built}
    command: ["sleep", "3600"]
    stop_grace_period: 1s
    depends_on: [db]
  db:
    image: ${remote}
    command: ["sleep", "3600"]
    stop_grace_period: 1s
`,
    );
  }, 240_000);

  afterAll(async () => {
    await stopDaemon(o);
    await removeProject(project);
    await docker('rmi', '-f', built).catch(() => undefined);
    if (remote) await docker('rmi', '-f', remote).catch(() => undefined);
    await registry?.stop();
  }, 120_000);

  it('config --hash prints `service hash` lines', async () => {
    const all = await run(['config', '--hash', '*']);
    expect(all.code, explain(all)).toBe(0);
    const lines = all.stdout.trim().split('\n');
    expect(lines.map((l) => l.split(' ')[0])).toEqual(['app', 'db']);
    for (const l of lines) expect(l).toMatch(/^\w+ [0-9a-f]{64}$/);
    const one = await run(['config', '--hash', 'db']);
    expect(one.stdout.trim()).toBe(lines[1]);
  });

  it('pull fetches db from the registry and skips the build-only app', async () => {
    const r = await run(['--progress', 'plain', 'pull']);
    expect(r.code, explain(r)).toBe(0);
    expect(await docker('image', 'inspect', '--format', '{{.Id}}', remote)).toMatch(/^sha256:/);
  }, 300_000);

  it('build builds the image from the Dockerfile', async () => {
    const r = await run(['--progress', 'plain', 'build', '--no-cache']);
    expect(r.code, explain(r)).toBe(0);
    expect(r.stderr).toContain('e2e-built');
    expect(await docker('run', '--rm', built, 'cat', '/marker')).toContain('e2e-built');
  }, 300_000);

  it('run --rm prints the output, exits with the code, and leaves no container', async () => {
    const r = await run(['run', '--rm', 'app', 'sh', '-c', 'echo hi; exit 3']);
    expect(r.code, explain(r)).toBe(3);
    expect(r.stdout).toContain('hi');
    const left = await docker(
      'ps',
      '-a',
      '--filter',
      `label=com.docker.compose.project=${project}`,
      '--filter',
      'label=com.docker.compose.oneoff=True',
      '--format',
      '{{.Names}}',
    );
    expect(left.trim()).toBe('');
    // The dependency was started first.
    const ps = await run(['ps', '--format', 'json']);
    expect(JSON.parse(ps.stdout).map((c: { Service: string }) => c.Service)).toEqual(['db']);
  }, 300_000);

  it('top shows each container’s processes; images shows id and size', async () => {
    const top = await run(['top']);
    expect(top.code, explain(top)).toBe(0);
    expect(top.stdout).toContain(`${project}-db-1`);
    expect(top.stdout).toMatch(/PID/);
    expect(top.stdout).toContain('sleep 3600');

    const images = await run(['images']);
    expect(images.code, explain(images)).toBe(0);
    const [header, row] = images.stdout.trim().split('\n');
    expect(header).toMatch(/^CONTAINER\s+REPOSITORY\s+TAG\s+IMAGE ID\s+SIZE$/);
    expect(row).toMatch(
      new RegExp(`^${project}-db-1\\s+\\S+busybox\\s+copy\\s+[0-9a-f]{12}\\s+[\\d.]+[kMG]?B$`),
    );
  }, 120_000);
});
