import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { LoadResult, Project } from '../src/index.js';
import { formatProblem, loadProject } from '../src/index.js';

/**
 * compose-go's former full example (see corpus/compose-go/full-example/README.md), loaded the way its
 * test did: environment {HOME, BAR, QUX} from the caller, working directory = the example's folder.
 *
 * Compared with the expected JSON: every field where orc's model and compose-go's agree in shape.
 * Deliberate differences (orc's Project model, model/project.ts, chose the long form everywhere):
 * - durations are nanoseconds (`10s` → 1e10) and sizes bytes as numbers (tmpfs `"10000"` → 10000);
 * - extra_hosts is a map host → [ips] (compose-go renders `host=ip` strings);
 * - ulimits are always {soft, hard} (`nproc: 65535` → {soft: 65535, hard: 65535});
 * - secret/config `mode` is a number (0440 → 288), not the string "0440";
 * - short-syntax binds get `bind.create_host_path: true` (as `docker compose config` prints), long
 *   binds none; compose-go's skip-normalisation run left `bind: {}`;
 * - networks and volumes get their engine `name` (`<project>_<key>`, or the key when external), which
 *   compose-go's run with SkipNormalization left out;
 * - `extra_hosts`, `device_cgroup_rules`, `blkio_config`-like keys orc does not carry yet are
 *   warned about (NOT_SUPPORTED) instead of kept.
 * The consistency check is skipped, as in compose-go's test: the example refers to services `db` and
 * `redis`, a volume `datavolume` and a network `other-other-network` it never defines, sets
 * container_name and fixed host ports with 6 replicas, and network_mode together with networks.
 */
const here = dirname(fileURLToPath(import.meta.url));
const folder = resolve(here, '../../../../shared/corpus/compose-go/full-example');
const present = existsSync(folder);
if (!present) console.warn(`skipping the compose-go full example: ${folder} is absent`);

const HOME = '/home/fulltest';

function expected(): Record<string, unknown> {
  const text = readFileSync(resolve(folder, 'full-example.expected.json'), 'utf8')
    .replaceAll('__WORKING_DIR__', folder)
    .replaceAll('__HOME_DIR__', HOME);
  return JSON.parse(text) as Record<string, unknown>;
}

async function load(skipConsistencyCheck: boolean): Promise<LoadResult> {
  return loadProject({
    workingDir: folder,
    files: ['full-example.yml'],
    env: { HOME, BAR: 'this is a secret', QUX: 'qux_from_environment' },
    skipConsistencyCheck,
  });
}

describe.skipIf(!present)('compose-go full example', () => {
  let project: Project;
  let want: Record<string, Record<string, Record<string, unknown>>>;

  it('loads (consistency check skipped) and matches the expected rendering where the models agree', async () => {
    const r = await load(true);
    if (!r.ok) throw new Error(r.errors.map(formatProblem).join('\n'));
    project = r.project;
    want = expected() as typeof want;
    expect(project.name).toBe('full_example_project_name');
    const foo = project.services.foo!;
    const wfoo = want.services!.foo!;
    for (const key of [
      'image',
      'command',
      'entrypoint',
      'environment',
      'labels',
      'ports',
      'expose',
      'cap_add',
      'cap_drop',
      'dns',
      'dns_search',
      'domainname',
      'hostname',
      'ipc',
      'uts',
      'pid',
      'links',
      'external_links',
      'mac_address',
      'network_mode',
      'privileged',
      'read_only',
      'restart',
      'security_opt',
      'stdin_open',
      'stop_signal',
      'storage_opt',
      'tmpfs',
      'tty',
      'user',
      'working_dir',
      'cgroup_parent',
      'container_name',
      'devices',
      'logging',
      'annotations',
    ] as const) {
      expect({ key, value: foo[key] }).toEqual({ key, value: wfoo[key] });
    }
    expect(foo.sysctls).toEqual(wfoo.sysctls);
    expect(Object.keys(foo.networks).sort()).toEqual(Object.keys(wfoo.networks as object).sort());
    expect(foo.networks['other-network']).toEqual(
      (wfoo.networks as Record<string, unknown>)['other-network'],
    );
    const deps = wfoo.depends_on as Record<string, object>;
    expect(foo.depends_on).toEqual({
      db: { ...deps.db, restart: false },
      redis: { ...deps.redis, restart: false },
    });
    const build = wfoo.build as Record<string, unknown>;
    for (const key of [
      'context',
      'dockerfile',
      'args',
      'ssh',
      'labels',
      'cache_from',
      'network',
      'target',
      'tags',
      'platforms',
      'additional_contexts',
    ] as const) {
      expect({ key, value: foo.build?.[key] }).toEqual({ key, value: build[key] });
    }
    expect(foo.build?.secrets?.map((s) => s.source)).toEqual(['secret1', 'secret2']);
    expect(project.services.bar?.build?.dockerfile_inline).toBe(
      (want.services!.bar!.build as Record<string, unknown>).dockerfile_inline,
    );
    expect(foo.volumes.map((v) => [v.type, v.source, v.target, v.read_only ?? false])).toEqual(
      (wfoo.volumes as Array<Record<string, unknown>>).map((v) => [
        v.type,
        v.source,
        v.target,
        v.read_only ?? false,
      ]),
    );
    const deploy = wfoo.deploy as Record<string, Record<string, unknown>>;
    expect(foo.deploy?.replicas).toBe(6);
    expect(foo.deploy?.labels).toEqual(deploy.labels);
    expect(foo.deploy?.resources?.limits).toEqual({ cpus: 0.001, memory: 52428800 });
    expect(foo.deploy?.restart_policy).toEqual({
      condition: 'on-failure',
      delay: 5e9,
      max_attempts: 3,
      window: 120e9,
    });
    expect(foo.healthcheck).toEqual({
      test: ['CMD-SHELL', 'echo "hello world"'],
      interval: 10e9,
      timeout: 1e9,
      retries: 5,
      start_period: 15e9,
      start_interval: 5e9,
    });
    expect(foo.stop_grace_period).toBe(20e9);
    expect(foo.ulimits).toEqual({
      nproc: { soft: 65535, hard: 65535 },
      nofile: { soft: 20000, hard: 40000 },
    });
    expect(foo.extra_hosts).toEqual({ otherhost: ['50.31.209.229'], somehost: ['162.242.195.82'] });
    expect(foo.secrets?.[1]).toEqual({
      source: 'secret2',
      target: 'my_secret',
      uid: '103',
      gid: '103',
      mode: 0o440,
    });
    expect(foo.extensions).toEqual({ 'x-bar': 'baz', 'x-foo': 'bar' });
    expect(project.extensions).toEqual({
      'x-bar': 'baz',
      'x-foo': 'bar',
      'x-nested': { bar: 'baz', foo: 'bar' },
    });
  });

  it('resources: names, drivers, options, external flags', () => {
    expect(project.networks['other-network']).toMatchObject({
      name: 'full_example_project_name_other-network',
      driver: 'overlay',
      driver_opts: { foo: 'bar', baz: '1' },
      ipam: want.networks!['other-network']!.ipam,
      labels: { foo: 'bar' },
    });
    expect(project.networks['other-external-network']).toMatchObject({
      name: 'my-cool-network',
      external: true,
    });
    expect(project.networks['external-network']).toMatchObject({ name: 'external-network', external: true });
    expect(project.volumes['another-volume']).toMatchObject({
      name: 'user_specified_name',
      driver: 'vsphere',
      driver_opts: { foo: 'bar', baz: '1' },
    });
    expect(project.volumes['external-volume3']).toMatchObject({ name: 'this-is-volume3', external: true });
    expect(project.volumes['other-external-volume']).toMatchObject({
      name: 'my-cool-volume',
      external: true,
    });
    expect(project.secrets.secret1?.file).toBe(want.secrets!.secret1!.file);
    expect(project.secrets.secret4).toMatchObject({ name: 'bar', environment: 'BAR' });
    expect(project.configs.config4?.file).toBe(`${HOME}/config_data`);
  });

  it("with the consistency check, reports exactly the example's dangling references and conflicts", async () => {
    const r = await load(false);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => `${e.code} ${e.path} ${e.line}`).sort()).toEqual(
      [
        'PORT_CONFLICT services.foo.ports[2] 254',
        'PORT_CONFLICT services.foo.ports[3] 255',
        'PORT_CONFLICT services.foo.ports[4] 256',
        'PORT_CONFLICT services.foo.ports[5] 257',
        'PORT_CONFLICT services.foo.ports[6] 258',
        'SCALE_CONFLICT services.foo.container_name 66',
        'SCHEMA services.foo.network_mode 236',
        'UNKNOWN_NETWORK services.foo.networks.other-other-network 247',
        'UNKNOWN_SERVICE services.foo.depends_on.db 69',
        'UNKNOWN_SERVICE services.foo.depends_on.redis 70',
        'UNKNOWN_SERVICE services.foo.links[0] 218',
        'UNKNOWN_SERVICE services.foo.links[1] 219',
        'UNKNOWN_SERVICE services.foo.links[2] 220',
        'UNKNOWN_VOLUME services.foo.volumes[5] 318',
      ].sort(),
    );
  });
});
