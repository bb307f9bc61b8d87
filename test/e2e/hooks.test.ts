/**
 * Lifecycle hooks through the built `orc`, on the real engine: pre_start init containers (before the
 * first start, once per definition, a failing step fails the up by index and exit code), post_start
 * after each start, pre_stop before each stop. The hooks append to a file in a named volume, so the
 * order they ran in can be read back, and the volume outlives `down`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docker, FIXTURE_IMAGE, removeProject, uniqueProject } from '../support/engine.js';
import { assertBuilt, explain, type OrcEnv, orc, orcEnv, stopDaemon } from './orc.js';

interface Options {
  step1?: string;
  step2?: string;
  greeting?: string;
}

/** A service whose main command copies the log as it found it at start (proof of what ran before). */
function compose(o: Options = {}): string {
  return `services:
  web:
    image: ${FIXTURE_IMAGE}
    command: ["sh", "-c", "cp /data/log /seen; trap 'exit 0' TERM; sleep 300 & wait"]
    environment: {GREETING: ${o.greeting ?? 'hello'}}
    volumes: [data:/data]
    pre_start:
      - command: ${o.step1 ?? `sh -c 'echo step1 >> /data/log'`}
      - command: ${o.step2 ?? `sh -c 'echo step2-$$STEP-$$GREETING >> /data/log'`}
        environment: {STEP: two}
    post_start:
      - command: sh -c 'echo post-$$HOOK >> /data/log'
        environment: {HOOK: yes}
    pre_stop:
      - command: sh -c 'echo stop >> /data/log'
volumes:
  data: {}
`;
}

describe('lifecycle hooks on the real engine', () => {
  const o: OrcEnv = orcEnv('hooks');
  const projects: string[] = [];
  const dir = join(o.dir, 'app');

  beforeAll(() => {
    assertBuilt();
    mkdirSync(dir, { recursive: true });
  });

  afterAll(async () => {
    await stopDaemon(o);
    for (const p of projects) await removeProject(p);
  });

  const write = (opts: Options = {}) => writeFileSync(join(dir, 'compose.yaml'), compose(opts));
  const volumeLog = async (p: string) =>
    (await docker('run', '--rm', '-v', `${p}_data:/data`, FIXTURE_IMAGE, 'cat', '/data/log'))
      .trim()
      .split('\n');

  it('runs pre_start steps before the first start, post_start after it, pre_stop before each stop; once per definition', async () => {
    const p = uniqueProject('hooks');
    projects.push(p);
    write();

    const dry = await orc(o, ['-p', p, 'up', '-d', '--dry-run'], { cwd: dir });
    expect(dry.code, explain(dry)).toBe(0);
    expect(dry.stdout).toContain(`run pre_start[0] of web in ${p}-web-1-pre_start-1`);
    expect(dry.stdout).toContain(`run post_start[0] in container ${p}-web-1`);

    const up = await orc(o, ['-p', p, 'up', '-d'], { cwd: dir });
    expect(up.code, explain(up)).toBe(0);
    expect(up.stderr).toContain('service web: pre_start[1] exited with code 0');
    // What the service saw when it started: both steps, in order, with the step's and the service's environment.
    expect((await docker('exec', `${p}-web-1`, 'cat', '/seen')).trim().split('\n')).toEqual([
      'step1',
      'step2-two-hello',
    ]);
    expect(await volumeLog(p)).toEqual(['step1', 'step2-two-hello', 'post-yes']);
    // No init container is left behind.
    expect(
      await docker(
        'ps',
        '-aq',
        '--filter',
        `label=com.docker.compose.project=${p}`,
        '--filter',
        'label=dev.orc.hook',
      ),
    ).toBe('');

    // A no-op up runs nothing again.
    const again = await orc(o, ['-p', p, 'up', '-d'], { cwd: dir });
    expect(again.code, explain(again)).toBe(0);
    expect(await volumeLog(p)).toEqual(['step1', 'step2-two-hello', 'post-yes']);

    // A change elsewhere recreates the container: pre_stop on the old one, post_start on the new, no step.
    write({ greeting: 'bonjour' });
    const recreate = await orc(o, ['-p', p, 'up', '-d'], { cwd: dir });
    expect(recreate.code, explain(recreate)).toBe(0);
    expect(await volumeLog(p)).toEqual(['step1', 'step2-two-hello', 'post-yes', 'stop', 'post-yes']);

    // A change to the steps runs them again, before the new container starts.
    write({ greeting: 'bonjour', step1: `sh -c 'echo step1b >> /data/log'` });
    const rerun = await orc(o, ['-p', p, 'up', '-d'], { cwd: dir });
    expect(rerun.code, explain(rerun)).toBe(0);
    expect((await volumeLog(p)).slice(5)).toEqual(['stop', 'step1b', 'step2-two-bonjour', 'post-yes']);

    const down = await orc(o, ['-p', p, 'down'], { cwd: dir });
    expect(down.code, explain(down)).toBe(0);
    expect((await volumeLog(p)).at(-1)).toBe('stop');
  });

  it('fails the up with the step, its exit code and its output; keeps that step for its logs; the daemon does not retry alone; the next up does', async () => {
    const p = uniqueProject('hookfail');
    projects.push(p);
    write({ step2: `sh -c 'echo boom; exit 3'` });
    const up = await orc(o, ['-p', p, 'up', '-d'], { cwd: dir });
    expect(up.code, explain(up)).toBe(1);
    expect(up.stderr).toContain('service web: pre_start[1] exited with code 3');
    expect(up.stderr).toContain('boom');
    expect(up.stderr).toContain(`docker logs ${p}-web-1-pre_start-2`);
    expect(up.stderr).not.toMatch(/\n\s+at /);
    expect(await docker('inspect', '-f', '{{.State.Status}}', `${p}-web-1`)).toBe('created');
    expect(await docker('logs', `${p}-web-1-pre_start-2`)).toBe('boom');
    // The daemon's own passes (every few seconds) leave it: the steps ran once.
    await new Promise((r) => setTimeout(r, 4000));
    expect(await volumeLog(p)).toEqual(['step1']);
    expect(await docker('inspect', '-f', '{{.State.Status}}', `${p}-web-1`)).toBe('created');

    write();
    const fixed = await orc(o, ['-p', p, 'up', '-d'], { cwd: dir });
    expect(fixed.code, explain(fixed)).toBe(0);
    expect(await volumeLog(p)).toEqual(['step1', 'step1', 'step2-two-hello', 'post-yes']);
    expect(
      await docker(
        'ps',
        '-aq',
        '--filter',
        `label=com.docker.compose.project=${p}`,
        '--filter',
        'label=dev.orc.hook',
      ),
    ).toBe('');
  });

  it('a failing post_start fails the up and names the hook', async () => {
    const p = uniqueProject('hookpost');
    projects.push(p);
    const yaml = compose().replace(`sh -c 'echo post-$$HOOK >> /data/log'`, `sh -c 'echo nope >&2; exit 7'`);
    writeFileSync(join(dir, 'compose.yaml'), yaml);
    const up = await orc(o, ['-p', p, 'up', '-d'], { cwd: dir });
    expect(up.code, explain(up)).toBe(1);
    expect(up.stderr).toContain(`service web: post_start[0] in ${p}-web-1 exited with code 7`);
    expect(up.stderr).toContain('nope');
  });

  it('a step writes through its own read-write mount of a volume the service mounts read-only', async () => {
    const p = uniqueProject('hookvol');
    projects.push(p);
    writeFileSync(
      join(dir, 'compose.yaml'),
      `services:
  app:
    image: ${FIXTURE_IMAGE}
    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 300 & wait"]
    volumes: ["data:/data:ro"]
    pre_start:
      - command: sh -c 'echo initialized > /data/init.txt'
        volumes: ["data:/data"]
volumes:
  data: {}
`,
    );
    const up = await orc(o, ['-p', p, 'up', '-d'], { cwd: dir });
    expect(up.code, explain(up)).toBe(0);
    expect(await docker('exec', `${p}-app-1`, 'cat', '/data/init.txt')).toBe('initialized');
    const touch = await docker('exec', `${p}-app-1`, 'sh', '-c', 'touch /data/x 2>&1 || true');
    expect(touch).toContain('Read-only file system');
  });
});
