/**
 * Issue 18: the per-command compose flags that were `missing`, through the BUILT `orc` on the real
 * engine: build --build-arg / -m, pull --ignore-buildable, ps --filter / --no-trunc / --orphans,
 * ls --filter, kill --remove-orphans, restart --no-deps, exec -d, scale --no-deps, config --environment, pull --policy.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docker, FIXTURE_IMAGE, removeProject, uniqueProject } from '../support/engine.js';
import { assertBuilt, explain, type OrcEnv, orc, orcEnv, stopDaemon } from './orc.js';

const LONG = 'echo a command line longer than twenty characters; exec sleep 3600';

function composeFile(withOld: boolean): string {
  return `services:
  db:
    image: ${FIXTURE_IMAGE}
    command: ["sh", "-c", "${LONG}"]
    stop_grace_period: 1s
  api:
    build:
      context: .
      args:
        GREETING: from-file
        DROPPED: from-file
    command: ["sleep", "3600"]
    stop_grace_period: 1s
    depends_on:
      db:
        condition: service_started
        restart: true
${
  withOld
    ? `  old:
    image: ${FIXTURE_IMAGE}
    command: ["sleep", "3600"]
    stop_grace_period: 1s
`
    : ''
}`;
}

describe('compose flags of issue 18 (ps, ls, kill, restart, exec, scale, build, pull)', () => {
  const o: OrcEnv = orcEnv('i18flags');
  const project = uniqueProject('i18-flags');
  let dir: string;
  const run = (args: string[], env: NodeJS.ProcessEnv = {}) =>
    orc(o, ['-p', project, ...args], { cwd: dir, env });
  const inspect = (name: string, format: string) => docker('inspect', '--format', format, name);

  beforeAll(async () => {
    assertBuilt();
    dir = join(o.dir, 'project');
    mkdirSync(dir, { recursive: true });
    // The project name in the RUN line keeps another run's build cache from answering for this one.
    writeFileSync(
      join(dir, 'Dockerfile'),
      `FROM ${FIXTURE_IMAGE}
ARG GREETING
ARG DROPPED
ARG EXTRA
RUN echo "${project} $GREETING \${DROPPED-none} \${EXTRA:-none}" > /args && (cat /sys/fs/cgroup/memory.max 2>/dev/null || cat /sys/fs/cgroup/memory/memory.limit_in_bytes) > /mem
`,
    );
    writeFileSync(join(dir, 'compose.yaml'), composeFile(true));
  }, 60_000);

  afterAll(async () => {
    await stopDaemon(o);
    await removeProject(project);
    await docker('rmi', '-f', `${project}-api`).catch(() => undefined);
  }, 120_000);

  it('build --build-arg overrides the file (a bare KEY from the environment, unset: removed); -m limits the build', async () => {
    const built = await run(
      ['build', '--build-arg', 'GREETING=cli', '--build-arg', 'DROPPED', '--build-arg', 'EXTRA', '-m', '64m'],
      { EXTRA: 'env-value' },
    );
    expect(built.code, explain(built)).toBe(0);
    expect(await docker('run', '--rm', `${project}-api`, 'cat', '/args')).toBe(
      `${project} cli none env-value`,
    );
    expect(await docker('run', '--rm', `${project}-api`, 'cat', '/mem')).toBe(String(64 * 1024 * 1024));
  }, 180_000);

  it('config --environment prints the interpolation environment, sorted', async () => {
    writeFileSync(join(dir, '.env'), 'FROM_DOTENV=yes\nSHADOWED=dotenv\n');
    const r = await run(['config', '--environment'], { SHADOWED: 'client', ONLY_CLIENT: 'c' });
    expect(r.code, explain(r)).toBe(0);
    const rows = r.stdout.trim().split('\n');
    expect(rows).toEqual(expect.arrayContaining(['FROM_DOTENV=yes', 'SHADOWED=client', 'ONLY_CLIENT=c']));
    expect(rows).toContain(`COMPOSE_PROJECT_NAME=${project}`);
    expect(rows).toEqual([...rows].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
  });

  it('pull --ignore-buildable skips the service that builds its image', async () => {
    const pulled = await run(['--progress', 'plain', 'pull', '--ignore-buildable', 'api']);
    expect(pulled.code, explain(pulled)).toBe(0);
    expect(`${pulled.stdout}${pulled.stderr}`).toContain(
      `Image ${project}-api  Skipped (image can be built)`,
    );
  });

  it('pull --policy missing skips an image the engine has (the fixture: no registry has it)', async () => {
    const skipped = await run(['--progress', 'plain', 'pull', '--policy', 'missing', 'db']);
    expect(skipped.code, explain(skipped)).toBe(0);
    expect(`${skipped.stdout}${skipped.stderr}`).toContain(
      `Image ${FIXTURE_IMAGE}  Skipped (image is already present locally)`,
    );
    // Without it, the pull is tried (and fails: the fixture is in no registry).
    const tried = await run(['--progress', 'plain', 'pull', 'db']);
    expect(tried.code, explain(tried)).not.toBe(0);
    const bad = await run(['pull', '--policy', 'never']);
    expect(bad.code).toBe(2);
  }, 60_000);

  it('ps --no-trunc, --filter status=, --orphans=false; ls --filter name=', async () => {
    const up = await run(['up', '-d']);
    expect(up.code, explain(up)).toBe(0);
    // `old` leaves the file: its container is an orphan now.
    writeFileSync(join(dir, 'compose.yaml'), composeFile(false));
    const again = await run(['up', '-d']);
    expect(again.code, explain(again)).toBe(0);

    const table = await run(['ps']);
    expect(table.stdout, explain(table)).toContain('…');
    expect(table.stdout).not.toContain('exec sleep 3600');
    const full = await run(['ps', '--no-trunc']);
    expect(full.stdout, explain(full)).toContain('exec sleep 3600');
    expect(full.stdout).not.toContain('…');

    const services = async (args: string[]) => {
      const r = await run(['ps', '--services', ...args]);
      expect(r.code, explain(r)).toBe(0);
      return r.stdout.trim().split('\n').filter(Boolean);
    };
    expect(await services([])).toEqual(['api', 'db', 'old']);
    expect(await services(['--orphans=false'])).toEqual(['api', 'db']);
    expect(await services(['--filter', 'status=running'])).toEqual(['api', 'db', 'old']);
    expect(await services(['--filter', 'status=exited'])).toEqual([]);
    const bad = await run(['ps', '--filter', 'name=db']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unknown filter name');

    const ls = await orc(o, ['ls', '-q', '--filter', `name=${project.slice(0, -2)}`], { cwd: dir });
    expect(ls.stdout.split('\n'), explain(ls)).toContain(project);
    const none = await orc(o, ['ls', '-q', '--filter', `name=^${project}-nothing$`], { cwd: dir });
    expect(none.code, explain(none)).toBe(0);
    expect(none.stdout).toBe('');
  }, 180_000);

  it('kill leaves orphans alone unless --remove-orphans', async () => {
    const old = `${project}-old-1`;
    const kept = await run(['kill', 'old']);
    expect(kept.code, explain(kept)).toBe(0);
    expect(await inspect(old, '{{.State.Status}}')).toBe('running');
    const killed = await run(['kill', '--remove-orphans', 'old']);
    expect(killed.code, explain(killed)).toBe(0);
    expect(await inspect(old, '{{.State.Status}}')).toBe('exited');
    expect(await inspect(`${project}-db-1`, '{{.State.Status}}')).toBe('running');
  }, 60_000);

  it('restart follows depends_on.restart; --no-deps restarts the named service alone', async () => {
    const started = () => inspect(`${project}-api-1`, '{{.State.StartedAt}}');
    const before = await started();
    const alone = await run(['restart', '--no-deps', 'db']);
    expect(alone.code, explain(alone)).toBe(0);
    expect(await started()).toBe(before);
    const both = await run(['restart', 'db']);
    expect(both.code, explain(both)).toBe(0);
    expect(await started()).not.toBe(before);
  }, 60_000);

  it('exec -d starts the command and returns at once, printing nothing', async () => {
    const r = await run(['exec', '-d', 'api', 'sh', '-c', 'echo not-shown; sleep 3; touch /tmp/done']);
    expect(r.code, explain(r)).toBe(0);
    expect(r.stdout).toBe('');
    const has = () =>
      docker('exec', `${project}-api-1`, 'sh', '-c', 'test -f /tmp/done && echo yes || echo no');
    // Still sleeping: exec -d did not wait for it.
    expect(await has()).toBe('no');
    let done = 'no';
    for (let i = 0; i < 100 && done === 'no'; i++) {
      await new Promise((res) => setTimeout(res, 100));
      done = await has();
    }
    expect(done).toBe('yes');
  }, 60_000);

  it('scale --no-deps leaves a stopped dependency stopped; scale without it starts it', async () => {
    const stop = await run(['stop', 'db']);
    expect(stop.code, explain(stop)).toBe(0);
    const alone = await run(['scale', '--no-deps', 'api=2']);
    expect(alone.code, explain(alone)).toBe(0);
    expect(await inspect(`${project}-db-1`, '{{.State.Status}}')).toBe('exited');
    expect(await inspect(`${project}-api-2`, '{{.State.Status}}')).toBe('running');
    const withDeps = await run(['scale', 'api=1']);
    expect(withDeps.code, explain(withDeps)).toBe(0);
    expect(await inspect(`${project}-db-1`, '{{.State.Status}}')).toBe('running');
  }, 120_000);
});
