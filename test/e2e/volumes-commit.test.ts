import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docker, FIXTURE_IMAGE, removeProject, uniqueProject } from '../support/engine.js';
import { assertBuilt, explain, type OrcEnv, orc, orcEnv, stopDaemon } from './orc.js';

/** `orc volumes` and `orc commit` against the real engine, through the built binary. */
describe('volumes and commit', () => {
  const o: OrcEnv = orcEnv('i18vol');
  const project = uniqueProject('i18-cmds-vc');
  const image = `i18-cmds-commit-${project}`;
  const dir = join(o.dir, 'app');

  beforeAll(async () => {
    assertBuilt();
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'compose.yaml'),
      [
        'services:',
        '  app:',
        `    image: ${FIXTURE_IMAGE}`,
        '    command: ["sh", "-c", "echo committed > /marker; exec sleep 300"]',
        '    stop_grace_period: 1s',
        '    volumes: ["data:/data"]',
        '  other:',
        `    image: ${FIXTURE_IMAGE}`,
        '    command: ["sleep", "300"]',
        '    stop_grace_period: 1s',
        '    volumes: ["logs:/logs", "./:/host:ro"]',
        'volumes:',
        '  data: {}',
        '  logs: {}',
        '',
      ].join('\n'),
    );
    const r = await orc(o, ['-p', project, 'up', '-d'], { cwd: dir });
    expect(r.code, explain(r)).toBe(0);
  }, 120_000);

  afterAll(async () => {
    await stopDaemon(o);
    await removeProject(project);
    await docker('rmi', '-f', `${image}:v1`, `${image}:latest`).catch(() => undefined);
  });

  const run = (args: string[]) => orc(o, ['-p', project, ...args], { cwd: dir });

  it('volumes: compose’s table of the project’s volumes; SERVICE keeps the ones it mounts', async () => {
    const all = await run(['volumes']);
    expect(all.code, explain(all)).toBe(0);
    const lines = all.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^DRIVER\s+VOLUME NAME$/);
    expect(lines.slice(1).map((l) => l.split(/\s+/).join(' '))).toEqual([
      `local ${project}_data`,
      `local ${project}_logs`,
    ]);
    const quiet = await run(['volumes', '-q', 'app']);
    expect(quiet.code, explain(quiet)).toBe(0);
    expect(quiet.stdout).toBe(`${project}_data\n`);
    const json = await run(['volumes', '--format', 'json', 'other']);
    expect(json.code, explain(json)).toBe(0);
    const objects = json.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { Name: string; Driver: string; Labels: string });
    expect(objects.map((v) => [v.Name, v.Driver])).toEqual([[`${project}_logs`, 'local']]);
    expect(objects[0]?.Labels).toContain(`com.docker.compose.project=${project}`);
    const template = await run(['volumes', '--format', '{{.Name}} on {{.Driver}}', 'app']);
    expect(template.stdout).toBe(`${project}_data on local\n`);
    const unknown = await run(['volumes', 'nope']);
    expect(unknown.code, explain(unknown)).toBe(1);
    expect(unknown.stderr).toMatch(/no such service: nope/);
  }, 60_000);

  it('commit: the container’s changes, author, message and -c changes in a new image', async () => {
    const r = await run([
      'commit',
      '-a',
      'i18 tester',
      '-m',
      'a snapshot',
      '-c',
      'ENV FOO=bar',
      '-c',
      'LABEL i18=cmds',
      'app',
      `${image}:v1`,
    ]);
    expect(r.code, explain(r)).toBe(0);
    expect(r.stdout).toMatch(/^sha256:[0-9a-f]{64}\n$/);
    expect(r.stderr).toContain(`Container ${project}-app-1 Committed`);
    const inspect = JSON.parse(await docker('image', 'inspect', `${image}:v1`)) as Array<{
      Id: string;
      Author: string;
      Comment: string;
      Config: { Env: string[]; Labels: Record<string, string> };
    }>;
    expect(inspect[0]?.Id).toBe(r.stdout.trim());
    expect(inspect[0]?.Author).toBe('i18 tester');
    expect(inspect[0]?.Comment).toBe('a snapshot');
    expect(inspect[0]?.Config.Env).toContain('FOO=bar');
    expect(inspect[0]?.Config.Labels.i18).toBe('cmds');
    // The file the container wrote is in the image.
    expect(await docker('run', '--rm', `${image}:v1`, 'cat', '/marker')).toBe('committed');
    // The container was paused for the commit and runs on.
    expect(await docker('inspect', '-f', '{{.State.Status}}', `${project}-app-1`)).toBe('running');
  }, 60_000);

  it('commit: no tag means latest, --pause false; an unknown service or index fails with exit 1', async () => {
    const r = await run(['commit', '--pause', 'false', 'app', image]);
    expect(r.code, explain(r)).toBe(0);
    expect(await docker('image', 'inspect', '-f', '{{.Id}}', `${image}:latest`)).toBe(r.stdout.trim());
    const index = await run(['commit', '--index', '2', 'app']);
    expect(index.code, explain(index)).toBe(1);
    expect(index.stderr).toMatch(/no container number 2/);
    const unknown = await run(['commit', 'nope']);
    expect(unknown.code, explain(unknown)).toBe(1);
    expect(unknown.stderr).toMatch(/nope/);
  }, 60_000);
});
