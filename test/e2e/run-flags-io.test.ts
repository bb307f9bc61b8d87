/**
 * `orc run`'s compose v2 flags for streams and images, through the BUILT `orc` binary on the real engine:
 * -i (stdin attached by default, a pipe too) and --no-interactive, -t (a TTY even over pipes) and -T,
 * --build, --pull never, --quiet-pull, --remove-orphans.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docker, FIXTURE_IMAGE, removeProject, uniqueProject } from '../support/engine.js';
import { assertBuilt, explain, ORC_BIN, type OrcEnv, orc, orcEnv, type Result, stopDaemon } from './orc.js';

describe('orc run: -i, -t, --build, --pull, --quiet-pull, --remove-orphans', () => {
  const o: OrcEnv = orcEnv('runio');
  const project = uniqueProject('compose-rest-runio');
  const built = `${project}-app:1`;
  let dir: string;
  const run = (args: string[]) => orc(o, ['-p', project, ...args], { cwd: dir });

  /** `orc run ...` with `input` written to its stdin (a pipe, never a terminal), then closed. */
  const piped = (args: string[], input: string): Promise<Result> =>
    new Promise((resolve) => {
      const child = spawn(ORC_BIN, ['-p', project, ...args], { cwd: dir, env: o.env });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => {
        stdout += c.toString();
      });
      child.stderr.on('data', (c: Buffer) => {
        stderr += c.toString();
      });
      child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
      child.stdin.end(input);
    });

  const compose = (extra = '') => `services:
  tool:
    image: ${FIXTURE_IMAGE}
    command: ["sleep", "3600"]
    stop_grace_period: 1s
    depends_on: [db]
  db:
    image: ${FIXTURE_IMAGE}
    command: ["sleep", "3600"]
    stop_grace_period: 1s
  app:
    image: ${built}
    build: .
    pull_policy: never
  absent:
    image: ${project}-never-made:1
${extra}`;

  beforeAll(() => {
    assertBuilt();
    dir = join(o.dir, 'project');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'Dockerfile'), `FROM ${FIXTURE_IMAGE}\nRUN echo one > /version\n`);
    writeFileSync(join(dir, 'compose.yaml'), compose());
  });

  afterAll(async () => {
    await stopDaemon(o);
    await removeProject(project);
    await docker('rmi', '-f', built).catch(() => undefined);
  }, 120_000);

  it('attaches a piped stdin by default (-i), not with --no-interactive', async () => {
    const attached = await piped(['run', '--rm', '--no-deps', 'tool', 'cat'], 'from-the-pipe\n');
    expect(attached.code, explain(attached)).toBe(0);
    expect(attached.stdout).toBe('from-the-pipe\n');
    const explicit = await piped(['run', '--rm', '--no-deps', '-i', 'tool', 'cat'], 'again\n');
    expect(explicit.stdout, explain(explicit)).toBe('again\n');
    const left = await piped(['run', '--rm', '--no-deps', '--no-interactive', 'tool', 'cat'], 'unread\n');
    expect(left.code, explain(left)).toBe(0);
    expect(left.stdout).toBe('');
  }, 120_000);

  it('-t allocates a TTY over pipes; without it (or with -T) there is none', async () => {
    const probe = ['sh', '-c', 'if [ -t 1 ]; then echo tty; else echo notty; fi'];
    const forced = await piped(['run', '--rm', '--no-deps', '-t', 'tool', ...probe], '');
    expect(forced.code, explain(forced)).toBe(0);
    // A TTY turns \n into \r\n: the engine's pseudo-terminal answered.
    expect(forced.stdout).toBe('tty\r\n');
    const auto = await piped(['run', '--rm', '--no-deps', 'tool', ...probe], '');
    expect(auto.stdout, explain(auto)).toBe('notty\n');
    const off = await piped(['run', '--rm', '--no-deps', '-T', 'tool', ...probe], '');
    expect(off.stdout, explain(off)).toBe('notty\n');
  }, 120_000);

  it('--build rebuilds the image first; without it the present image is used', async () => {
    const first = await run(['run', '--rm', 'app', 'cat', '/version']);
    expect(first.code, explain(first)).toBe(0);
    expect(first.stdout).toBe('one\n');
    writeFileSync(join(dir, 'Dockerfile'), `FROM ${FIXTURE_IMAGE}\nRUN echo two > /version\n`);
    const stale = await run(['run', '--rm', 'app', 'cat', '/version']);
    expect(stale.stdout, explain(stale)).toBe('one\n');
    const rebuilt = await run(['run', '--rm', '--build', 'app', 'cat', '/version']);
    expect(rebuilt.code, explain(rebuilt)).toBe(0);
    expect(rebuilt.stdout).toBe('two\n');
  }, 240_000);

  it('--pull never refuses a missing image; a bad --pull value is a usage error', async () => {
    const never = await run(['run', '--rm', '--pull', 'never', 'absent', 'true']);
    expect(never.code, explain(never)).not.toBe(0);
    expect(never.stderr).toContain(`${project}-never-made:1`);
    const bad = await run(['run', '--pull', 'sometimes', 'absent', 'true']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('use always, missing or never');
  }, 120_000);

  it('--quiet-pull: only the one-off’s own output', async () => {
    const r = await run(['run', '--rm', '--quiet-pull', '--no-deps', 'tool', 'echo', 'quiet']);
    expect(r.code, explain(r)).toBe(0);
    expect(r.stdout).toBe('quiet\n');
  }, 120_000);

  it('--remove-orphans removes a container of a service the file does not have', async () => {
    // An orphan the daemon does not keep (a kept project is converged to its last `up`, which would
    // bring a service it had back): a container with compose's labels for a service the file lacks.
    const orphan = `${project}-old-1`;
    await docker(
      'run',
      '-d',
      '--name',
      orphan,
      '--label',
      `com.docker.compose.project=${project}`,
      '--label',
      'com.docker.compose.service=old',
      '--label',
      'com.docker.compose.oneoff=False',
      '--label',
      'com.docker.compose.container-number=1',
      '--label',
      `com.docker.compose.project.working_dir=${dir}`,
      FIXTURE_IMAGE,
      'sleep',
      '3600',
    );
    const kept = await run(['run', '--rm', 'tool', 'true']);
    expect(kept.code, explain(kept)).toBe(0);
    expect(await docker('ps', '-aq', '--filter', `name=^${orphan}$`)).not.toBe('');
    const removed = await run(['run', '--rm', '--remove-orphans', 'tool', 'true']);
    expect(removed.code, explain(removed)).toBe(0);
    expect(await docker('ps', '-aq', '--filter', `name=^${orphan}$`)).toBe('');
  }, 240_000);
});
