import { describe, expect, it } from 'vitest';
import { Labels } from '../model/labels.js';
import { desiredState } from './desired-state.js';
import { DesiredStateError } from './errors.js';
import { proj, svc } from './test-builders.js';

describe('desiredState: shape', () => {
  it('names containers <project>-<service>-<n>, one per replica', () => {
    const state = desiredState(proj([svc('web', { scale: 3 })]));
    expect(state.services[0]?.containers.map((c) => c.name)).toEqual([
      'demo-web-1',
      'demo-web-2',
      'demo-web-3',
    ]);
    expect(state.services[0]?.containers.map((c) => c.number)).toEqual([1, 2, 3]);
    expect(state.services[0]?.replicas).toBe(3);
  });

  it('puts dependencies first and breaks ties by name', () => {
    const state = desiredState(
      proj([
        svc('web', { depends_on: { db: { condition: 'service_healthy', required: true, restart: false } } }),
        svc('db'),
        svc('cache'),
        svc('api', { depends_on: { web: { condition: 'service_started', required: true, restart: false } } }),
      ]),
    );
    expect(state.services.map((s) => s.name)).toEqual(['cache', 'db', 'web', 'api']);
  });

  it('refuses a dependency cycle with a typed error', () => {
    const dep = (name: string) => ({
      [name]: { condition: 'service_started' as const, required: true, restart: false },
    });
    const project = proj([svc('a', { depends_on: dep('b') }), svc('b', { depends_on: dep('a') })]);
    expect(() => desiredState(project)).toThrow(DesiredStateError);
    try {
      desiredState(project);
    } catch (e) {
      expect((e as DesiredStateError).code).toBe('DEPENDENCY_CYCLE');
    }
  });

  it('refuses healthcheck.start_interval without start_period, as compose does when it creates the container', () => {
    const bad = proj([svc('web', { healthcheck: { test: ['CMD', 'true'], start_interval: 1e9 } })]);
    expect(() => desiredState(bad)).toThrow(/start_interval requires healthcheck.start_period/);
    const good = proj([
      svc('web', { healthcheck: { test: ['CMD', 'true'], start_interval: 1e9, start_period: 5e9 } }),
    ]);
    expect(desiredState(good).services[0]?.containers[0]?.create.Healthcheck?.StartInterval).toBe(1e9);
  });

  it('refuses container_name with more than one replica', () => {
    const project = proj([svc('web', { container_name: 'fixed', scale: 2 })]);
    expect(() => desiredState(project)).toThrow(/container_name/);
  });

  it('carries project identity', () => {
    const state = desiredState(proj([svc('web')]));
    expect(state.project).toBe('demo');
    expect(state.working_dir).toBe('/srv/demo');
    expect(state.config_files).toEqual(['/srv/demo/compose.yaml']);
  });

  it('is deterministic: same input, same bytes, whatever the key order', () => {
    const a = proj([
      svc('web', { environment: { B: '2', A: '1' }, labels: { z: '1', a: '2' } }),
      svc('db', { environment: { X: 'x' } }),
    ]);
    const b = proj([
      svc('db', { environment: { X: 'x' } }),
      svc('web', { labels: { a: '2', z: '1' }, environment: { A: '1', B: '2' } }),
    ]);
    expect(JSON.stringify(desiredState(a))).toBe(JSON.stringify(desiredState(b)));
    expect(JSON.stringify(desiredState(a))).toBe(JSON.stringify(desiredState(a)));
  });
});

describe('desiredState: labels', () => {
  const state = desiredState(
    proj([
      svc('web', {
        labels: { 'com.example': 'yes' },
        depends_on: {
          db: { condition: 'service_healthy', required: true, restart: true },
          cache: { condition: 'service_started', required: false, restart: false },
        },
      }),
      svc('db'),
      svc('cache'),
    ]),
  );
  const web = state.services.find((s) => s.name === 'web');
  const labels = web?.containers[0]?.create.Labels ?? {};

  it.each([
    [Labels.project, 'demo'],
    [Labels.service, 'web'],
    [Labels.containerNumber, '1'],
    [Labels.oneoff, 'False'],
    [Labels.workingDir, '/srv/demo'],
    [Labels.configFiles, '/srv/demo/compose.yaml'],
    [Labels.version, '2.30.0'],
    [Labels.orcManaged, 'true'],
    [Labels.orcVersion, '0.1.0'],
    [Labels.dependsOn, 'cache:service_started:false,db:service_healthy:true'],
    ['com.example', 'yes'],
  ])('%s = %s', (key, value) => {
    expect(labels[key]).toBe(value);
  });

  it('config-hash label is the service hash (sha256 hex)', () => {
    expect(labels[Labels.configHash]).toBe(web?.hash);
    expect(web?.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('service-definition label is the canonical JSON the hash is computed from', () => {
    expect(labels[Labels.orcDefinition]).toBe(web?.definition);
    expect(JSON.parse(web?.definition ?? '')).toMatchObject({ name: 'web', image: 'orc-fixture/busybox:1' });
  });

  it('joins several config files with commas', () => {
    const s = desiredState(
      proj([svc('web')], { config_files: ['/a/compose.yaml', '/a/compose.override.yaml'] }),
    );
    expect(s.services[0]?.containers[0]?.create.Labels[Labels.configFiles]).toBe(
      '/a/compose.yaml,/a/compose.override.yaml',
    );
  });

  it('numbers each replica in its own label', () => {
    const s = desiredState(proj([svc('web', { scale: 2 })]));
    expect(s.services[0]?.containers.map((c) => c.create.Labels[Labels.containerNumber])).toEqual(['1', '2']);
  });
});

describe('secrets and configs given by value', () => {
  it('become files to write (target, owner, mode), their hash is in the definition, never their value', async () => {
    const { loadText, expectOk } = await import('../load/temp-project.js');
    const load = async (content: string) =>
      desiredState(
        expectOk(
          await loadText(
            `services:\n  app:\n    image: busybox\n    secrets:\n      - {source: token, uid: "1000", gid: "1001", mode: 0400}\n      - fromenv\n    configs:\n      - {source: motd, target: /etc/motd}\n secrets:\n  token: {content: ${content}}\n  fromenv: {environment: MY_SECRET}\nconfigs:\n  motd: {content: hello}\n`.replace(
              '\n secrets:',
              '\nsecrets:',
            ),
            { env: { MY_SECRET: 'from-env' } },
          ),
        ),
      ).services[0]!;
    const a = await load('s3cr3t');
    expect(a.containers[0]?.files).toEqual([
      { target: '/run/secrets/token', content: 's3cr3t', mode: 0o400, uid: 1000, gid: 1001 },
      { target: '/run/secrets/fromenv', content: 'from-env', mode: 0o444, uid: 0, gid: 0 },
      { target: '/etc/motd', content: 'hello', mode: 0o444, uid: 0, gid: 0 },
    ]);
    expect(a.definition).not.toContain('s3cr3t');
    expect(JSON.stringify(a.containers[0]?.create)).not.toContain('s3cr3t');
    const b = await load('other');
    expect(b.hash).not.toBe(a.hash);
  });
});
