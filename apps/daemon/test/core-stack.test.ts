import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DaemonEvent } from '../src/contract/types.js';
import { eventually, finish, inlineSource, startCore, type TestCore } from './support/core.js';
import { docker, FIXTURE_IMAGE, removeProject, uniqueProject } from './support/engine.js';

const project = uniqueProject('stack');
const port = 20000 + Math.floor(Math.random() * 20000);

const stack = (apiEnv: string) => `
services:
  db:
    image: ${FIXTURE_IMAGE}
    command: sh -c 'touch /tmp/ready; sleep 1d'
    stop_grace_period: 1s
    healthcheck:
      test: test -f /tmp/ready
      interval: 300ms
      retries: 50
  api:
    image: ${FIXTURE_IMAGE}
    command: sleep 1d
    stop_grace_period: 1s
    environment:
      MODE: ${apiEnv}
    depends_on:
      db:
        condition: service_healthy
    networks:
      back:
        aliases: [apiary]
      default: {}
    volumes:
      - data:/data
  web:
    image: ${FIXTURE_IMAGE}
    command: httpd -f -p 80 -h /
    stop_grace_period: 1s
    ports:
      - "127.0.0.1:${port}:80"
networks:
  back: {}
volumes:
  data: {}
`;

async function ids(): Promise<Record<string, string>> {
  const out = await docker(
    'ps',
    '-a',
    '--filter',
    `label=com.docker.compose.project=${project}`,
    '--format',
    '{{.Label "com.docker.compose.service"}} {{.ID}} {{.State}}',
  );
  return Object.fromEntries(
    out
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split(' '))
      .map(([svc, id, state]) => [svc ?? '', `${id}:${state}`]),
  );
}

describe('core: a three-service stack on the real engine', () => {
  let core: TestCore;
  let dispose: () => Promise<void>;
  beforeAll(async () => {
    ({ core, dispose } = await startCore());
  });
  afterAll(async () => {
    await dispose?.();
    await removeProject(project);
  });

  it('comes up in dependency order with networks, alias, volume and port', async () => {
    const { record, progress } = await finish(core, core.up(inlineSource(project, stack('one')), {}));
    expect(record.error).toBeUndefined();
    expect(record.state).toBe('succeeded');
    const step = (resource: string, action: string, state: string) =>
      progress.findIndex((e) => e.resource === resource && e.action === action && e.state === state);
    const dbHealthy = step(`${project}-db-1`, 'wait healthy', 'done');
    expect(dbHealthy).toBeGreaterThan(-1);
    expect(step(`${project}-api-1`, 'start', 'working')).toBeGreaterThan(dbHealthy);

    const state = await ids();
    expect(Object.keys(state).sort()).toEqual(['api', 'db', 'web']);
    for (const v of Object.values(state)) expect(v.endsWith(':running')).toBe(true);

    // api reaches web by service name on the default network, and is `apiary` on `back`.
    expect(await docker('exec', `${project}-api-1`, 'wget', '-qO-', 'http://web/etc/hostname')).not.toBe('');
    const aliases = await docker(
      'inspect',
      '--format',
      `{{json (index .NetworkSettings.Networks "${project}_back").Aliases}}`,
      `${project}-api-1`,
    );
    expect(JSON.parse(aliases)).toContain('apiary');
    expect(await docker('inspect', '--format', '{{range .Mounts}}{{.Name}}{{end}}', `${project}-api-1`)).toBe(
      `${project}_data`,
    );
    expect(await docker('port', `${project}-web-1`, '80/tcp')).toBe(`127.0.0.1:${port}`);

    const summary = await core.getProject({ name: project });
    expect(summary?.registered).toBe(true);
    expect(summary?.status).toBe('running(3)');
    expect(summary?.containers.find((c) => c.Service === 'db')?.Health).toBe('healthy');
    expect(summary?.containers.find((c) => c.Service === 'web')?.Publishers).toEqual([
      { URL: '127.0.0.1', TargetPort: 80, PublishedPort: port, Protocol: 'tcp' },
    ]);
  });

  it('re-applies as a no-op: empty plan, same containers', async () => {
    const before = await ids();
    const { record } = await finish(core, core.up(inlineSource(project, stack('one')), {}));
    expect(record.state).toBe('succeeded');
    expect(record.plan).toEqual([]);
    expect(await ids()).toEqual(before);
  });

  it('recreates only the service whose environment changed', async () => {
    const before = await ids();
    const ac = new AbortController();
    const events: DaemonEvent[] = [];
    const collecting = (async () => {
      for await (const e of core.events({ project }, ac.signal)) events.push(e);
    })();
    const { record } = await finish(core, core.up(inlineSource(project, stack('two')), {}));
    ac.abort();
    await collecting;
    expect(record.error).toBeUndefined();
    const recreates = events.filter((e) => e.type === 'recreate');
    expect(recreates.map((e) => [e.service, e.container])).toEqual([['api', `${project}-api-1`]]);
    expect(recreates[0]?.reason).toContain('environment');
    const after = await ids();
    expect(after.db).toBe(before.db);
    expect(after.web).toBe(before.web);
    expect(after.api).not.toBe(before.api);
    expect(after.api?.endsWith(':running')).toBe(true);
    expect(await docker('exec', `${project}-api-1`, 'sh', '-c', 'echo $MODE')).toBe('two');
    expect(record.plan?.some((l) => l.includes('environment'))).toBe(true);
  });

  it('repairs a container removed behind its back, without any command', async () => {
    const before = await ids();
    await docker('rm', '-f', `${project}-web-1`);
    const repaired = await eventually(async () => {
      const now = await ids();
      return now.web?.endsWith(':running') && now.web !== before.web ? now : undefined;
    });
    expect(repaired.db).toBe(before.db);
    expect(repaired.api).toBe(before.api);
  });

  it('repairs a container disconnected from one of its networks behind its back', async () => {
    const networksOf = () =>
      docker(
        'inspect',
        '--format',
        '{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{end}}',
        `${project}-api-1`,
      );
    expect((await networksOf()).split(' ').filter(Boolean).sort()).toEqual([
      `${project}_back`,
      `${project}_default`,
    ]);
    await docker('network', 'disconnect', `${project}_back`, `${project}-api-1`);
    // Repaired = on the network again and running (a recreate renames the new container before starting it).
    const repaired = await eventually(async () => {
      const nets = (await networksOf().catch(() => '')).split(' ').filter(Boolean);
      const running = (await ids()).api?.endsWith(':running');
      return nets.includes(`${project}_back`) && running ? nets : undefined;
    });
    expect(repaired.sort()).toEqual([`${project}_back`, `${project}_default`]);
  });

  it('keeps the named volume on down, and removes it with down -v', async () => {
    const { record } = await finish(core, core.down({ name: project }, {}));
    expect(record.error).toBeUndefined();
    expect(await ids()).toEqual({});
    expect(await docker('volume', 'ls', '-q', '--filter', `name=${project}_data`)).toBe(`${project}_data`);
    expect(
      await docker('network', 'ls', '-q', '--filter', `label=com.docker.compose.project=${project}`),
    ).toBe('');
    expect(await core.getProject({ name: project })).toBeUndefined();

    await finish(core, core.up(inlineSource(project, stack('two')), {}));
    const { record: down2 } = await finish(core, core.down({ name: project }, { volumes: true }));
    expect(down2.error).toBeUndefined();
    expect(await docker('volume', 'ls', '-q', '--filter', `name=${project}_data`)).toBe('');
  });
});

describe('core: refusals and failures', () => {
  let core: TestCore;
  let dispose: () => Promise<void>;
  const p = uniqueProject('refuse');
  beforeAll(async () => {
    ({ core, dispose } = await startCore());
  });
  afterAll(async () => {
    await dispose?.();
    await removeProject(p);
    await docker('rm', '-f', `${p}-web-1`).catch(() => undefined);
  });

  it('refuses a foreign container holding a name it needs, and leaves it untouched', async () => {
    const foreignId = await docker('create', '--name', `${p}-web-1`, FIXTURE_IMAGE, 'sleep', '1');
    const yaml = `services:\n  web:\n    image: ${FIXTURE_IMAGE}\n    command: sleep 1d\n`;
    const { record } = await finish(core, core.up(inlineSource(p, yaml), {}));
    expect(record.state).toBe('failed');
    expect(record.error?.code).toBe('NAME_IN_USE');
    expect(record.error?.message).toContain(`${p}-web-1`);
    expect(await docker('inspect', '--format', '{{.Id}} {{.State.Status}}', `${p}-web-1`)).toBe(
      `${foreignId} created`,
    );
    await docker('rm', '-f', `${p}-web-1`);
    await finish(core, core.down({ name: p }, {}));
  });

  it('fails the dependents of a completed-successfully job that exits 3, naming it', async () => {
    const yaml = `
services:
  migrate:
    image: ${FIXTURE_IMAGE}
    command: sh -c 'exit 3'
  app:
    image: ${FIXTURE_IMAGE}
    command: sleep 1d
    depends_on:
      migrate:
        condition: service_completed_successfully
`;
    const { record } = await finish(core, core.up(inlineSource(p, yaml), {}));
    expect(record.state).toBe('failed');
    expect(record.error?.message).toContain(`service migrate (container ${p}-migrate-1) exited with code 3`);
    expect(record.error?.message).toContain('app');
    // Created alongside (as compose does), never started.
    const app = await docker('ps', '-a', '--filter', `name=^/${p}-app-1$`, '--format', '{{.State}}');
    expect(['', 'created']).toContain(app);
    await finish(core, core.down({ name: p }, {}));
  });

  it('refuses a project name used by another folder unless forced', async () => {
    const yaml = `services:\n  one:\n    image: ${FIXTURE_IMAGE}\n    command: sleep 1d\n    stop_grace_period: 1s\n`;
    await finish(core, core.up(inlineSource(p, yaml, '/srv/a'), {}));
    await expect(core.up(inlineSource(p, yaml, '/srv/b'), {})).rejects.toMatchObject({
      code: 'PROJECT_NAME_IN_USE',
      message: expect.stringContaining('/srv/a'),
    });
    const { record } = await finish(core, core.up(inlineSource(p, yaml, '/srv/b'), { force: true }));
    expect(record.error).toBeUndefined();
    await finish(core, core.down({ name: p }, {}));
  });
});
