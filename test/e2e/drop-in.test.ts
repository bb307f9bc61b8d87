/**
 * orc as a drop-in for `docker compose`: installed as the real docker CLI's compose plugin in a temporary
 * DOCKER_CONFIG (never the machine's own), a three-service project goes through `docker compose` as
 * scripts call it, and answers what `orc` answers; then under compose v1's name; then uninstalled.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_IMAGE, removeProject, uniqueProject } from '../support/engine.js';
import { assertBuilt, explain, type OrcEnv, orc, orcEnv, type Result, stopDaemon } from './orc.js';

describe('docker compose → orc (the docker CLI plugin)', () => {
  const o: OrcEnv = orcEnv('dropin');
  const project = uniqueProject('dropin');
  const dir = join(o.dir, 'app');
  const dockerConfig = join(o.dir, 'docker-config');
  const plugin = join(dockerConfig, 'cli-plugins', 'docker-compose');

  /** Runs a command with the test's orc address and the temporary docker config. */
  const run = (cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<Result> =>
    new Promise((resolve) => {
      const child = spawn(cmd, args, {
        cwd: dir,
        env: { ...o.env, DOCKER_CONFIG: dockerConfig, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => {
        stdout += c.toString();
      });
      child.stderr.on('data', (c: Buffer) => {
        stderr += c.toString();
      });
      child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    });
  const compose = (args: string[], env: NodeJS.ProcessEnv = {}) => run('docker', ['compose', ...args], env);

  beforeAll(async () => {
    assertBuilt();
    mkdirSync(dir, { recursive: true });
    const service = (extra: string) =>
      `    image: ${FIXTURE_IMAGE}\n    command: ["sh", "-c", "echo started; trap 'exit 0' TERM; sleep 300 & wait"]\n${extra}`;
    writeFileSync(
      join(dir, 'compose.yaml'),
      [
        `name: ${project}`,
        'services:',
        '  db:',
        service('    healthcheck: {test: ["CMD-SHELL", "true"], interval: 1s, retries: 5}\n'),
        '  api:',
        service('    depends_on: {db: {condition: service_healthy}}\n'),
        '  web:',
        service('    depends_on: [api]\n'),
        '',
      ].join('\n'),
    );
    writeFileSync(join(dir, 'override.yaml'), 'services:\n  web:\n    environment: {FROM_OVERRIDE: "yes"}\n');
    // Start the daemon through orc, so this file knows its pid and stops it afterwards.
    const ls = await orc(o, ['ls'], { cwd: dir });
    expect(ls.code, explain(ls)).toBe(0);
  });

  afterAll(async () => {
    await stopDaemon(o);
    await removeProject(project);
  });

  it('install-plugin makes `docker compose` answer with orc', async () => {
    const install = await orc(o, ['install-plugin'], { cwd: dir, env: { DOCKER_CONFIG: dockerConfig } });
    expect(install.code, explain(install)).toBe(0);
    expect(install.stdout).toContain(`installed ${plugin}`);
    const version = await compose(['version']);
    expect(version.code, explain(version)).toBe(0);
    expect(version.stdout).toMatch(/^Docker Compose version v2\.\d+\.\d+ \(orc /);
    expect((await compose(['version', '--short'])).stdout.trim()).toMatch(/^2\.\d+\.\d+$/);
    const help = await run('docker', ['--help']);
    expect(help.stdout).toMatch(/compose\*?\s+Docker Compose \(orc/);
  });

  it('starts a daemon when none answers, as orc does (the daemon is orc’s own, not a compose stand-in)', async () => {
    const r = await compose(['ls'], {
      ORC_HOST: `unix://${join(o.dir, 'other.sock')}`,
      ORC_STATE_DIR: join(o.dir, 'other'),
    });
    const pid = /started one \(pid (\d+)/.exec(r.stderr)?.[1];
    if (pid) process.kill(Number(pid), 'SIGTERM');
    expect(r.code, explain(r)).toBe(0);
    expect(pid).toBeDefined();
  });

  it('runs a three-service project as scripts do: up --wait, ps json, logs, exec -T, run --rm, config, down', async () => {
    const up = await compose(['up', '-d', '--wait']);
    expect(up.code, explain(up)).toBe(0);

    const ps = await compose(['ps', '--format', 'json']);
    expect(ps.code, explain(ps)).toBe(0);
    // compose ≥ 2.21: one JSON object per line.
    const rows = ps.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { Service: string; State: string });
    expect(rows.map((r) => r.Service).sort()).toEqual(['api', 'db', 'web']);
    expect(rows.every((r) => r.State === 'running')).toBe(true);
    const orcPs = await orc(o, ['ps', '--format', 'json'], { cwd: dir });
    const orcRows = JSON.parse(orcPs.stdout) as Array<{ Service: string; ID: string }>;
    expect(orcRows.map((r) => r.ID).sort()).toEqual(
      rows.map((r) => (r as unknown as { ID: string }).ID).sort(),
    );
    // The table, the project named by its files (the lookup's table view): the same containers.
    const orcTable = await orc(o, ['ps'], { cwd: dir });
    expect(orcTable.code, explain(orcTable)).toBe(0);
    const [header, ...tableRows] = orcTable.stdout.trim().split('\n');
    expect(header).toMatch(/^NAME\s+IMAGE\s+COMMAND\s+SERVICE\s+CREATED\s+STATUS\s+PORTS$/);
    expect(tableRows.map((r) => r.split(/\s+/)[0]).sort()).toEqual(
      (orcRows as unknown as Array<{ Name: string }>).map((r) => r.Name).sort(),
    );

    const logs = await compose(['logs', 'web']);
    expect(logs.code, explain(logs)).toBe(0);
    expect(logs.stdout).toContain('started');

    const exec = await compose(['exec', '-T', 'api', 'sh', '-c', 'echo from-exec']);
    expect(exec.code, explain(exec)).toBe(0);
    expect(exec.stdout.trim()).toBe('from-exec');

    const oneOff = await compose(['run', '--rm', '--no-deps', 'web', 'sh', '-c', 'exit 5']);
    expect(oneOff.code, explain(oneOff)).toBe(5);

    const config = await compose(['config'], { COMPOSE_FILE: 'compose.yaml:override.yaml' });
    expect(config.code, explain(config)).toBe(0);
    expect(config.stdout).toContain('FROM_OVERRIDE');

    // Global docker flags before `compose` are the docker CLI's, not orc's.
    const ctxPs = await run('docker', ['--context', 'default', 'compose', 'ps', '-q']);
    expect(ctxPs.code, explain(ctxPs)).toBe(0);
    expect(ctxPs.stdout.trim().split('\n')).toHaveLength(3);

    const down = await compose(['down']);
    expect(down.code, explain(down)).toBe(0);
    expect((await compose(['ps', '-q'])).stdout.trim()).toBe('');
  });

  it('answers under compose v1’s name, and uninstall-plugin puts things back', async () => {
    const v1 = await run(plugin, ['version', '--short']);
    expect(v1.code, explain(v1)).toBe(0);
    expect(v1.stdout.trim()).toMatch(/^2\.\d+\.\d+$/);
    const ls = await run(plugin, ['ls']);
    expect(ls.code, explain(ls)).toBe(0);

    const uninstall = await orc(o, ['uninstall-plugin'], { cwd: dir, env: { DOCKER_CONFIG: dockerConfig } });
    expect(uninstall.code, explain(uninstall)).toBe(0);
    expect(existsSync(plugin)).toBe(false);
    const gone = await compose(['version']);
    expect(gone.code).not.toBe(0);
  });
});
