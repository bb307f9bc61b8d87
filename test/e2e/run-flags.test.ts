/**
 * `orc run`'s compose v2 flags through the BUILT `orc` binary, checked on the engine's own view of the
 * one-off (`docker inspect`): --name, -p, -v, -l, --cap-add, --use-aliases.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docker, FIXTURE_IMAGE, removeProject, uniqueProject } from '../support/engine.js';
import { assertBuilt, explain, type OrcEnv, orc, orcEnv, stopDaemon } from './orc.js';

/** A port free now: the engine binds it for the one-off a moment later. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

interface Inspected {
  Name: string;
  Config: { Labels: Record<string, string> };
  HostConfig: {
    PortBindings: Record<string, Array<{ HostIp: string; HostPort: string }>> | null;
    CapAdd: string[] | null;
    Binds: string[] | null;
  };
  Mounts: Array<{ Type: string; Name?: string; Source: string; Destination: string; RW: boolean }>;
  NetworkSettings: { Networks: Record<string, { Aliases: string[] | null }> };
}

describe('orc run with compose v2 flags', () => {
  const o: OrcEnv = orcEnv('runflags');
  const project = uniqueProject('e2erunf');
  let dir: string;
  const run = (args: string[]) => orc(o, ['-p', project, ...args], { cwd: dir });

  beforeAll(() => {
    assertBuilt();
    dir = join(o.dir, 'project');
    mkdirSync(join(dir, 'sub'), { recursive: true });
    writeFileSync(join(dir, 'sub', 'marker'), 'here\n');
    writeFileSync(
      join(dir, 'compose.yaml'),
      `services:
  tool:
    image: ${FIXTURE_IMAGE}
    command: ["sleep", "3600"]
    stop_grace_period: 1s
    ports: ["80"]
    networks:
      default:
        aliases: [toolbox]
volumes:
  cache: {}
`,
    );
  });

  afterAll(async () => {
    await stopDaemon(o);
    await removeProject(project);
  }, 120_000);

  it('--name, -p, -v, -l, --cap-add and --use-aliases reach the one-off', async () => {
    const port = await freePort();
    const name = `${project}-custom`;
    const r = await run([
      'run',
      '-d',
      '--name',
      name,
      '-p',
      `127.0.0.1:${port}:8080`,
      '-v',
      './sub:/mnt/sub:ro',
      '-v',
      'cache:/cache',
      '-l',
      'team=e2e',
      '--cap-add',
      'NET_ADMIN',
      '--use-aliases',
      'tool',
    ]);
    expect(r.code, explain(r)).toBe(0);
    expect(r.stdout.trim()).toBe(name);

    const [c] = JSON.parse(await docker('inspect', name)) as Inspected[];
    if (!c) throw new Error(`no container ${name}`);
    expect(c.Name).toBe(`/${name}`);
    // -p replaces the service's ports (a one-off publishes none of them).
    expect(c.HostConfig.PortBindings).toEqual({
      '8080/tcp': [{ HostIp: '127.0.0.1', HostPort: String(port) }],
    });
    expect(await docker('port', name, '8080/tcp')).toBe(`127.0.0.1:${port}`);
    // A relative source is from the project directory; `cache` is the project's volume, made with its labels.
    expect(c.HostConfig.Binds).toEqual([`${dir}/sub:/mnt/sub:ro`, `${project}_cache:/cache:rw`]);
    expect(
      await docker(
        'volume',
        'inspect',
        '--format',
        '{{index .Labels "com.docker.compose.project"}}',
        `${project}_cache`,
      ),
    ).toBe(project);
    expect(c.Mounts.find((m) => m.Destination === '/cache')).toMatchObject({
      Type: 'volume',
      Name: `${project}_cache`,
      RW: true,
    });
    expect(c.Config.Labels).toMatchObject({ team: 'e2e', 'com.docker.compose.oneoff': 'True' });
    expect(c.HostConfig.CapAdd).toContain('NET_ADMIN');
    const aliases = c.NetworkSettings.Networks[`${project}_default`]?.Aliases ?? [];
    expect(aliases).toEqual(expect.arrayContaining(['tool', 'toolbox']));
    expect(aliases).not.toContain(`${project}-tool-1`);
    // The bind is the project's directory, read-only.
    expect(await docker('exec', name, 'cat', '/mnt/sub/marker')).toBe('here');
    await expect(docker('exec', name, 'sh', '-c', 'echo x > /mnt/sub/marker')).rejects.toThrow();
  }, 300_000);

  it('without the flags: no published port, no alias; --service-ports with -p is refused', async () => {
    const r = await run(['run', '-d', 'tool']);
    expect(r.code, explain(r)).toBe(0);
    const [c] = JSON.parse(await docker('inspect', r.stdout.trim())) as Inspected[];
    expect(c?.HostConfig.PortBindings ?? {}).toEqual({});
    const aliases = c?.NetworkSettings.Networks[`${project}_default`]?.Aliases ?? [];
    expect(aliases).not.toContain('toolbox');

    const refused = await run(['run', '--service-ports', '-p', '1234:80', 'tool']);
    expect(refused.code, explain(refused)).toBe(2);
    expect(refused.stderr).toContain('--service-ports and --publish are incompatible');
  }, 300_000);
});
