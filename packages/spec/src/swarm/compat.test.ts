import { describe, expect, it } from 'vitest';
import type { SpecProblem } from '../model/errors.js';
import { UNCARRIED_SERVICE_KEYS } from '../normalize/service.js';
import { problemsFor } from '../validate/applicable.js';
import { serviceShape } from '../validate/compose-schema.js';
import { SWARM_REPORTED, SWARM_TRANSLATED } from './compat.js';
import { declaredTarget, projectTarget } from './target.js';
import { loadText } from './test-load.js';

if (serviceShape.kind !== 'object') throw new Error('serviceShape is an object shape');
const schemaKeys = Object.keys(serviceShape.props).sort();

describe('every compose service key is translated or reported on a swarm target (never a silent drop)', () => {
  it('each key of the schema is in exactly one list: translated, reported here, or reported by the loader', () => {
    const placed = schemaKeys.map((key) => ({
      key,
      lists: [
        key in SWARM_TRANSLATED ? 'translated' : '',
        key in SWARM_REPORTED ? 'reported' : '',
        UNCARRIED_SERVICE_KEYS.has(key) ? 'loader' : '',
      ].filter(Boolean),
    }));
    expect(placed.filter((p) => p.lists.length !== 1)).toEqual([]);
  });

  it('the lists name no key the schema does not know', () => {
    const known = new Set(schemaKeys);
    expect(
      [...Object.keys(SWARM_TRANSLATED), ...Object.keys(SWARM_REPORTED)].filter((k) => !known.has(k)),
    ).toEqual([]);
  });
});

/** A value for each reported key, as a user would write it. */
const SAMPLES: Record<string, string> = {
  annotations: 'annotations: {a: b}',
  cgroup: 'cgroup: host',
  cgroup_parent: 'cgroup_parent: /x',
  container_name: 'container_name: web1',
  cpu_shares: 'cpu_shares: 512',
  cpuset: 'cpuset: "0"',
  develop: 'develop: {watch: [{path: ./src, action: sync, target: /src}]}',
  device_cgroup_rules: 'device_cgroup_rules: ["c 1:3 mr"]',
  devices: 'devices: ["/dev/fuse:/dev/fuse"]',
  domainname: 'domainname: example.org',
  external_links: 'external_links: [other]',
  ipc: 'ipc: host',
  links: 'links: [db]',
  mac_address: 'mac_address: 02:42:ac:11:00:02',
  memswap_limit: 'memswap_limit: 1g',
  oom_score_adj: 'oom_score_adj: 100',
  pid: 'pid: host',
  post_start: 'post_start: [{command: "true"}]',
  pre_start: 'pre_start: [{command: "true"}]',
  pre_stop: 'pre_stop: [{command: "true"}]',
  privileged: 'privileged: true',
  provider: 'provider: {type: model, options: {model: x}}',
  pull_policy: 'pull_policy: always',
  runtime: 'runtime: runc',
  security_opt: 'security_opt: [no-new-privileges]',
  shm_size: 'shm_size: 64m',
  storage_opt: 'storage_opt: {size: 1G}',
  userns_mode: 'userns_mode: host',
  uts: 'uts: host',
  volumes_from: 'volumes_from: [db]',
};

function compose(line: string): string {
  return `services:\n  db:\n    image: db:1\n  web:\n    image: web:1\n    ${line}\n`;
}

/** The swarm problems a compose text gets, as `file:line:col severity code path`. */
async function swarmReport(yaml: string): Promise<{ errors: string[]; warnings: string[] }> {
  const local = await loadText(yaml);
  const swarm = await loadText(yaml, { target: 'swarm' });
  if (!local.ok || !swarm.ok) throw new Error(JSON.stringify(swarm.ok ? local : swarm));
  const fmt = (p: SpecProblem) => `${p.file}:${p.line}:${p.col} ${p.path}`;
  const before = new Set(local.warnings.map(fmt));
  return {
    errors: problemsFor(swarm.project, Object.keys(swarm.project.services)).map(fmt),
    warnings: swarm.warnings.map(fmt).filter((w) => !before.has(w)),
  };
}

describe('swarmProblems: each reported key is reported, located, with its severity', () => {
  it('has a sample for every reported key', () => {
    expect(Object.keys(SAMPLES).sort()).toEqual(Object.keys(SWARM_REPORTED).sort());
  });
  for (const [key, line] of Object.entries(SAMPLES)) {
    const rule = SWARM_REPORTED[key];
    it(`${key}: ${rule?.severity}`, async () => {
      const report = await swarmReport(compose(line));
      const where = `compose.yaml:6:5 services.web.${key}`;
      const wantErrors = rule?.severity === 'error' ? [where] : [];
      const wantWarnings = rule?.severity === 'warning' ? [where] : [];
      expect(report.errors.map((e) => e.replace(/^.*compose\.yaml/, 'compose.yaml'))).toEqual(wantErrors);
      expect(report.warnings.map((e) => e.replace(/^.*compose\.yaml/, 'compose.yaml'))).toEqual(wantWarnings);
    });
  }
});

describe('swarmProblems: parts of translated keys', () => {
  const CASES: Array<{ what: string; yaml: string; errors?: string[]; warnings?: string[] }> = [
    {
      what: 'build without image: an error',
      yaml: 'services:\n  web:\n    build: .\n',
      errors: ['3:5 services.web.build'],
    },
    { what: 'build with image: fine', yaml: 'services:\n  web:\n    build: .\n    image: reg:5000/web\n' },
    {
      what: 'pull_policy with build: honoured (it decides when the manager builds), no warning',
      yaml: 'services:\n  web:\n    build: .\n    image: reg:5000/web\n    pull_policy: build\n',
    },
    {
      what: 'build with an image that names a registry host (localhost, a dotted name): fine',
      yaml: 'services:\n  a:\n    build: .\n    image: localhost/a:1\n  b:\n    build: .\n    image: docker.io/me/b\n',
    },
    {
      what: 'build with an image that names no registry: an error on the image',
      yaml: 'services:\n  web:\n    build: .\n    image: me/web:1\n',
      errors: ['4:12 services.web.image'],
    },
    {
      what: 'network_mode other than host: an error',
      yaml: 'services:\n  web:\n    image: w\n    network_mode: none\n',
      errors: ['4:19 services.web.network_mode'],
    },
    {
      what: 'network_mode host: translated',
      yaml: 'services:\n  web:\n    image: w\n    network_mode: host\n',
    },
    {
      what: 'depends_on conditions: ordered by orc, not reported',
      yaml: 'services:\n  db:\n    image: d\n    healthcheck: {test: "true"}\n  web:\n    image: w\n    depends_on: {db: {condition: service_healthy}}\n',
    },
    {
      what: 'depends_on restart: a warning',
      yaml: 'services:\n  db:\n    image: d\n  web:\n    image: w\n    depends_on:\n      db: {condition: service_started, restart: true}\n',
      warnings: ['7:40 services.web.depends_on.db.restart'],
    },
    {
      what: 'a dependency waited on to complete becomes a job: a warning on it',
      yaml: 'services:\n  job:\n    image: j\n  web:\n    image: w\n    depends_on: {job: {condition: service_completed_successfully}}\n',
      warnings: ['2:3 services.job.deploy'],
    },
    {
      what: 'a dependency waited on to complete with deploy.mode replicated: a warning (it never completes)',
      yaml: 'services:\n  job:\n    image: j\n    deploy: {mode: replicated}\n  web:\n    image: w\n    depends_on: {job: {condition: service_completed_successfully}}\n',
      warnings: ['4:20 services.job.deploy.mode'],
    },
    {
      what: 'a published port range: an error',
      yaml: 'services:\n  web:\n    image: w\n    ports: ["8000-8001:80"]\n',
      errors: ['4:13 services.web.ports[0]'],
    },
    {
      what: 'an ingress port with dnsrr: an error',
      yaml: 'services:\n  web:\n    image: w\n    ports: ["80:80"]\n    deploy: {endpoint_mode: dnsrr}\n',
      errors: ['4:13 services.web.ports[0]'],
    },
    {
      what: 'a host port with dnsrr: fine',
      yaml: 'services:\n  web:\n    image: w\n    ports: [{target: 80, published: "80", mode: host}]\n    deploy: {endpoint_mode: dnsrr}\n',
    },
    {
      what: 'host_ip: a warning',
      yaml: 'services:\n  web:\n    image: w\n    ports: ["127.0.0.1:80:80"]\n',
      warnings: ['4:13 services.web.ports[0].host_ip'],
    },
    {
      what: 'a bind mount: a warning (the path must exist on every node)',
      yaml: 'services:\n  web:\n    image: w\n    volumes: ["/srv:/srv"]\n',
      warnings: ['4:15 services.web.volumes[0]'],
    },
    {
      what: 'a device reservation: an error',
      yaml: 'services:\n  web:\n    image: w\n    deploy: {resources: {reservations: {devices: [{capabilities: [gpu]}]}}}\n',
      errors: ['4:41 services.web.deploy.resources.reservations.devices'],
    },
    {
      what: 'a static address on a network: a warning',
      yaml: 'services:\n  web:\n    image: w\n    networks: {default: {ipv4_address: 10.0.0.9}}\n',
      warnings: ['4:26 services.web.networks.default.ipv4_address'],
    },
    {
      what: 'an unknown deploy.mode: an error',
      yaml: 'services:\n  web:\n    image: w\n    deploy: {mode: sometimes}\n',
      errors: ['4:20 services.web.deploy.mode'],
    },
    {
      what: 'a service whose Swarm name is longer than a DNS label: an error',
      yaml: `services:\n  ${'s'.repeat(59)}:\n    image: w\n`,
      errors: [`2:3 services.${'s'.repeat(59)}`],
    },
    {
      what: 'replicas and max_replicas_per_node of a global service: warnings',
      yaml: 'services:\n  agent:\n    image: a\n    deploy:\n      mode: global\n      replicas: 2\n      placement: {max_replicas_per_node: 1}\n',
      warnings: [
        '6:7 services.agent.deploy.replicas',
        '7:19 services.agent.deploy.placement.max_replicas_per_node',
      ],
    },
    {
      what: 'a bridge network: a warning (made overlay)',
      yaml: 'services:\n  web:\n    image: w\nnetworks:\n  default: {driver: bridge}\n',
      warnings: ['5:21 networks.default.driver'],
    },
  ];
  for (const c of CASES) {
    it(c.what, async () => {
      const report = await swarmReport(c.yaml);
      const strip = (s: string) => s.replace(/^.*compose\.yaml:/, '');
      expect(report.errors.map(strip)).toEqual(c.errors ?? []);
      expect(report.warnings.map(strip)).toEqual(c.warnings ?? []);
    });
  }
});

describe('the target', () => {
  it('reports nothing for swarm on the local target', async () => {
    const r = await loadText(compose('privileged: true'));
    expect(r.ok && problemsFor(r.project, ['web'])).toEqual([]);
  });

  it('takes x-orc.target from the file; --target wins', async () => {
    const yaml = `x-orc: {target: swarm}\n${compose('privileged: true')}`;
    const r = await loadText(yaml);
    if (!r.ok) throw new Error('load failed');
    expect(declaredTarget(r.project)).toBe('swarm');
    expect(projectTarget(r.project)).toBe('swarm');
    expect(projectTarget(r.project, 'local')).toBe('local');
    expect(problemsFor(r.project, ['web']).map((p) => p.path)).toEqual(['services.web.privileged']);
    // Only commands that act on `web` stop: `up db`, `ps`, `down` do not.
    expect(problemsFor(r.project, ['db'])).toEqual([]);
    const local = await loadText(yaml, { target: 'local' });
    expect(local.ok && problemsFor(local.project, ['web'])).toEqual([]);
  });

  it('refuses an x-orc.target it does not know, located', async () => {
    const r = await loadText('x-orc: {target: k8s}\nservices: {web: {image: w}}\n');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.errors.map((e) => [e.path, e.line])).toEqual([['x-orc.target', 1]]);
  });

  it('says why and how to fix it', async () => {
    const r = await loadText(compose('privileged: true'), { target: 'swarm' });
    if (!r.ok) throw new Error('load failed');
    const [p] = problemsFor(r.project, ['web']);
    expect(p).toMatchObject({
      code: 'NOT_SUPPORTED',
      message: '"privileged": not on a swarm target: Swarm services cannot run privileged',
      hint: expect.stringContaining('cap_add'),
    });
  });
});
