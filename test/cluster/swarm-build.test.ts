/**
 * Images on every node (issue 15): `build:` on a swarm target, through the built CLI and a private daemon
 * whose DOCKER_HOST is the lab's manager. The image is built on the manager, pushed to the registry its
 * `image:` names, and the service's tasks are pinned to the pushed digest, so every node runs the same
 * bits; an identical rebuild updates nothing, a changed build context rolls the service with the digest
 * as the cause (`--dry-run` says so first), `orc events` tells the build and the push, and the status
 * page's re-apply (`POST /v1/projects/:name/up`) converges a swarm project on the swarm. Last, a registry
 * that wants a login: the client's docker config is used to push, and forwarded so workers can pull.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, daemonLog, explain, type OrcEnv, orc, orcEnv, start, stopDaemon } from '../e2e/orc.js';
import { labDocker } from '../support/swarm-lab.js';
import { labEnv } from '../support/swarm-lab-env.js';
import { until, warmUp } from './helpers.js';

const lab = labEnv();
const project = `swarmbuild${process.pid}`;
const service = `${project}_app`;
const image = `${lab.registry}/${project}-app:1`;
const PINNED = new RegExp(`^${reEscape(image)}@sha256:[0-9a-f]{64}$`);

const compose = (extra = '') => `
x-orc: {target: swarm}
services:
  app:
    build: .
    image: ${image}
    command: ["sh", "-c", "exec sleep 3600"]
    deploy:
      replicas: 4
      endpoint_mode: dnsrr
      placement: {max_replicas_per_node: 2}
      # the roll is what is tested, not its pace: every task at once, 1 s of monitoring
      update_config: {parallelism: 4, monitor: 1s}
    stop_grace_period: 1s
${extra}`;

describe('orc builds, pushes and pins images on a swarm target', () => {
  let o: OrcEnv;
  let dir: string;
  let events: ReturnType<typeof start> | undefined;
  let seen = '';

  beforeAll(async () => {
    assertBuilt();
    dir = mkdtempSync(join(tmpdir(), 'swarm-build-'));
    writeFileSync(join(dir, 'Dockerfile'), `FROM ${lab.image}\nCOPY stamp.txt /stamp.txt\n`);
    writeFileSync(join(dir, 'stamp.txt'), 'one\n');
    writeFileSync(join(dir, 'compose.yaml'), compose());
    o = orcEnv('swarm-build');
    o.env.DOCKER_HOST = lab.managerHost;
    await warmUp(o, dir);
    events = start(o, ['-p', project, 'events', '--json'], { cwd: dir });
    events.child.stdout?.on('data', (c: Buffer) => {
      seen += c.toString();
    });
    // The stream is open once the CLI has asked for it.
    await new Promise((r) => setTimeout(r, 1500));
  });

  afterAll(async () => {
    events?.child.kill('SIGTERM');
    await orc(o, ['-p', project, 'down'], { cwd: dir }).catch(() => undefined);
    await stopDaemon(o);
    const byLabel = ['--filter', `label=com.docker.stack.namespace=${project}`, '-q'];
    const left = (await labDocker(lab.managerHost, 'service', 'ls', ...byLabel)).split('\n').filter(Boolean);
    if (left.length) await labDocker(lab.managerHost, 'service', 'rm', ...left).catch(() => undefined);
    // The images this test built on the manager (never the shared engine).
    await labDocker(lab.managerHost, 'image', 'rm', '-f', image).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  });

  it('builds on the manager, pushes, and every node runs the pinned digest with the built file', async () => {
    const up = await orc(o, ['-p', project, 'up', '-d', '--wait'], { cwd: dir });
    expect(up.code, `${explain(up)}\n${daemonLog(o)}`).toBe(0);
    const pinned = await specImage();
    expect(pinned).toMatch(PINNED);
    const tasks = await runningTasks();
    expect(tasks).toHaveLength(4);
    expect(new Set(tasks.map((t) => t.node)).size).toBeGreaterThanOrEqual(2);
    for (const t of tasks) {
      expect(t.image).toBe(pinned);
      expect(await labDocker(t.host, 'exec', t.container, 'cat', '/stamp.txt')).toBe('one');
    }
    // orc events: the build and the push, each with its reason.
    await until(async () => /"type":"image".*"action":"push"/.test(seen), 10_000).catch(() => undefined);
    expect(seen).toMatch(/"type":"image"[^\n]*"action":"build"[^\n]*built /);
    expect(seen).toMatch(
      new RegExp(`"type":"image"[^\\n]*"action":"push"[^\\n]*every node pulls ${reEscape(image)}@sha256:`),
    );
  });

  it('a no-op up and an identical rebuild update nothing', async () => {
    const before = await version();
    const pinned = await specImage();
    for (const args of [
      ['up', '-d'],
      ['up', '-d', '--build'],
    ]) {
      const r = await orc(o, ['-p', project, ...args], { cwd: dir });
      expect(r.code, explain(r)).toBe(0);
      expect(`${r.stdout}${r.stderr}`).not.toMatch(/Update-service|Create-service|Remove-service/);
    }
    expect(await version()).toBe(before);
    expect(await specImage()).toBe(pinned);
  });

  it('a changed build context rolls the service, and --dry-run says the digest changed', async () => {
    const before = await version();
    const old = await specImage();
    writeFileSync(join(dir, 'stamp.txt'), 'two\n');
    const dry = await orc(o, ['-p', project, 'up', '--dry-run', '--build'], { cwd: dir });
    expect(dry.code, explain(dry)).toBe(0);
    const updates = dry.stdout.split('\n').filter((l) => /^update service/.test(l));
    expect(updates, dry.stdout).toHaveLength(1);
    expect(updates[0]).toMatch(
      new RegExp(`update service ${service} .*image digest changed \\(sha256:[0-9a-f]{12} → a new build`),
    );
    expect(await version()).toBe(before);

    const up = await orc(o, ['-p', project, 'up', '-d', '--build', '--wait'], { cwd: dir });
    expect(up.code, explain(up)).toBe(0);
    expect(`${up.stdout}${up.stderr}`).toMatch(/image digest changed/);
    const now = await specImage();
    expect(now).toMatch(PINNED);
    expect(now).not.toBe(old);
    expect(await version()).toBeGreaterThan(before);
    await until(async () => {
      const tasks = await runningTasks();
      return tasks.length === 4 && tasks.every((t) => t.image === now);
    }, 60_000);
    for (const t of await runningTasks()) {
      expect(await labDocker(t.host, 'exec', t.container, 'cat', '/stamp.txt')).toBe('two');
    }
  });

  it('POST /v1/projects/:name/up re-applies a swarm project on the swarm', async () => {
    const pinned = await specImage();
    writeFileSync(join(dir, 'compose.yaml'), compose('    environment: {GREETING: reapplied}\n'));
    const dry = await api(o, 'POST', `/v1/projects/${project}/up?wait=true`, { dryRun: true });
    expect(dry.status, JSON.stringify(dry.body)).toBe(200);
    expect(dry.body.operation.plan.join('\n')).toMatch(
      new RegExp(`update service ${service} .*config differs: environment`),
    );
    const r = await api(o, 'POST', `/v1/projects/${project}/up?wait=true`, {});
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.operation.state, JSON.stringify(r.body)).toBe('succeeded');
    const env = await labDocker(
      lab.managerHost,
      ...['service', 'inspect', service, '--format', '{{json .Spec.TaskTemplate.ContainerSpec.Env}}'],
    );
    expect(env).toContain('GREETING=reapplied');
    // Same bits: the re-apply kept the digest; and no container of the local target was made.
    expect(await specImage()).toBe(pinned);
    expect(
      await labDocker(
        lab.managerHost,
        'ps',
        '-aq',
        '--filter',
        `label=com.docker.compose.project=${project}`,
      ),
    ).toBe('');
  });
});

/**
 * A registry that wants a login. The lab's nodes trust only their own registry, so this one listens on
 * 127.0.0.1:5001 inside each node's network namespace (loopback registries need no TLS), all three
 * serving one storage directory: pushed through the manager's, pulled through each node's own.
 */
describe('a registry that needs credentials: the client’s are used to push and forwarded to the nodes', () => {
  const authProject = `${project}auth`;
  const authImage = `127.0.0.1:5001/${authProject}:1`;
  let o: OrcEnv;
  let dir: string;
  let regDir: string;
  const registries: ChildProcess[] = [];

  beforeAll(async () => {
    regDir = mkdtempSync(join(tmpdir(), 'swarm-build-reg-'));
    const { stdout: hash } = await promisify(execFile)('htpasswd', ['-Bbn', 'ci', 'build-pw']);
    writeFileSync(join(regDir, 'htpasswd'), hash);
    writeFileSync(
      join(regDir, 'config.yml'),
      [
        'version: 0.1',
        `storage: {filesystem: {rootdirectory: ${join(regDir, 'data')}}}`,
        'http: {addr: "127.0.0.1:5001"}',
        `auth: {htpasswd: {realm: orc-test, path: ${join(regDir, 'htpasswd')}}}`,
        '',
      ].join('\n'),
    );
    // Each lab node lives in a network namespace named as the node.
    for (const netns of lab.nodeNames) {
      const child = spawn(
        'ip',
        ['netns', 'exec', netns, 'docker-registry', 'serve', join(regDir, 'config.yml')],
        {
          stdio: 'ignore',
        },
      );
      registries.push(child);
    }
    dir = mkdtempSync(join(tmpdir(), 'swarm-build-auth-'));
    writeFileSync(join(dir, 'Dockerfile'), `FROM ${lab.image}\nRUN echo private > /stamp.txt\n`);
    writeFileSync(
      join(dir, 'compose.yaml'),
      `x-orc: {target: swarm}\nservices:\n  app:\n    build: .\n    image: ${authImage}\n    command: ["sleep", "3600"]\n    deploy: {mode: global, endpoint_mode: dnsrr}\n    stop_grace_period: 1s\n`,
    );
    const config = join(dir, 'docker-config');
    mkdirSync(config);
    writeFileSync(
      join(config, 'config.json'),
      JSON.stringify({
        auths: { '127.0.0.1:5001': { auth: Buffer.from('ci:build-pw').toString('base64') } },
      }),
    );
    o = orcEnv('swarm-build-auth');
    o.env.DOCKER_HOST = lab.managerHost;
    o.env.DOCKER_CONFIG = config;
    await warmUp(o, dir);
    // Every node's registry answers (401 without credentials) before the test leans on it.
    for (const netns of lab.nodeNames) {
      await until(async () => {
        try {
          await promisify(execFile)('ip', [
            'netns',
            'exec',
            netns,
            'curl',
            '-s',
            '-o',
            '/dev/null',
            'http://127.0.0.1:5001/v2/',
          ]);
          return true;
        } catch {
          return false;
        }
      }, 15_000);
    }
  });

  afterAll(async () => {
    await orc(o, ['-p', authProject, 'down'], { cwd: dir }).catch(() => undefined);
    await stopDaemon(o);
    const left = await labDocker(lab.managerHost, 'service', 'ls', '-q', '--filter', `name=${authProject}_`);
    if (left) await labDocker(lab.managerHost, 'service', 'rm', ...left.split('\n')).catch(() => undefined);
    for (const host of lab.nodeHosts)
      await labDocker(host, 'image', 'rm', '-f', authImage).catch(() => undefined);
    for (const child of registries) child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
    rmSync(regDir, { recursive: true, force: true });
  });

  it('a global service runs on every node: each worker pulled the image with the forwarded login', async () => {
    const up = await orc(o, ['-p', authProject, 'up', '-d', '--wait'], { cwd: dir });
    expect(up.code, `${explain(up)}\n${daemonLog(o)}`).toBe(0);
    const spec = await labDocker(
      lab.managerHost,
      ...[
        'service',
        'inspect',
        `${authProject}_app`,
        '--format',
        '{{.Spec.TaskTemplate.ContainerSpec.Image}}',
      ],
    );
    expect(spec).toMatch(new RegExp(`^${reEscape(authImage)}@sha256:[0-9a-f]{64}$`));
    for (const host of lab.nodeHosts) {
      const cid = await labDocker(
        host,
        'ps',
        '-q',
        '--filter',
        `label=com.docker.swarm.service.name=${authProject}_app`,
      );
      const tasks = () =>
        labDocker(lab.managerHost, 'service', 'ps', '--no-trunc', `${authProject}_app`).catch(
          (e: Error) => e.message,
        );
      expect(cid, `no task on ${host}:\n${await tasks()}`).not.toBe('');
      expect(await labDocker(host, 'exec', cid, 'cat', '/stamp.txt')).toBe('private');
    }
  });
});

async function specImage(): Promise<string> {
  return labDocker(
    lab.managerHost,
    'service',
    'inspect',
    service,
    '--format',
    '{{.Spec.TaskTemplate.ContainerSpec.Image}}',
  );
}

async function version(): Promise<number> {
  return Number(
    await labDocker(lab.managerHost, 'service', 'inspect', service, '--format', '{{.Version.Index}}'),
  );
}

/** The service's running task containers, from each node's own engine. */
async function runningTasks(): Promise<
  Array<{ host: string; node: string; container: string; image: string }>
> {
  const out: Array<{ host: string; node: string; container: string; image: string }> = [];
  for (const host of lab.nodeHosts) {
    const node = await labDocker(host, 'info', '--format', '{{.Name}}');
    const ids = await labDocker(
      host,
      'ps',
      '-q',
      '--filter',
      `label=com.docker.swarm.service.name=${service}`,
    );
    for (const container of ids.split('\n').filter(Boolean)) {
      // `docker ps` shows the tag; the container's config holds the reference the task ran (with its digest).
      const image = await labDocker(host, 'inspect', container, '--format', '{{.Config.Image}}');
      out.push({ host, node, container, image });
    }
  }
  return out;
}

interface ApiReply {
  status: number;
  body: { operation: { state: string; plan: string[] } };
}

/** One request to the daemon's REST API over its socket. */
function api(o: OrcEnv, method: string, path: string, body: unknown): Promise<ApiReply> {
  return new Promise((resolve, reject) => {
    const req = request(
      { socketPath: o.socket, method, path, headers: { 'content-type': 'application/json' } },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => {
          text += c.toString();
        });
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as ApiReply['body'] }),
        );
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

function reEscape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
