// biome-ignore-all lint/suspicious/noTemplateCurlyInString: compose files spell ${VAR} literally
import { describe, expect, it } from 'vitest';
import { expectErrors, expectErrorsForAll, expectOk, loadText } from '../load/temp-project.js';
import type { SpecErrorCode } from '../model/errors.js';

interface Case {
  name: string;
  yaml: string[];
  code: SpecErrorCode;
  line: number;
  col: number;
  path?: string;
  message: RegExp;
  hint?: RegExp;
}

const cases: Case[] = [
  {
    name: 'unknown key, with a suggestion',
    yaml: ['services:', '  web:', '    imgae: nginx'],
    code: 'UNKNOWN_KEY',
    line: 3,
    col: 5,
    path: 'services.web.imgae',
    message: /unknown key "imgae"/,
    hint: /did you mean "image"\?/,
  },
  {
    name: 'unknown top-level key',
    yaml: ['services:', '  web: {image: x}', 'volumes_typo: {}'],
    code: 'UNKNOWN_KEY',
    line: 3,
    col: 1,
    path: 'volumes_typo',
    message: /unknown key/,
  },
  {
    name: 'wrong type',
    yaml: ['services:', '  web:', '    image: x', '    ports: 8080'],
    code: 'SCHEMA',
    line: 4,
    col: 12,
    path: 'services.web.ports',
    message: /expected a list, got 8080/,
  },
  {
    name: 'a boolean where a string list goes',
    yaml: ['services:', '  web:', '    image: x', '    cap_add: [true]'],
    code: 'SCHEMA',
    line: 4,
    col: 15,
    path: 'services.web.cap_add[0]',
    message: /expected a string/,
  },
  {
    name: 'depends_on condition typo',
    yaml: [
      'services:',
      '  web:',
      '    image: x',
      '    depends_on:',
      '      db: {condition: service_healty}',
      '  db: {image: x}',
    ],
    code: 'INVALID_VALUE',
    line: 5,
    col: 23,
    path: 'services.web.depends_on.db.condition',
    message: /"service_healty" is not one of/,
    hint: /did you mean "service_healthy"/,
  },
  {
    name: 'unknown service in depends_on',
    yaml: [
      'services:',
      '  web:',
      '    image: x',
      '    depends_on:',
      '      dbb: {condition: service_started}',
      '  db: {image: x}',
    ],
    code: 'UNKNOWN_SERVICE',
    line: 5,
    col: 7,
    path: 'services.web.depends_on.dbb',
    message: /depends on undefined service "dbb"/,
    hint: /did you mean "db"/,
  },
  {
    name: 'unknown service in links',
    yaml: ['services:', '  web:', '    image: x', '    links: [db:database]'],
    code: 'UNKNOWN_SERVICE',
    line: 4,
    col: 13,
    path: 'services.web.links[0]',
    message: /links to undefined service "db"/,
  },
  {
    name: 'unknown service in volumes_from',
    yaml: ['services:', '  web:', '    image: x', '    volumes_from: [data:ro]'],
    code: 'UNKNOWN_SERVICE',
    line: 4,
    col: 20,
    path: 'services.web.volumes_from[0]',
    message: /takes volumes from undefined service "data"/,
  },
  {
    name: 'unknown service in network_mode',
    yaml: ['services:', '  web:', '    image: x', '    network_mode: service:vpn'],
    code: 'UNKNOWN_SERVICE',
    line: 4,
    col: 19,
    path: 'services.web.network_mode',
    message: /shares the network of undefined service "vpn"/,
  },
  {
    name: 'unknown service in extends',
    yaml: ['services:', '  web:', '    extends: bsae', '  base: {image: x}'],
    code: 'EXTENDS',
    line: 3,
    col: 14,
    path: 'services.web.extends',
    message: /cannot extend undefined service "bsae"/,
    hint: /did you mean "base"/,
  },
  {
    name: 'extends cycle',
    yaml: ['services:', '  a: {extends: b, image: x}', '  b: {extends: a}'],
    code: 'EXTENDS',
    line: 2,
    col: 16,
    path: 'services.a.extends',
    message: /extends cycle: a -> b -> a/,
  },
  {
    name: 'dependency cycle, named',
    yaml: [
      'services:',
      '  web: {image: x, depends_on: [api]}',
      '  api:',
      '    image: x',
      '    depends_on:',
      '      web: {condition: service_started}',
    ],
    code: 'DEPENDENCY_CYCLE',
    line: 2,
    col: 32,
    path: 'services.web.depends_on.api',
    message: /dependency cycle: api -> web -> api/,
  },
  {
    name: 'undefined network',
    yaml: [
      'services:',
      '  web:',
      '    image: x',
      '    networks:',
      '      frontt: {}',
      'networks:',
      '  front: {}',
    ],
    code: 'UNKNOWN_NETWORK',
    line: 5,
    col: 7,
    path: 'services.web.networks.frontt',
    message: /undefined network "frontt"/,
    hint: /did you mean "front"/,
  },
  {
    name: 'undefined volume',
    yaml: ['services:', '  web:', '    image: x', '    volumes:', '      - data:/data'],
    code: 'UNKNOWN_VOLUME',
    line: 5,
    col: 9,
    path: 'services.web.volumes[0]',
    message: /undefined volume "data"/,
  },
  {
    name: 'undefined secret',
    yaml: ['services:', '  web:', '    image: x', '    secrets: [token]'],
    code: 'UNKNOWN_SECRET',
    line: 4,
    col: 15,
    path: 'services.web.secrets[0]',
    message: /undefined secret "token"/,
  },
  {
    name: 'undefined config',
    yaml: ['services:', '  web:', '    image: x', '    configs:', '      - source: conf'],
    code: 'UNKNOWN_CONFIG',
    line: 5,
    col: 9,
    path: 'services.web.configs[0]',
    message: /undefined config "conf"/,
  },
  {
    name: 'duplicate container_name',
    yaml: [
      'services:',
      '  a: {image: x, container_name: same}',
      '  b:',
      '    image: x',
      '    container_name: same',
    ],
    code: 'DUPLICATE_CONTAINER_NAME',
    line: 5,
    col: 21,
    path: 'services.b.container_name',
    message: /"same" is also used by service "a"/,
  },
  {
    name: 'conflicting published host ports',
    yaml: [
      'services:',
      '  a: {image: x, ports: ["8080:80"]}',
      '  b:',
      '    image: x',
      '    ports:',
      '      - 8080:81',
    ],
    code: 'PORT_CONFLICT',
    line: 6,
    col: 9,
    path: 'services.b.ports[0]',
    message: /host port 8080\/tcp is already published by service "a"/,
  },
  {
    name: 'port out of range',
    yaml: ['services:', '  web:', '    image: x', '    ports:', '      - "70000:80"'],
    code: 'INVALID_VALUE',
    line: 5,
    col: 9,
    path: 'services.web.ports[0]',
    message: /port 70000 is out of range/,
  },
  {
    name: 'long-form target port out of range',
    yaml: ['services:', '  web:', '    image: x', '    ports:', '      - target: 65536'],
    code: 'INVALID_VALUE',
    line: 5,
    col: 17,
    path: 'services.web.ports[0].target',
    message: /invalid target port 65536/,
  },
  {
    name: 'invalid duration',
    yaml: ['services:', '  web:', '    image: x', '    stop_grace_period: 10 seconds'],
    code: 'INVALID_VALUE',
    line: 4,
    col: 24,
    path: 'services.web.stop_grace_period',
    message: /invalid duration "10 seconds"/,
    hint: /1m30s/,
  },
  {
    name: 'invalid healthcheck interval',
    yaml: ['services:', '  web:', '    image: x', '    healthcheck:', '      interval: soon'],
    code: 'INVALID_VALUE',
    line: 5,
    col: 17,
    path: 'services.web.healthcheck.interval',
    message: /invalid duration "soon"/,
  },
  {
    name: 'invalid size',
    yaml: ['services:', '  web:', '    image: x', '    mem_limit: lots'],
    code: 'INVALID_VALUE',
    line: 4,
    col: 16,
    path: 'services.web.mem_limit',
    message: /invalid size "lots"/,
  },
  {
    name: 'invalid restart',
    yaml: ['services:', '  web:', '    image: x', '    restart: sometimes'],
    code: 'INVALID_VALUE',
    line: 4,
    col: 14,
    path: 'services.web.restart',
    message: /invalid restart policy "sometimes"/,
    hint: /unless-stopped/,
  },
  {
    name: 'container_name with scale > 1',
    yaml: ['services:', '  web:', '    image: x', '    container_name: one', '    scale: 2'],
    code: 'SCALE_CONFLICT',
    line: 4,
    col: 21,
    path: 'services.web.container_name',
    message: /container_name and scale 2/,
  },
  {
    name: 'scale and deploy.replicas disagree',
    yaml: ['services:', '  web:', '    image: x', '    scale: 2', '    deploy: {replicas: 3}'],
    code: 'SCALE_CONFLICT',
    line: 4,
    col: 12,
    path: 'services.web.scale',
    message: /scale \(2\) and deploy.replicas \(3\) disagree/,
  },
  {
    name: 'external network with extra attributes',
    yaml: [
      'services:',
      '  web: {image: x, networks: [ext]}',
      'networks:',
      '  ext:',
      '    external: true',
      '    driver: bridge',
    ],
    code: 'EXTERNAL_RESOURCE',
    line: 6,
    col: 5,
    path: 'networks.ext.driver',
    message: /external, so "driver" cannot be set/,
  },
  {
    name: 'external volume with extra attributes',
    yaml: ['services:', '  web: {image: x}', 'volumes:', '  v:', '    external: true', '    labels: {a: b}'],
    code: 'EXTERNAL_RESOURCE',
    line: 6,
    col: 5,
    path: 'volumes.v.labels',
    message: /external/,
  },
  {
    name: 'service with neither image nor build',
    yaml: ['services:', '  web:', '    command: echo'],
    code: 'SCHEMA',
    line: 2,
    col: 3,
    path: 'services.web',
    message: /neither an image nor a build context/,
  },
  {
    name: 'invalid interpolation',
    yaml: ['services:', '  web:', '    image: "nginx:${TAG"'],
    code: 'INTERPOLATION',
    line: 3,
    col: 12,
    path: 'services.web.image',
    message: /^invalid interpolation format for services\.web\.image: nginx:\$\{TAG$/,
    hint: /write \$\$ for a literal \$/,
  },
  {
    name: 'required variable missing',
    yaml: ['services:', '  web:', '    image: "${IMAGE:?set IMAGE}"'],
    code: 'INTERPOLATION',
    line: 3,
    col: 12,
    path: 'services.web.image',
    message: /required variable IMAGE is missing a value: set IMAGE/,
    hint: /set the variable/,
  },
  {
    name: 'YAML syntax: bad indentation',
    yaml: ['services:', '  web:', '    image: x', '   ports: []'],
    code: 'YAML_SYNTAX',
    line: 4,
    col: 1,
    message: /./,
  },
  {
    name: 'YAML duplicate key',
    yaml: ['services:', '  web:', '    image: x', '    image: y'],
    code: 'YAML_SYNTAX',
    line: 4,
    col: 5,
    message: /unique|duplicate/i,
    hint: /each key may appear once/,
  },
  {
    name: 'invalid service name',
    yaml: ['services:', '  "we b": {image: x}'],
    code: 'SCHEMA',
    line: 2,
    col: 3,
    path: 'services["we b"]',
    message: /invalid name "we b"/,
  },
  {
    name: 'invalid volume option',
    yaml: ['services:', '  web:', '    image: x', '    volumes: ["./a:/a:rx"]'],
    code: 'INVALID_VALUE',
    line: 4,
    col: 15,
    path: 'services.web.volumes[0]',
    message: /unknown option "rx"/,
  },
  {
    name: 'network_mode together with networks',
    yaml: ['services:', '  web:', '    image: x', '    network_mode: host', '    networks: [default]'],
    code: 'SCHEMA',
    line: 4,
    col: 5,
    path: 'services.web.network_mode',
    message: /cannot be used together/,
  },
  {
    name: 'secret without a source',
    yaml: ['services:', '  web: {image: x}', 'secrets:', '  s: {labels: {a: b}}'],
    code: 'INVALID_VALUE',
    line: 4,
    col: 3,
    path: 'secrets.s',
    message: /has no source/,
  },
  {
    name: 'a depends_on on a service disabled by profiles',
    yaml: [
      'services:',
      '  web:',
      '    image: x',
      '    depends_on: [db]',
      '  db: {image: x, profiles: [debug]}',
    ],
    code: 'UNKNOWN_SERVICE',
    line: 4,
    col: 18,
    path: 'services.web.depends_on.db',
    message: /disabled by profiles/,
    hint: /debug/,
  },
];

describe('located errors: code, file:line:col, key path, message, hint', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_, c) => {
    // A container_name clash is a service problem now: it fails a command selecting both (everything here).
    const errors = expectErrorsForAll(await loadText(`${c.yaml.join('\n')}\n`));
    const e = errors.find((x) => x.code === c.code);
    expect(e, JSON.stringify(errors, null, 2)).toBeDefined();
    expect({ file: e!.file, line: e!.line, col: e!.col }).toEqual({
      file: '<inline>',
      line: c.line,
      col: c.col,
    });
    if (c.path) expect(e!.path).toBe(c.path);
    expect(e!.message).toMatch(c.message);
    if (c.hint) expect(e!.hint).toMatch(c.hint);
  });

  it('a missing optional dependency is only a warning', async () => {
    const r = await loadText(
      'services:\n  web:\n    image: x\n    depends_on:\n      db: {condition: service_started, required: false}\n',
    );
    expect(r.ok).toBe(true);
    expect(r.warnings.find((w) => w.code === 'UNKNOWN_SERVICE')).toMatchObject({ line: 5, col: 7 });
  });

  it('~ without HOME in the client environment is an error, not a bogus path', async () => {
    const errors = expectErrors(
      await loadText('services:\n  web:\n    image: x\n    volumes: ["~/x:/x"]\n', { env: {} }),
    );
    expect(errors[0]).toMatchObject({ code: 'INVALID_VALUE', line: 4, col: 15 });
    expect(errors[0]?.message).toMatch(/no HOME/);
  });

  it('reports every error of a file, not only the first', async () => {
    const errors = expectErrors(
      await loadText(
        [
          'services:',
          '  web:',
          '    imagee: x',
          '    ports: 1',
          '    restartt: always',
          '  db:',
          '    tyy: true',
        ].join('\n'),
      ),
    );
    expect(errors.map((e) => `${e.line}:${e.col} ${e.code}`)).toEqual([
      '3:5 UNKNOWN_KEY',
      '4:12 SCHEMA',
      '5:5 UNKNOWN_KEY',
      '7:5 UNKNOWN_KEY',
    ]);
  });

  it('unset variables are warnings, located, and become empty strings', async () => {
    const r = await loadText('services:\n  web:\n    image: "nginx${SUFFIX}"\n', { env: {} });
    expect(r.ok).toBe(true);
    const w = r.warnings.find((x) => x.code === 'UNSET_VARIABLE');
    expect(w).toMatchObject({ file: '<inline>', line: 3, col: 12, path: 'services.web.image' });
    expect(w?.message).toMatch(/"SUFFIX" variable is not set/);
    if (r.ok) expect(r.project.services.web?.image).toBe('nginx');
  });
});

describe('platform must be one of build.platforms (issue 21 item 6, as compose-go checks)', () => {
  it('refuses a platform outside build.platforms, at the platform key', async () => {
    const errors = expectErrors(
      await loadText(
        [
          'services:',
          '  web:',
          '    image: x',
          '    platform: linux/arm64',
          '    build:',
          '      context: .',
          '      platforms: [linux/amd64]',
          '',
        ].join('\n'),
      ),
    );
    expect(errors[0]).toMatchObject({ code: 'SCHEMA', line: 4 });
    expect(errors[0]?.message).toMatch(/build.platforms \(linux\/amd64\) must include platform linux\/arm64/);
    expectOk(
      await loadText(
        'services:\n  web:\n    image: x\n    platform: linux/amd64\n    build:\n      context: .\n      platforms: [linux/amd64, linux/arm64]\n',
      ),
    );
  });
});
