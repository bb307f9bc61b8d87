/**
 * The run request's compose v2 options over HTTP, against a real daemon process and the real engine:
 * what is refused is refused before a dependency starts or a container is made, and `servicePorts`,
 * `capDrop` and `useAliases` reach the engine's view of the one-off.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docker, FIXTURE_IMAGE, removeProject, uniqueProject } from '../support/engine.js';
import { cleanupDaemon, type DaemonProcess, startDaemon } from './support/daemon.js';

const project = uniqueProject('apirunf');

interface Inspected {
  HostConfig: {
    PortBindings: Record<string, Array<{ HostIp: string; HostPort: string }>> | null;
    CapDrop: string[] | null;
  };
  NetworkSettings: { Networks: Record<string, { Aliases: string[] | null }> };
}

describe('run options over HTTP', () => {
  let d: DaemonProcess;
  let dir: string;
  const source = () => ({
    workingDir: dir,
    inline: [
      {
        name: 'compose.yaml',
        content: `
services:
  app:
    image: ${FIXTURE_IMAGE}
    command: ["sleep", "3600"]
    stop_grace_period: 1s
    ports: ["127.0.0.1::80"]
    depends_on: [db]
  db:
    image: ${FIXTURE_IMAGE}
    command: ["sleep", "3600"]
    stop_grace_period: 1s
`,
      },
    ],
    env: {},
    projectName: project,
  });
  const names = async () =>
    (
      await docker(
        'ps',
        '-a',
        '--filter',
        `label=com.docker.compose.project=${project}`,
        '--format',
        '{{.Names}}',
      )
    )
      .split('\n')
      .filter(Boolean);
  const run = (options: Record<string, unknown>) =>
    d.request('POST', `/v1/projects/${project}/run`, {
      source: source(),
      service: 'app',
      detach: true,
      ...options,
    });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'orc-api-runflags-'));
    d = await startDaemon();
  }, 120_000);
  afterAll(async () => {
    await d?.stop();
    await removeProject(project);
    cleanupDaemon(d);
    rmSync(dir, { recursive: true, force: true });
  }, 120_000);

  it('refuses servicePorts with publish, a bad port, a bad volume or name: 400, nothing started', async () => {
    for (const bad of [
      { servicePorts: true, publish: ['8080:80'] },
      { publish: ['8080:http'] },
      { volumes: ['data:relative'] },
      { volumes: ['~/x:/x'] },
      { name: '-bad' },
    ]) {
      const res = await run(bad);
      expect(res.status, `${JSON.stringify(bad)}: ${res.text}`).toBe(400);
    }
    expect(await names()).toEqual([]);
  }, 120_000);

  it('servicePorts publishes the service ports; capDrop and useAliases reach the container', async () => {
    const res = await run({
      servicePorts: true,
      capDrop: ['MKNOD'],
      useAliases: true,
      cmd: ['sleep', '600'],
    });
    expect(res.status, res.text).toBe(200);
    const [c] = JSON.parse(await docker('inspect', res.json.container)) as Inspected[];
    expect(c?.HostConfig.PortBindings).toEqual({ '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }] });
    expect(c?.HostConfig.CapDrop).toEqual(['MKNOD']);
    expect(c?.NetworkSettings.Networks[`${project}_default`]?.Aliases ?? []).toContain('app');
    expect(c?.NetworkSettings.Networks[`${project}_default`]?.Aliases ?? []).not.toContain(
      `${project}-app-1`,
    );
  }, 120_000);

  it('a --name someone holds is refused with 409, and the holder survives even with rm', async () => {
    const name = `${project}-named`;
    const first = await run({ name, cmd: ['sleep', '600'], noDeps: true });
    expect(first.status, first.text).toBe(200);
    const again = await run({ name, rm: true, noDeps: true });
    expect(again.status, again.text).toBe(409);
    expect(again.json.code).toBe('NAME_IN_USE');
    expect(await docker('inspect', '--format', '{{.State.Running}}', name)).toBe('true');
  }, 120_000);
});
