import { type DesiredService, loadProject, desiredState as specDesiredState } from '@orc/spec';
import { describe, expect, it } from 'vitest';
import { desiredState } from '../../test/support/plan/fixtures.js';
import { OrcError } from '../contract/errors.js';
import { oneOffBody, oneOffDesired, planOneOff, planOneOffStep } from './oneoff.js';
import { renderPlan } from './render.js';

const desired = desiredState({
  services: [{ name: 'tool', networks: ['back', 'front'], volumes: ['data'] }],
});
const service = desired.services[0];

describe('planOneOff: orc run as a plan', () => {
  it('makes what is missing, then the container without aliases, and starts it when detached', () => {
    if (!service) throw new Error('fixture');
    const plan = planOneOff({
      desired,
      service,
      name: 'demo-tool-run-1',
      options: { service: 'tool' },
      existingNetworks: new Set(['demo_back']),
      existingVolumes: new Set(),
      start: true,
    });
    expect(renderPlan(plan)).toEqual([
      `pull image ${service.image} (policy missing) (one-off)`,
      'create network demo_front (missing)',
      'create volume demo_data (missing)',
      'create container demo-tool-run-1 (one-off)',
      'start container demo-tool-run-1 (one-off, detached)',
    ]);
    const create = plan.operations.find((o) => o.kind === 'create-container');
    if (create?.kind !== 'create-container') throw new Error('no create');
    expect(create.after).toEqual([
      `ensure-image:${service.image}`,
      'create-network:demo_front',
      'create-volume:demo_data',
    ]);
    expect(
      create.endpoints.every((ep) => ep.aliases.length === 0 && ep.settings?.Aliases === undefined),
    ).toBe(true);
  });

  it('leaves the start to a later step when attached; steps are one operation each', () => {
    if (!service) throw new Error('fixture');
    const plan = planOneOff({
      desired,
      service,
      name: 'x',
      options: { service: 'tool' },
      existingNetworks: new Set(['demo_back', 'demo_front']),
      existingVolumes: new Set(['demo_data']),
      start: false,
    });
    expect(plan.operations.map((o) => o.kind)).toEqual(['ensure-image', 'create-container']);
    expect(renderPlan(planOneOffStep('demo', 'tool', 'x', { kind: 'remove' }))).toEqual([
      'remove container x with its anonymous volumes (one-off ended (--rm))',
    ]);
    expect(planOneOffStep('demo', 'tool', 'x', { kind: 'stop', timeoutSeconds: 3 }).operations).toMatchObject(
      [{ kind: 'stop-container', containerId: 'x', timeoutSeconds: 3 }],
    );
  });
});

describe('oneOffBody: compose v2 run flags', () => {
  const project = desiredState({
    services: [
      { name: 'web', networks: ['back', 'front'], volumes: ['data'] },
      { name: 'other', volumes: ['cache'] },
    ],
  });
  const web = project.services.find((s) => s.name === 'web');
  if (!web?.containers[0]) throw new Error('fixture');
  const base = web.containers[0];
  // The service as the spec makes it: published ports, a restart policy, caps, aliases on its first network.
  const svc: DesiredService = {
    ...web,
    containers: [
      {
        ...base,
        endpoints: base.endpoints.map((ep) => ({
          ...ep,
          aliases: ['demo-web-1', 'web', 'www'],
          settings: { Aliases: ['demo-web-1', 'web', 'www'] },
        })),
        create: {
          ...base.create,
          ExposedPorts: { '80/tcp': {} },
          HostConfig: {
            ...base.create.HostConfig,
            PortBindings: { '80/tcp': [{ HostPort: '8080' }] },
            RestartPolicy: { Name: 'always' },
            Binds: ['/srv/conf:/etc/conf:ro'],
            CapAdd: ['NET_ADMIN'],
          },
          NetworkingConfig: { EndpointsConfig: { demo_back: { Aliases: ['demo-web-1', 'web', 'www'] } } },
        },
      },
    ],
  };
  const body = (o: Partial<Parameters<typeof oneOffBody>[2]> = {}) =>
    oneOffBody(svc, project, { service: 'web', ...o });

  it('by default: no published ports, no restart policy, no alias', () => {
    const b = body();
    expect(b.HostConfig.PortBindings).toBeUndefined();
    expect(b.HostConfig.RestartPolicy).toBeUndefined();
    expect(b.NetworkingConfig?.EndpointsConfig?.demo_back).toEqual({});
    expect(b.Labels?.['com.docker.compose.oneoff']).toBe('True');
  });

  it('--service-ports keeps the service ports; --publish replaces them; both are refused', () => {
    expect(body({ servicePorts: true }).HostConfig.PortBindings).toEqual({
      '80/tcp': [{ HostPort: '8080' }],
    });
    const p = body({ publish: ['9090:80', '127.0.0.1:5353:53/udp', '7000'] });
    expect(p.HostConfig.PortBindings).toEqual({
      '80/tcp': [{ HostPort: '9090' }],
      '53/udp': [{ HostIp: '127.0.0.1', HostPort: '5353' }],
      '7000/tcp': [{ HostPort: '' }],
    });
    expect(Object.keys(p.ExposedPorts ?? {}).sort()).toEqual(['53/udp', '7000/tcp', '80/tcp']);
    expect(() => body({ servicePorts: true, publish: ['1:1'] })).toThrow(/incompatible/);
    expect(() => body({ publish: ['8080:http'] })).toThrow(OrcError);
  });

  it('--volume: binds from the project directory, project volumes by engine name, replacing a same target', () => {
    const b = body({
      volumes: ['./src/../lib:/app:ro', '/etc/conf2:/etc/conf', 'cache:/cache', 'loose:/loose', '/anon'],
    });
    expect(b.HostConfig.Binds).toEqual([
      `${project.working_dir}/lib:/app:ro`,
      '/etc/conf2:/etc/conf:rw',
      'demo_cache:/cache:rw',
      'loose:/loose:rw',
    ]);
    expect(b.HostConfig.Mounts).toEqual([
      { Type: 'volume', Source: 'demo_data', Target: '/data' },
      { Type: 'volume', Target: '/anon' },
    ]);
    expect(() => body({ volumes: ['~/x:/x'] })).toThrow(/not expanded/);
    expect(() => body({ volumes: ['a:relative'] })).toThrow(OrcError);
  });

  it('--label adds labels but cannot unmark the one-off; --cap-add/--cap-drop add to the service caps', () => {
    const b = body({
      labels: { team: 'infra', 'com.docker.compose.oneoff': 'False', 'com.docker.compose.service': 'db' },
      capAdd: ['SYS_TIME', 'NET_ADMIN'],
      capDrop: ['MKNOD'],
    });
    expect(b.Labels).toMatchObject({
      team: 'infra',
      'com.docker.compose.oneoff': 'True',
      'com.docker.compose.service': 'web',
    });
    expect(b.HostConfig.CapAdd).toEqual(['NET_ADMIN', 'SYS_TIME']);
    expect(b.HostConfig.CapDrop).toEqual(['MKNOD']);
  });

  it('--use-aliases: the service aliases, never its container name, on every network', () => {
    expect(body({ useAliases: true }).NetworkingConfig?.EndpointsConfig?.demo_back).toEqual({
      Aliases: ['web', 'www'],
    });
    const plan = planOneOff({
      desired: project,
      service: svc,
      name: 'mine',
      options: { service: 'web', useAliases: true, volumes: ['cache:/cache'] },
      existingNetworks: new Set(['demo_back', 'demo_front']),
      existingVolumes: new Set(['demo_data']),
      start: false,
    });
    const create = plan.operations.find((o) => o.kind === 'create-container');
    if (create?.kind !== 'create-container') throw new Error('no create');
    expect(create.name).toBe('mine');
    expect(create.endpoints.map((ep) => [ep.aliases, ep.settings?.Aliases])).toEqual([
      [
        ['web', 'www'],
        ['web', 'www'],
      ],
      [
        ['web', 'www'],
        ['web', 'www'],
      ],
    ]);
    // A project volume named by -v is made like the service's own.
    expect(plan.operations.map((o) => o.id)).toContain('create-volume:demo_cache');
  });
});

describe('oneOffDesired: a project volume only -v names', () => {
  it('joins the desired state under its engine name, and the plan makes it', async () => {
    const loaded = await loadProject({
      workingDir: '/srv/demo',
      inline: [
        {
          name: 'compose.yaml',
          content: 'services:\n  tool:\n    image: x\nvolumes:\n  cache:\n    name: shared-cache\n',
        },
      ],
      env: {},
      projectName: 'demo',
    });
    if (!loaded.ok) throw new Error(loaded.errors.map((e) => e.message).join('\n'));
    const base = specDesiredState(loaded.project);
    expect(base.volumes).toEqual([]);
    const options = { service: 'tool', volumes: ['cache:/cache', 'other:/other', './x:/x'] };
    const desired = oneOffDesired(base, loaded.project, options);
    expect(desired.volumes.map((v) => [v.key, v.name])).toEqual([['cache', 'shared-cache']]);
    const tool = desired.services[0];
    if (!tool) throw new Error('fixture');
    expect(oneOffBody(tool, desired, options).HostConfig.Binds).toEqual([
      'shared-cache:/cache:rw',
      'other:/other:rw',
      '/srv/demo/x:/x:rw',
    ]);
    const plan = planOneOff({
      desired,
      service: tool,
      name: 'demo-tool-run-1',
      options,
      existingNetworks: new Set(['demo_default']),
      existingVolumes: new Set(),
      start: false,
    });
    expect(plan.operations.map((o) => o.id)).toContain('create-volume:shared-cache');
  });
});
