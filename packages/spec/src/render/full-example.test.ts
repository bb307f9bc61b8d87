/**
 * The whole path, file → loadProject → renderConfig, against compose-go's full example
 * (`/work/shared/corpus/compose-go/full-example`, read in place; see its README). Loaded as
 * compose-go's test did: inline as `filename0.yml`, working directory = the example's folder,
 * environment {HOME, BAR, QUX}, consistency check off (the example names services, a network and a
 * volume it never declares).
 *
 * Every field of service `foo` must render exactly as compose-go's expected JSON, except those in
 * DIFFERENT, each with its reason.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { composeGoCorpusDir } from '../load/corpus/compose-go.js';
import { loadProject } from '../load/load-project.js';
import { renderConfig } from './render-config.js';

const dir = join(composeGoCorpusDir, 'full-example');
const available = existsSync(join(dir, 'full-example.yml'));
const HOME = '/home/orc-test';

/** Fields of `foo` we render differently, on purpose or for a known reason. */
const DIFFERENT: Record<string, string> = {
  volumes:
    'normalised form: short-syntax binds carry create_host_path: true (docker compose config prints it too)',
  device_cgroup_rules: 'not in the Project model yet (the loader warns NOT_SUPPORTED)',
  env_file: 'resolved into environment by the loader; the file list is not kept',
  label_file: 'resolved into labels by the loader; the file list is not kept',
  deploy: 'reservations.generic_resources is not in the Project model yet (compared below without it)',
  'x-bar': 'compose-go leaves extensions out of JSON; we print them as in YAML',
  'x-foo': 'as above',
};

type Json = Record<string, unknown>;
let got: Json;
let expected: Json;

describe.skipIf(!available)('full example: load → render', () => {
  beforeAll(async () => {
    const result = await loadProject({
      workingDir: dir,
      inline: [{ name: 'filename0.yml', content: readFileSync(join(dir, 'full-example.yml'), 'utf8') }],
      env: { HOME, BAR: 'this is a secret', QUX: 'qux_from_environment' },
      projectName: 'full_example_project_name',
      skipConsistencyCheck: true,
    });
    if (!result.ok) throw new Error(JSON.stringify(result.errors, null, 2));
    // compose-go's expected files were marshalled without `$` escaping; ours escapes like `docker compose config`.
    got = JSON.parse(renderConfig(result.project, { format: 'json', escapeDollars: false })) as Json;
    const text = readFileSync(join(dir, 'full-example.expected.json'), 'utf8')
      .replaceAll('__WORKING_DIR__', dir)
      .replaceAll('__HOME_DIR__', HOME);
    expected = JSON.parse(text) as Json;
  });

  const service = (doc: Json, name: string) => (doc.services as Json)[name] as Json;

  it('renders every other field of foo exactly as compose-go', () => {
    const foo = service(got, 'foo');
    const want = service(expected, 'foo');
    const compared = Object.keys(want).filter((k) => !(k in DIFFERENT));
    expect(compared.length).toBeGreaterThanOrEqual(46);
    for (const key of compared) expect({ [key]: foo[key] }).toEqual({ [key]: want[key] });
  });

  it('renders deploy (durations, sizes, policies, placement) as compose-go', () => {
    const want = service(expected, 'foo').deploy as Json;
    const wantResources = want.resources as Json;
    const reservations = { ...(wantResources.reservations as Json) };
    delete reservations.generic_resources;
    expect(service(got, 'foo').deploy).toEqual({ ...want, resources: { ...wantResources, reservations } });
  });

  it('renders volumes with the same types, sources, targets and options', () => {
    const strip = (list: unknown) => (list as Json[]).map(({ bind: _b, volume: _v, ...rest }) => rest);
    expect(strip(service(got, 'foo').volumes)).toEqual(strip(service(expected, 'foo').volumes));
  });

  it('renders bar (dockerfile_inline) as compose-go', () => {
    expect(service(got, 'bar').build).toEqual(service(expected, 'bar').build);
  });

  it('renders top-level resources as compose-go, plus the engine names normalisation adds', () => {
    for (const section of ['networks', 'volumes', 'secrets', 'configs']) {
      const mine = got[section] as Record<string, Json>;
      for (const [key, want] of Object.entries(expected[section] as Record<string, Json>)) {
        const { name: _n, ipam, ...rest } = want;
        const { name, ...others } = mine[key] ?? {};
        const visible = Object.fromEntries(Object.entries(others).filter(([k]) => !k.startsWith('x-')));
        const wantIpam = ipam && Object.keys(ipam as Json).length > 0 ? { ipam } : {};
        expect({ [key]: visible }).toEqual({ [key]: { ...rest, ...wantIpam } });
        expect(typeof name).toBe('string');
        if (want.name) expect(name).toBe(want.name);
      }
    }
  });
});
