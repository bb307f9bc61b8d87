/**
 * `orc push` through the built binary against a local registry with basic auth: the credentials come
 * from the client's DOCKER_CONFIG (as `pull`'s do); services without `build:` are skipped, as compose.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docker, FIXTURE_IMAGE, removeProject, uniqueProject } from '../support/engine.js';
import { startRegistry, type TestRegistry } from '../support/registry.js';
import { assertBuilt, explain, type OrcEnv, orc, orcEnv, stopDaemon } from './orc.js';

describe('orc push', () => {
  const o: OrcEnv = orcEnv('i18push');
  const project = uniqueProject('i18-cmds-push');
  let registry: TestRegistry;
  let dir: string;
  let app: string;
  let dep: string;
  const dockerConfig = join(o.dir, 'docker-config');
  const run = (args: string[], env: NodeJS.ProcessEnv = {}) =>
    orc(o, ['-p', project, '--ansi', 'never', ...args], {
      cwd: dir,
      env: { DOCKER_CONFIG: dockerConfig, ...env },
    });
  /** The tags the registry holds for a repository (asked as the owner). */
  const tags = async (repo: string) => {
    const auth = Buffer.from('orc:s3cret-pass').toString('base64');
    const res = await fetch(`http://${registry.host}/v2/${repo}/tags/list`, {
      headers: { authorization: `Basic ${auth}` },
    });
    return res.ok ? (((await res.json()) as { tags: string[] | null }).tags ?? []) : [];
  };

  beforeAll(async () => {
    assertBuilt();
    registry = await startRegistry({ auth: { username: 'orc', password: 's3cret-pass' } });
    app = `${registry.host}/${project}/app:1`;
    dep = `${registry.host}/${project}/dep:1`;
    dir = join(o.dir, 'project');
    mkdirSync(dir, { recursive: true });
    mkdirSync(dockerConfig, { recursive: true });
    writeFileSync(join(dir, 'Dockerfile'), `FROM ${FIXTURE_IMAGE}\nRUN echo pushed > /marker\n`);
    writeFileSync(
      join(dir, 'compose.yaml'),
      [
        'services:',
        '  app:',
        `    image: ${app}`,
        '    build: .',
        '    depends_on: [dep]',
        '  dep:',
        `    image: ${dep}`,
        '    build: .',
        '  plain:',
        `    image: ${FIXTURE_IMAGE}`,
        '',
      ].join('\n'),
    );
    const b = await run(['build']);
    expect(b.code, explain(b)).toBe(0);
  }, 240_000);

  afterAll(async () => {
    await stopDaemon(o);
    await removeProject(project);
    for (const ref of [app, dep]) if (ref) await docker('rmi', '-f', ref).catch(() => undefined);
    await registry?.stop();
  }, 120_000);

  it('without credentials: exit 1 naming the registry; with --ignore-push-failures: exit 0', async () => {
    writeFileSync(join(dockerConfig, 'config.json'), '{}');
    const r = await run(['push', 'app']);
    expect(r.code, explain(r)).toBe(1);
    expect(r.stderr).toContain(registry.host);
    const ignored = await run(['push', '--ignore-push-failures', 'app']);
    expect(ignored.code, explain(ignored)).toBe(0);
    expect(await tags(`${project}/app`)).toEqual([]);
  }, 120_000);

  it('pushes the named service only; --include-deps adds its dependencies; never the password', async () => {
    const auth = Buffer.from('orc:s3cret-pass').toString('base64');
    writeFileSync(
      join(dockerConfig, 'config.json'),
      JSON.stringify({ auths: { [registry.host]: { auth } } }),
    );
    const one = await run(['push', 'app']);
    expect(one.code, explain(one)).toBe(0);
    expect(await tags(`${project}/app`)).toEqual(['1']);
    expect(await tags(`${project}/dep`)).toEqual([]);
    const deps = await run(['push', '-q', '--include-deps', 'app']);
    expect(deps.code, explain(deps)).toBe(0);
    expect(await tags(`${project}/dep`)).toEqual(['1']);
    for (const r of [one, deps]) expect(`${r.stdout}${r.stderr}`).not.toContain('s3cret-pass');
    // All: the service without build: is skipped (its image is not ours to push), as compose.
    const all = await run(['push']);
    expect(all.code, explain(all)).toBe(0);
  }, 120_000);

  it('build --push: builds, then pushes the images of the services built (compose build --push)', async () => {
    // Another project, so the earlier pushes of this file cannot have put the image there.
    const other = `${project}-bp`;
    const solo = `${registry.host}/${other}/solo:1`;
    writeFileSync(
      join(dir, 'solo.yaml'),
      ['services:', '  solo:', `    image: ${solo}`, '    build: .', ''].join('\n'),
    );
    try {
      expect(await tags(`${other}/solo`)).toEqual([]);
      const r = await orc(o, ['-p', other, '-f', 'solo.yaml', '--ansi', 'never', 'build', '--push'], {
        cwd: dir,
        env: { DOCKER_CONFIG: dockerConfig },
      });
      expect(r.code, explain(r)).toBe(0);
      expect(await tags(`${other}/solo`)).toEqual(['1']);
    } finally {
      await docker('rmi', '-f', solo).catch(() => undefined);
    }
  }, 180_000);
});
