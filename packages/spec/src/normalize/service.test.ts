import { describe, expect, it } from 'vitest';
import { expectOk, loadText } from '../load/temp-project.js';
import type { Service } from '../model/project.js';

async function service(
  yaml: string,
  env: Record<string, string> = { HOME: '/home/u' },
  top = '',
): Promise<Service> {
  const text = `services:\n  s:\n    image: busybox\n${yaml
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n')}\n${top}`;
  const p = expectOk(await loadText(text, { env }));
  return p.services.s!;
}

describe('short syntax → long syntax, per service key', () => {
  it.each<[string, string, keyof Service, unknown, string?]>([
    ['expose ints → strings', 'expose: [3000, "8000"]', 'expose', ['3000', '8000']],
    [
      'environment list → map, KEY alone → null',
      'environment: [A=1, B, C=x=y]',
      'environment',
      { A: '1', B: null, C: 'x=y' },
    ],
    [
      'environment map numbers/bools → strings',
      'environment: {A: 1, B: true, C: null}',
      'environment',
      { A: '1', B: 'true', C: null },
    ],
    ['labels list → map', 'labels: [a=b, c]', 'labels', { a: 'b', c: '' }],
    ['labels map numbers', 'labels: {n: 42}', 'labels', { n: '42' }],
    ['sysctls list → map', 'sysctls: [net.core.somaxconn=1024]', 'sysctls', { 'net.core.somaxconn': '1024' }],
    ['sysctls map', 'sysctls: {net.ipv4.tcp_syncookies: 0}', 'sysctls', { 'net.ipv4.tcp_syncookies': '0' }],
    ['command string → shell words', 'command: sh -c "echo hi"', 'command', ['sh', '-c', 'echo hi']],
    ['command list stays', 'command: [echo, "a b"]', 'command', ['echo', 'a b']],
    ['command null', 'command: null', 'command', null],
    ['entrypoint string', 'entrypoint: /bin/sh -c', 'entrypoint', ['/bin/sh', '-c']],
    ['depends_on list → map', 'depends_on: []', 'depends_on', {}],
    [
      'extra_hosts list → map',
      'extra_hosts: ["a:1.2.3.4", "b=::1", "a:5.6.7.8"]',
      'extra_hosts',
      { a: ['1.2.3.4', '5.6.7.8'], b: ['::1'] },
    ],
    [
      'extra_hosts map',
      'extra_hosts: {a: 1.2.3.4, b: [::1, 10.0.0.1]}',
      'extra_hosts',
      { a: ['1.2.3.4'], b: ['::1', '10.0.0.1'] },
    ],
    [
      'ulimits int → soft/hard',
      'ulimits: {nproc: 65535}',
      'ulimits',
      { nproc: { soft: 65535, hard: 65535 } },
    ],
    ['ulimits long', 'ulimits: {nofile: {soft: 1, hard: 2}}', 'ulimits', { nofile: { soft: 1, hard: 2 } }],
    ['dns string → list', 'dns: 8.8.8.8', 'dns', ['8.8.8.8']],
    ['dns_search string → list', 'dns_search: example.com', 'dns_search', ['example.com']],
    ['tmpfs string → list', 'tmpfs: /run', 'tmpfs', ['/run']],
    ['stop_grace_period → ns', 'stop_grace_period: 1m30s', 'stop_grace_period', 90e9],
    ['mem_limit → bytes', 'mem_limit: 512m', 'mem_limit', 512 * 1024 ** 2],
    ['shm_size → bytes', 'shm_size: 1g', 'shm_size', 1024 ** 3],
    ['memswap_limit int', 'memswap_limit: 1024', 'memswap_limit', 1024],
    ['cpus string → number', 'cpus: "0.5"', 'cpus', 0.5],
    ['restart on-failure:3', 'restart: on-failure:3', 'restart', 'on-failure:3'],
    ['restart no', 'restart: "no"', 'restart', 'no'],
    ['scale from deploy.replicas', 'deploy: {replicas: 3}', 'scale', 3],
    ['scale wins when equal', 'scale: 2\ndeploy: {replicas: 2}', 'scale', 2],
    ['scale default', 'init: true', 'scale', 1],
    ['privileged from an interpolated string', 'privileged: "true"', 'privileged', true],
    ['networks list → map', 'networks: [front]', 'networks', { front: null }, 'networks: {front: }'],
    ['network_mode leaves networks empty', 'network_mode: host', 'networks', {}],
    ['secrets short → long', 'secrets: [s1]', 'secrets', [{ source: 's1' }], 'secrets: {s1: {file: ./s}}'],
    [
      'configs long with octal mode',
      'configs: [{source: c1, target: /c, mode: 0440}]',
      'configs',
      [{ source: 'c1', target: '/c', mode: 0o440 }],
      'configs: {c1: {file: ./c}}',
    ],
    [
      'devices short',
      'devices: ["/dev/a:/dev/b:rwm"]',
      'devices',
      [{ source: '/dev/a', target: '/dev/b', permissions: 'rwm' }],
    ],
    ['x- keys → extensions', 'x-foo: {a: 1}', 'extensions', { 'x-foo': { a: 1 } }],
    ['group_add numbers → strings', 'group_add: [mail, 42]', 'group_add', ['mail', '42']],
  ])('%s', async (_, yaml, key, expected, top) => {
    const svc = await service(
      yaml,
      { HOME: '/home/u' },
      top
        ? `${top}
`
        : '',
    );
    expect(svc[key]).toEqual(expected);
  });

  it('ports: short and long forms', async () => {
    const svc = await service(
      'ports: ["8080:80", 3000, {target: 53, published: 5353, protocol: udp, host_ip: 127.0.0.1, mode: host}]',
    );
    expect(svc.ports).toEqual([
      { mode: 'ingress', protocol: 'tcp', target: 80, published: '8080' },
      { mode: 'ingress', protocol: 'tcp', target: 3000 },
      { mode: 'host', protocol: 'udp', target: 53, published: '5353', host_ip: '127.0.0.1' },
    ]);
  });

  it('volumes: relative and ~ paths become absolute, against the client HOME', async () => {
    const svc = await service(
      'volumes: ["./a:/a", "~/b:/b:ro", "../c:/c", {type: bind, source: ./d, target: /d}, {type: tmpfs, target: /t, tmpfs: {size: 10m}}]',
      { HOME: '/home/client' },
    );
    expect(svc.volumes.map((v) => v.source)).toEqual([
      '/srv/proj/a',
      '/home/client/b',
      '/srv/c',
      '/srv/proj/d',
      undefined,
    ]);
    expect(svc.volumes[4]).toEqual({ type: 'tmpfs', target: '/t', tmpfs: { size: 10 * 1024 ** 2 } });
    expect(svc.volumes[3]?.bind).toBeUndefined();
  });

  it('build string → {context} absolute', async () => {
    const svc = await service('build: ./app');
    expect(svc.build).toEqual({ context: '/srv/proj/app' });
  });

  it('build long form: args list → map, remote context kept', async () => {
    const svc = await service(
      'build: {context: "https://github.com/x/y.git#main", args: [A=1, B], shm_size: 64m, labels: [l=v]}',
    );
    expect(svc.build).toEqual({
      context: 'https://github.com/x/y.git#main',
      args: { A: '1', B: null },
      shm_size: 64 * 1024 ** 2,
      labels: { l: 'v' },
    });
  });

  it('healthcheck: string test → CMD-SHELL, durations → ns', async () => {
    const svc = await service(
      'healthcheck: {test: "wget -qO- localhost", interval: 10s, timeout: 1s, retries: 3, start_period: 1m}',
    );
    expect(svc.healthcheck).toEqual({
      test: ['CMD-SHELL', 'wget -qO- localhost'],
      interval: 10e9,
      timeout: 1e9,
      retries: 3,
      start_period: 60e9,
    });
  });

  it('depends_on: list → map with defaults, long form kept', async () => {
    const p = expectOk(
      await loadText(
        [
          'services:',
          '  a: {image: x, depends_on: [b]}',
          '  b: {image: x, depends_on: {c: {condition: service_healthy, restart: true}}}',
          '  c: {image: x}',
        ].join('\n'),
      ),
    );
    expect(p.services.a?.depends_on).toEqual({
      b: { condition: 'service_started', required: true, restart: false },
    });
    expect(p.services.b?.depends_on).toEqual({
      c: { condition: 'service_healthy', required: true, restart: true },
    });
  });

  it('deploy: resources and restart policy normalised', async () => {
    const svc = await service(
      'deploy: {resources: {limits: {cpus: "0.5", memory: 50M}}, restart_policy: {condition: on-failure, delay: 5s, window: 2m, max_attempts: 3}}',
    );
    expect(svc.deploy).toEqual({
      resources: { limits: { cpus: 0.5, memory: 50 * 1024 ** 2 } },
      restart_policy: { condition: 'on-failure', delay: 5e9, window: 120e9, max_attempts: 3 },
    });
  });
});

describe('top-level resources', () => {
  it.each<[string, string, Record<string, unknown>]>([
    [
      'a network without name → <project>_<key>',
      'networks: {back: {}}',
      { back: { name: 'proj_back', labels: {}, extensions: {} } },
    ],
    [
      'a named network keeps its name',
      'networks: {back: {name: shared}}',
      { back: { name: 'shared', labels: {}, extensions: {} } },
    ],
    [
      'an external network is named by its key',
      'networks: {ext: {external: true}}',
      { ext: { name: 'ext', external: true, labels: {}, extensions: {} } },
    ],
    [
      'legacy external.name',
      'networks: {ext: {external: {name: real}}}',
      { ext: { name: 'real', external: true, labels: {}, extensions: {} } },
    ],
  ])('%s', async (_, yaml, expected) => {
    const p = expectOk(
      await loadText(`services:\n  s: {image: x, networks: [${Object.keys(expected)[0]}]}\n${yaml}\n`),
    );
    expect(p.networks).toEqual(expected);
  });

  it.each<[string, string, Record<string, unknown>]>([
    [
      'null volume → defaults',
      'volumes: {data: }',
      { data: { name: 'proj_data', labels: {}, extensions: {} } },
    ],
    [
      'driver and opts as strings',
      'volumes: {data: {driver: local, driver_opts: {size: 1}}}',
      {
        data: { name: 'proj_data', driver: 'local', driver_opts: { size: '1' }, labels: {}, extensions: {} },
      },
    ],
    [
      'external volume',
      'volumes: {data: {external: true, name: real}}',
      { data: { name: 'real', external: true, labels: {}, extensions: {} } },
    ],
  ])('%s', async (_, yaml, expected) => {
    const p = expectOk(await loadText(`services:\n  s: {image: x, volumes: ["data:/d"]}\n${yaml}\n`));
    expect(p.volumes).toEqual(expected);
  });

  it('the default network is added only when a service uses it', async () => {
    const p = expectOk(await loadText('services:\n  s: {image: x, network_mode: none}\n'));
    expect(p.networks).toEqual({});
  });

  it('top-level x- keys become extensions', async () => {
    const p = expectOk(await loadText('x-common: &c {image: x}\nservices:\n  s: *c\n'));
    expect(p.extensions).toEqual({ 'x-common': { image: 'x' } });
    expect(p.services.s?.image).toBe('x');
  });
});
