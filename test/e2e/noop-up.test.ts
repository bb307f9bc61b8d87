// biome-ignore-all lint/suspicious/noTemplateCurlyInString: compose files spell ${VAR} literally
/**
 * A no-op `up -d` reuses the daemon's last load (issue 17, item 2), so every input of the load must still
 * reach the containers when it changes: a byte of the compose file, `.env`, an `env_file`, an included
 * file, and the client's environment. Each edit below is followed by an `up -d` that must apply it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docker, FIXTURE_IMAGE, removeProject, uniqueProject } from '../support/engine.js';
import { assertBuilt, explain, type OrcEnv, orc, orcEnv, stopDaemon } from './orc.js';

describe('no-op up and its load cache', () => {
  const o: OrcEnv = orcEnv('perf-noop');
  const project = uniqueProject('perf-noop');
  const dir = join(o.dir, 'app');
  const write = (rel: string, text: string) => {
    mkdirSync(join(dir, rel, '..'), { recursive: true });
    writeFileSync(join(dir, rel), text);
  };
  const compose = (mode: string) =>
    [
      'include: [inc/extra.yaml]',
      'services:',
      '  web:',
      `    image: ${FIXTURE_IMAGE}`,
      '    command: ["sleep", "300"]',
      '    init: true',
      '    env_file: [web.env]',
      `    environment: { MODE: ${mode}, FROM_DOTENV: "\${DOTENV_VAR}", FROM_SHELL: "\${SHELL_VAR:-unset}" }`,
      '',
    ].join('\n');
  const extra = (value: string) =>
    [
      'services:',
      '  extra:',
      `    image: ${FIXTURE_IMAGE}`,
      '    command: ["sleep", "300"]',
      '    init: true',
      `    environment: { EXTRA: "${value}" }`,
      '',
    ].join('\n');

  const up = async (env: NodeJS.ProcessEnv = {}) => {
    const r = await orc(o, ['-p', project, 'up', '-d'], { cwd: dir, env });
    expect(r.code, explain(r)).toBe(0);
  };
  /** The container's id and its environment as NAME=VALUE lines. */
  const container = async (service: string) => {
    const out = await docker(
      'inspect',
      '--format',
      '{{.Id}} {{json .Config.Env}}',
      `${project}-${service}-1`,
    );
    const [id, env] = [out.slice(0, out.indexOf(' ')), out.slice(out.indexOf(' ') + 1)];
    return { id, env: JSON.parse(env) as string[] };
  };

  beforeAll(() => {
    assertBuilt();
    write('compose.yaml', compose('one'));
    write('.env', 'DOTENV_VAR=first\n');
    write('web.env', 'FROM_ENV_FILE=a\n');
    write('inc/extra.yaml', extra('x'));
  });

  afterAll(async () => {
    await stopDaemon(o);
    await removeProject(project);
  });

  it('an unchanged up leaves the containers alone; each changed input is applied by the next up', async () => {
    await up();
    const first = await container('web');
    expect(first.env).toEqual(expect.arrayContaining(['MODE=one', 'FROM_DOTENV=first', 'FROM_ENV_FILE=a']));
    expect(first.env).toContain('FROM_SHELL=unset');

    await up();
    expect((await container('web')).id).toBe(first.id);

    // Same length, one byte changed: the daemon must see the new bytes, not a size or a time.
    write('compose.yaml', compose('two'));
    await up();
    const afterCompose = await container('web');
    expect(afterCompose.id).not.toBe(first.id);
    expect(afterCompose.env).toContain('MODE=two');

    write('.env', 'DOTENV_VAR=second\n');
    await up();
    expect((await container('web')).env).toContain('FROM_DOTENV=second');

    write('web.env', 'FROM_ENV_FILE=b\n');
    await up();
    expect((await container('web')).env).toContain('FROM_ENV_FILE=b');

    const extraBefore = await container('extra');
    expect(extraBefore.env).toContain('EXTRA=x');
    write('inc/extra.yaml', extra('y'));
    await up();
    expect((await container('extra')).env).toContain('EXTRA=y');

    await up({ SHELL_VAR: 'from-shell' });
    const afterShell = await container('web');
    expect(afterShell.env).toContain('FROM_SHELL=from-shell');

    // And back to an environment seen before: the kept result of that load, applied again.
    await up();
    expect((await container('web')).env).toContain('FROM_SHELL=unset');
  });
});
