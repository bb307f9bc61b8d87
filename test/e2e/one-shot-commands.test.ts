/** `orc stats`, `orc export`, `orc attach` and `orc wait` (compose's), through the built CLI on the real engine. */

import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docker, FIXTURE_IMAGE, removeProject, uniqueProject } from '../support/engine.js';
import { assertBuilt, explain, type OrcEnv, orc, orcEnv, start, stopDaemon } from './orc.js';

const run = promisify(execFile);

describe('orc stats, export, wait', () => {
  const o: OrcEnv = orcEnv('wait');
  const project = uniqueProject('wait');
  const dir = join(o.dir, 'app');

  beforeAll(() => {
    assertBuilt();
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'compose.yaml'),
      [
        'services:',
        '  job:',
        `    image: ${FIXTURE_IMAGE}`,
        '    command: ["sh", "-c", "sleep 1; exit 4"]',
        '  ticker:',
        `    image: ${FIXTURE_IMAGE}`,
        `    command: ["sh", "-c", "trap 'exit 0' TERM; i=0; while [ $$i -lt 6 ]; do echo tick $$i; i=$$((i+1)); sleep 0.5; done; exit 6"]`,
        '  web:',
        `    image: ${FIXTURE_IMAGE}`,
        `    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 300 & wait"]`,
        '',
      ].join('\n'),
    );
  });

  afterAll(async () => {
    await stopDaemon(o);
    await removeProject(project);
  });

  it('stats --no-stream: docker stats’ columns for the running containers; json one object per line', async () => {
    const up = await orc(o, ['-p', project, 'up', '-d', 'web'], { cwd: dir });
    expect(up.code, explain(up)).toBe(0);
    const table = await orc(o, ['-p', project, 'stats', '--no-stream'], { cwd: dir });
    expect(table.code, explain(table)).toBe(0);
    expect(table.stdout).toMatch(/^CONTAINER ID\s+NAME\s+CPU %\s+MEM USAGE \/ LIMIT/);
    expect(table.stdout).toContain(`${project}-web-1`);
    const json = await orc(o, ['-p', project, 'stats', '--no-stream', '--format', 'json', 'web'], {
      cwd: dir,
    });
    const row = JSON.parse(json.stdout.trim()) as { container: string; memUsage: number; pids: number };
    expect(row.container).toBe(`${project}-web-1`);
    expect(row.memUsage).toBeGreaterThan(0);
    expect(row.pids).toBeGreaterThanOrEqual(1);
  });

  it('export writes the service container’s filesystem as tar (to a file, or to stdout when redirected)', async () => {
    const file = join(o.dir, 'web.tar');
    const r = await orc(o, ['-p', project, 'export', 'web', '-o', file], { cwd: dir });
    expect(r.code, explain(r)).toBe(0);
    const listing = await run('tar', ['tf', file]);
    expect(listing.stdout.split('\n')).toEqual(expect.arrayContaining(['.dockerenv', 'bin/']));
    const missing = await orc(o, ['-p', project, 'export', 'web', '--index', '2', '-o', file], { cwd: dir });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('has no container number 2');
  });

  it('attach follows a running container’s output until it stops and exits with its code; leaving detaches', async () => {
    const up = await orc(o, ['-p', project, 'up', '-d', 'ticker'], { cwd: dir });
    expect(up.code, explain(up)).toBe(0);
    const attached = await orc(o, ['-p', project, 'attach', '--no-stdin', 'ticker'], { cwd: dir });
    expect(attached.code, explain(attached)).toBe(6);
    expect(attached.stdout).toMatch(/tick [1-5]/);

    // Leaving (Ctrl-C) does not stop the container.
    const run = start(o, ['-p', project, 'attach', '--no-stdin', 'web'], { cwd: dir });
    await new Promise((r) => setTimeout(r, 1500));
    run.child.kill('SIGINT');
    const r = await run.result;
    expect(r.code, explain(r)).toBe(130);
    expect(await docker('inspect', '-f', '{{.State.Status}}', `${project}-web-1`)).toBe('running');
  });

  it('blocks until the first container of the services stops and exits with its code; --down-project takes the project down', async () => {
    const up = await orc(o, ['-p', project, 'up', '-d'], { cwd: dir });
    expect(up.code, explain(up)).toBe(0);
    const started = Date.now();
    const wait = await orc(o, ['-p', project, 'wait', 'job', 'web'], { cwd: dir });
    expect(wait.code, explain(wait)).toBe(4);
    expect(Date.now() - started).toBeGreaterThan(300);
    // Already stopped: answers at once, with the same code; then the project goes down.
    const again = await orc(o, ['-p', project, 'wait', 'job', '--down-project'], { cwd: dir });
    expect(again.code, explain(again)).toBe(4);
    expect(await docker('ps', '-aq', '--filter', `label=com.docker.compose.project=${project}`)).toBe('');
    const none = await orc(o, ['-p', project, 'wait', 'job'], { cwd: dir });
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('no project named');
  });

  it('create makes the containers and starts none (compose’s create: up --no-start)', async () => {
    const other = uniqueProject('create');
    try {
      const r = await orc(o, ['-p', other, 'create', 'web'], { cwd: dir });
      expect(r.code, explain(r)).toBe(0);
      expect(await docker('inspect', '-f', '{{.State.Status}}', `${other}-web-1`)).toBe('created');
      await new Promise((res) => setTimeout(res, 2000));
      expect(await docker('inspect', '-f', '{{.State.Status}}', `${other}-web-1`)).toBe('created');
    } finally {
      await orc(o, ['-p', other, 'down', '-t', '0'], { cwd: dir });
      await removeProject(other);
    }
  });
});
