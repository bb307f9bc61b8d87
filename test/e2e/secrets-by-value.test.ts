/**
 * Secrets and configs given by `content:` and `environment:` reach the container at their target, with
 * the uid, gid and mode asked for; their values appear in no label, no API answer and no host file once
 * the project is down.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docker, FIXTURE_IMAGE, removeProject, uniqueProject } from '../support/engine.js';
import { assertBuilt, explain, type OrcEnv, orc, orcEnv, stopDaemon } from './orc.js';

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)],
  );
}

describe('secrets and configs by value', () => {
  const o: OrcEnv = orcEnv('secrets');
  const project = uniqueProject('secrets');
  const dir = join(o.dir, 'app');

  beforeAll(() => {
    assertBuilt();
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'compose.yaml'),
      `services:
  app:
    image: ${FIXTURE_IMAGE}
    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 300 & wait"]
    user: "1000"
    secrets:
      - {source: token, uid: "1000", gid: "1001", mode: 0400}
      - fromenv
    configs:
      - {source: motd, target: /etc/motd}
secrets:
  token: {content: s3cr3t-token-value}
  fromenv: {environment: ORC_TEST_SECRET}
configs:
  motd: {content: hello there}
`,
    );
  });

  afterAll(async () => {
    await stopDaemon(o);
    await removeProject(project);
  });

  it('are in the container with their owner and mode, and nowhere else', async () => {
    const env = { ORC_TEST_SECRET: 'env-secret-value' };
    const up = await orc(o, ['-p', project, 'up', '-d'], { cwd: dir, env });
    expect(up.code, explain(up)).toBe(0);
    const c = `${project}-app-1`;
    // The service runs as 1000: it reads the 0400 secret it owns.
    expect(await docker('exec', c, 'cat', '/run/secrets/token')).toBe('s3cr3t-token-value');
    expect(await docker('exec', c, 'cat', '/run/secrets/fromenv')).toBe('env-secret-value');
    expect(await docker('exec', c, 'cat', '/etc/motd')).toBe('hello there');
    expect(await docker('exec', c, 'ls', '-ln', '/run/secrets/token')).toMatch(/^-r-------- +1 1000 +1001 /);
    expect(await docker('inspect', c)).not.toContain('s3cr3t');
    const ps = await orc(o, ['-p', project, 'ps', '--format', 'json'], { cwd: dir });
    expect(ps.stdout).not.toContain('s3cr3t');
    const config = await orc(o, ['-p', project, 'config'], { cwd: dir, env });
    expect(config.stdout).not.toContain('s3cr3t');
    expect(config.stdout).not.toContain('env-secret-value');

    const down = await orc(o, ['-p', project, 'down'], { cwd: dir });
    expect(down.code, explain(down)).toBe(0);
    const leaks = filesUnder(o.stateDir).filter((f) => readFileSync(f, 'utf8').includes('s3cr3t'));
    expect(leaks).toEqual([]);
  });
});
