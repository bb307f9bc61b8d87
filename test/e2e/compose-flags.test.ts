/**
 * compose v2 flags of build, pull and config that docs/compose-compat.md calls `same`, through the BUILT
 * `orc` binary: `build -q` and `pull -q` print no progress (and still do the work), `config --images`
 * prints each service's image (a build-only one's default name), `config -o FILE` writes the file, and
 * `exec --no-TTY` is accepted as compose spells it; `run --env-from-file`, `stats --no-trunc`, `up --quiet-pull`.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docker, FIXTURE_IMAGE, removeProject, uniqueProject } from '../support/engine.js';
import { startRegistry, type TestRegistry } from '../support/registry.js';
import { assertBuilt, explain, type OrcEnv, orc, orcEnv, stopDaemon } from './orc.js';

describe('orc build -q, pull -q, config --images / -o, exec --no-TTY', () => {
  const o: OrcEnv = orcEnv('cflags');
  const project = uniqueProject('compose-rest-cflags');
  let registry: TestRegistry;
  let remote: string;
  let dir: string;
  const run = (args: string[]) => orc(o, ['-p', project, ...args], { cwd: dir });

  beforeAll(async () => {
    assertBuilt();
    registry = await startRegistry();
    remote = `${registry.host}/${project}/copy:1`;
    await docker('tag', FIXTURE_IMAGE, remote);
    await docker('push', remote);
    await docker('rmi', remote);
    dir = join(o.dir, 'project');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'Dockerfile'), `FROM ${FIXTURE_IMAGE}\nRUN echo built > /marker\n`);
    writeFileSync(
      join(dir, 'compose.yaml'),
      `services:
  app:
    build: .
    command: ["sleep", "3600"]
    stop_grace_period: 1s
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
    await docker('rmi', '-f', `${project}-app`).catch(() => undefined);
    if (remote) await docker('rmi', '-f', remote).catch(() => undefined);
    await registry?.stop();
  }, 120_000);

  it('config --images prints every service image; -o writes what stdout would get', async () => {
    const images = await run(['config', '--images']);
    expect(images.code, explain(images)).toBe(0);
    expect(images.stdout).toBe(`${project}-app\n${remote}\n`);
    const file = join(o.dir, 'rendered.yaml');
    const written = await run(['config', '-o', file]);
    expect(written.code, explain(written)).toBe(0);
    expect(written.stdout).toBe('');
    const plain = await run(['config']);
    expect(readFileSync(file, 'utf8')).toBe(plain.stdout);
    expect(plain.stdout).toContain(remote);
  });

  it('pull -q and build -q print nothing, and do the work', async () => {
    const pulled = await run(['--progress', 'plain', 'pull', '-q', 'db']);
    expect(pulled.code, explain(pulled)).toBe(0);
    expect(`${pulled.stdout}${pulled.stderr}`).toBe('');
    expect(await docker('image', 'inspect', '--format', '{{.Id}}', remote)).toMatch(/^sha256:/);
    const built = await run(['--progress', 'plain', 'build', '-q', 'app']);
    expect(built.code, explain(built)).toBe(0);
    expect(`${built.stdout}${built.stderr}`).toBe('');
    expect(await docker('run', '--rm', `${project}-app`, 'cat', '/marker')).toBe('built');
    // Without -q, the same commands say what they do.
    const loud = await run(['--progress', 'plain', 'pull', 'db']);
    expect(loud.stderr, explain(loud)).not.toBe('');
  }, 240_000);

  it('exec --no-TTY is accepted, as compose spells -T', async () => {
    const up = await run(['up', '-d', 'db']);
    expect(up.code, explain(up)).toBe(0);
    const r = await run(['exec', '--no-TTY', 'db', 'echo', 'spelled']);
    expect(r.code, explain(r)).toBe(0);
    expect(r.stdout).toBe('spelled\n');
  }, 120_000);
  it('run --env-from-file (with -e winning), stats --no-trunc, up --quiet-pull', async () => {
    writeFileSync(join(dir, 'run.env'), "A=1\nB=2\n# a comment\nexport C='three'\n");
    const r = await run([
      'run',
      '--rm',
      '-T',
      '--env-from-file',
      'run.env',
      '-e',
      'B=cli',
      'db',
      'sh',
      '-c',
      'echo $A-$B-$C',
    ]);
    expect(r.code, explain(r)).toBe(0);
    expect(r.stdout).toBe('1-cli-three\n');

    const id = await docker('inspect', '--format', '{{.Id}}', `${project}-db-1`);
    const full = await run(['stats', '--no-stream', '--no-trunc', 'db']);
    expect(full.code, explain(full)).toBe(0);
    expect(full.stdout).toContain(id);
    const short = await run(['stats', '--no-stream', 'db']);
    expect(short.stdout).toContain(id.slice(0, 12));
    expect(short.stdout).not.toContain(id);

    // The image gone, each up pulls it again: with --quiet-pull the pull says nothing.
    const pullUp = async (quiet: boolean) => {
      expect((await run(['down'])).code).toBe(0);
      await docker('rmi', remote);
      const up = await run(['--progress', 'plain', 'up', '-d', ...(quiet ? ['--quiet-pull'] : []), 'db']);
      expect(up.code, explain(up)).toBe(0);
      return up.stderr;
    };
    expect(await pullUp(false)).toMatch(/pull/);
    expect(await pullUp(true)).not.toMatch(/pull/);
    expect(await docker('inspect', '--format', '{{.State.Running}}', `${project}-db-1`)).toBe('true');
  }, 240_000);
});
