/**
 * `orc up` on a 3-node swarm (issue 15), through the built CLI and a private daemon whose DOCKER_HOST is the
 * lab's manager (the shared engine is never a manager): the file's `x-orc.target`, a `service_healthy`
 * gate that `docker stack deploy` lacks, 6 replicas spread over 3 nodes and resolving over the overlay
 * (dnsrr), host-mode ports on every node, a secret from `content:`, `docker stack services` seeing the
 * stack, a no-op up making zero updates, one changed service updated alone, `ps` per task, and `down`
 * leaving nothing. A daemon on a worker refuses with what to run.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, daemonLog, explain, type OrcEnv, orc, orcEnv, start, stopDaemon } from '../e2e/orc.js';
import { labDocker, lab as labScript } from '../support/swarm-lab.js';
import { labEnv } from '../support/swarm-lab-env.js';
import { until, warmUp } from './helpers.js';

const lab = labEnv();
const project = `swarmrun${process.pid}`;
const port = 18090;

const compose = (edgeGreeting: string) => `
x-orc: {target: swarm}
services:
  db:
    image: ${lab.image}
    command: ["sh", "-c", "echo db-says-hello; sleep 2; touch /tmp/ready; exec sleep 3600"]
    healthcheck: {test: ["CMD", "sh", "-c", "test -f /tmp/ready"], interval: 1s, timeout: 2s, retries: 30}
    stop_grace_period: 1s
  api:
    image: ${lab.image}
    command: ["sh", "-c", "mkdir -p /w && hostname > /w/index.html && exec httpd -f -p 8080 -h /w"]
    deploy: {replicas: 6, endpoint_mode: dnsrr}
    depends_on: {db: {condition: service_healthy}}
    secrets: [token]
    stop_grace_period: 1s
  edge:
    image: ${lab.image}
    command: ["sh", "-c", "mkdir -p /w && echo ${edgeGreeting}-$(cat /run/secrets/token) > /w/index.html && exec httpd -f -p 8080 -h /w"]
    ports: [{target: 8080, published: ${port}, mode: host}]
    deploy: {mode: global, endpoint_mode: dnsrr}
    secrets: [token]
    stop_grace_period: 1s
secrets:
  token: {content: s3cret}
`;

describe('orc on a swarm target', () => {
  let o: OrcEnv;
  let dir: string;

  beforeAll(async () => {
    assertBuilt();
    dir = mkdtempSync(join(tmpdir(), 'swarm-run-'));
    writeFileSync(join(dir, 'compose.yaml'), compose('hello'));
    o = orcEnv('swarm');
    o.env.DOCKER_HOST = lab.managerHost;
    await warmUp(o, dir);
  });

  afterAll(async () => {
    await orc(o, ['-p', project, 'down'], { cwd: dir }).catch(() => undefined);
    await stopDaemon(o);
    // Whatever a failed test left: by the stack label, on the lab only.
    const byLabel = ['--filter', `label=com.docker.stack.namespace=${project}`, '-q'];
    const services = (await labDocker(lab.managerHost, 'service', 'ls', ...byLabel))
      .split('\n')
      .filter(Boolean);
    if (services.length)
      await labDocker(lab.managerHost, 'service', 'rm', ...services).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses on an engine that is not a manager, and says what to run', async () => {
    const w = orcEnv('swarm-worker');
    w.env.DOCKER_HOST = lab.nodeHosts[1];
    try {
      await warmUp(w, dir);
      const r = await orc(w, ['-p', `${project}w`, 'up', '-d'], { cwd: dir });
      expect(r.code, explain(r)).not.toBe(0);
      expect(r.stderr).toMatch(/swarm worker, not a manager/);
      expect(r.stderr).toMatch(/docker node promote|manager/);
    } finally {
      await stopDaemon(w);
    }
  });

  it('converges the stack: health gate first, 6 replicas over 3 nodes, dnsrr across nodes, host ports', async () => {
    const up = await orc(o, ['-p', project, 'up', '-d'], { cwd: dir });
    expect(up.code, `${explain(up)}\n${daemonLog(o)}`).toBe(0);
    // The api service is created only after db is healthy (docker stack deploy creates all at once).
    const lines = `${up.stdout}${up.stderr}`.split('\n');
    const dbHealthy = lines.findIndex((l) => l.includes(`${project}_db`) && /Wait-service done/.test(l));
    const apiCreate = lines.findIndex((l) => l.includes(`${project}_api`) && /Create-service/.test(l));
    expect(dbHealthy, lines.join('\n')).toBeGreaterThanOrEqual(0);
    expect(apiCreate, lines.join('\n')).toBeGreaterThan(dbHealthy);

    const up2 = await orc(o, ['-p', project, 'up', '-d', '--wait'], { cwd: dir });
    expect(up2.code, explain(up2)).toBe(0);

    const ps = await orc(o, ['-p', project, 'ps', '--format', 'json'], { cwd: dir });
    const rows = JSON.parse(ps.stdout) as Array<{
      Service: string;
      Node: string;
      State: string;
      DesiredState: string;
    }>;
    const api = rows.filter((r) => r.Service === 'api' && r.State === 'running');
    expect(api).toHaveLength(6);
    const perNode = new Map<string, number>();
    for (const r of api) perNode.set(r.Node, (perNode.get(r.Node) ?? 0) + 1);
    expect([...perNode.keys()].sort()).toEqual([...lab.nodeNames].sort());
    const table = await orc(o, ['-p', project, 'ps'], { cwd: dir });
    expect(table.stdout).toMatch(/NAME\s+IMAGE\s+NODE\s+DESIRED STATE\s+CURRENT STATE\s+ERROR\s+PORTS/);

    // From a task on the last node, the service name resolves (dnsrr) to all 6 tasks, on every node.
    const last = lab.nodeHosts[2] ?? '';
    const cid =
      (
        await labDocker(last, 'ps', '-q', '--filter', `label=com.docker.swarm.service.name=${project}_api`)
      ).split('\n')[0] ?? '';
    const answers = await labDocker(
      last,
      ...['exec', cid, 'sh', '-c'],
      "for ip in $(nslookup tasks.api 127.0.0.11 | awk '/^Address/ && !/127.0.0.11/ {print $NF}'); do wget -qO- http://$ip:8080/; done",
    );
    expect(new Set(answers.split('\n').filter(Boolean)).size).toBe(6);

    // Host-mode published port on every node, serving the secret given by `content:`.
    for (let k = 1; k <= lab.nodeHosts.length; k++) {
      expect(await fetchText(`http://${lab.net}.${10 + k}:${port}/`)).toBe('hello-s3cret\n');
    }

    const stack = await labDocker(
      lab.managerHost,
      'stack',
      'services',
      project,
      '--format',
      '{{.Name}} {{.Replicas}}',
    );
    expect(stack.split('\n').sort()).toEqual([
      `${project}_api 6/6`,
      `${project}_db 1/1`,
      `${project}_edge 3/3`,
    ]);
  });

  it('a no-op up updates nothing; one changed service is the only one updated', async () => {
    const inspectVersions = async () => {
      const out = await labDocker(
        lab.managerHost,
        ...['service', 'inspect', `${project}_db`, `${project}_api`, `${project}_edge`],
        ...['--format', '{{.Spec.Name}}={{.Version.Index}}'],
      );
      return Object.fromEntries(out.split('\n').map((l) => l.split('=') as [string, string]));
    };
    const before = await inspectVersions();
    const noop = await orc(o, ['-p', project, 'up', '-d'], { cwd: dir });
    expect(noop.code, explain(noop)).toBe(0);
    expect(`${noop.stdout}${noop.stderr}`).not.toMatch(/Update-service|Create-service|Remove-service/);
    expect(await inspectVersions()).toEqual(before);

    writeFileSync(join(dir, 'compose.yaml'), compose('changed'));
    const dry = await orc(o, ['-p', project, 'up', '--dry-run'], { cwd: dir });
    expect(
      dry.stdout.split('\n').filter((l) => /^update service/.test(l)),
      dry.stdout,
    ).toHaveLength(1);
    expect(dry.stdout).toMatch(new RegExp(`update service ${project}_edge`));

    const up = await orc(o, ['-p', project, 'up', '-d', '--wait'], { cwd: dir });
    expect(up.code, explain(up)).toBe(0);
    const after = await inspectVersions();
    expect(after[`${project}_db`]).toBe(before[`${project}_db`]);
    expect(after[`${project}_api`]).toBe(before[`${project}_api`]);
    expect(Number(after[`${project}_edge`])).toBeGreaterThan(Number(before[`${project}_edge`]));
    expect(await fetchText(`http://${lab.net}.11:${port}/`, (t) => t.startsWith('changed'))).toBe(
      'changed-s3cret\n',
    );
  });

  it('scale, restart, logs and a local project beside it in the same daemon', async () => {
    const scale = await orc(o, ['-p', project, 'scale', 'api=3'], { cwd: dir });
    expect(scale.code, explain(scale)).toBe(0);
    expect(
      await labDocker(
        lab.managerHost,
        'service',
        'inspect',
        `${project}_api`,
        '--format',
        '{{.Spec.Mode.Replicated.Replicas}}',
      ),
    ).toBe('3');

    const version = () =>
      labDocker(lab.managerHost, 'service', 'inspect', `${project}_db`, '--format', '{{.Version.Index}}');
    const before = Number(await version());
    const restart = await orc(o, ['-p', project, 'restart', 'db'], { cwd: dir });
    expect(restart.code, explain(restart)).toBe(0);
    expect(Number(await version())).toBeGreaterThan(before);

    const logs = await orc(o, ['-p', project, 'logs', 'db'], { cwd: dir });
    expect(logs.code, explain(logs)).toBe(0);
    expect(logs.stdout).toMatch(new RegExp(`${project}_db\\.1.*db-says-hello`));

    const stop = await orc(o, ['-p', project, 'stop', 'db'], { cwd: dir });
    expect(stop.code).not.toBe(0);
    expect(stop.stderr).toMatch(/not available on a swarm target/);

    // A local project on the same daemon (its engine is the manager's): containers, not services.
    const localDir = mkdtempSync(join(tmpdir(), 'swarm-run-local-'));
    writeFileSync(
      join(localDir, 'compose.yaml'),
      `services:\n  one:\n    image: ${lab.image}\n    command: ["sleep", "3600"]\n    stop_grace_period: 1s\n`,
    );
    try {
      const up = await orc(o, ['-p', `${project}local`, 'up', '-d'], { cwd: localDir });
      expect(up.code, explain(up)).toBe(0);
      const ls = await orc(o, ['ls'], { cwd: dir });
      expect(ls.stdout).toContain(project);
      expect(ls.stdout).toContain(`${project}local`);
      expect(
        await labDocker(
          lab.managerHost,
          'ps',
          '-q',
          '--filter',
          `label=com.docker.compose.project=${project}local`,
        ),
      ).not.toBe('');
      const ps = await orc(o, ['-p', `${project}local`, 'ps'], { cwd: localDir });
      expect(ps.stdout).toContain(`${project}local-one-1`);
    } finally {
      const down = await orc(o, ['-p', `${project}local`, 'down'], { cwd: localDir });
      expect(down.code, explain(down)).toBe(0);
      rmSync(localDir, { recursive: true, force: true });
    }
  });

  it('restores a service removed or scaled by hand, and reports a lost node in orc events', async () => {
    const events = start(o, ['-p', project, 'events', '--json'], { cwd: dir });
    let seen = '';
    events.child.stdout?.on('data', (c: Buffer) => {
      seen += c.toString();
    });
    const saw = async (re: RegExp, ms: number) => {
      await until(async () => re.test(seen), ms).catch(() => {
        throw new Error(`no event matching ${re} within ${ms} ms; events:\n${seen}\n${daemonLog(o)}`);
      });
      return seen;
    };
    // The stream is open once the CLI has asked for it; nothing is sent until then.
    await new Promise((r) => setTimeout(r, 2000));
    try {
      await labDocker(lab.managerHost, 'service', 'rm', `${project}_edge`);
      await labDocker(lab.managerHost, 'service', 'scale', '-d', `${project}_api=1`);
      const repaired = await saw(/"action":"repair".*edge/, 30_000);
      expect(repaired).toMatch(/missing/);
      await until(
        async () =>
          (
            await labDocker(
              lab.managerHost,
              'service',
              'ls',
              '--filter',
              `name=${project}_`,
              '--format',
              '{{.Name}} {{.Replicas}}',
            )
          )
            .split('\n')
            .sort()
            .join(',') === `${project}_api 3/3,${project}_db 1/1,${project}_edge 3/3`,
        90_000,
      );

      // A node lost: its dockerd killed. Swarm marks it down (~11 s) and reschedules; orc says so.
      await labScript('kill', '3');
      const down = await saw(/"type":"node".*"action":"down"/, 60_000);
      expect(down).toMatch(new RegExp(`node ${lab.nodeNames[2]} is down.*reschedules`));
    } finally {
      events.child.kill('SIGTERM');
      await labScript('start', '3');
      await until(
        async () =>
          (await labDocker(
            lab.managerHost,
            'node',
            'inspect',
            lab.nodeNames[2] ?? 'n3',
            '--format',
            '{{.Status.State}}',
          )) === 'ready',
        60_000,
      );
    }
  });

  it('down removes services, networks, secrets and configs, and returns when the tasks are gone', async () => {
    const ids = (
      await labDocker(
        lab.managerHost,
        'service',
        'ls',
        '-q',
        '--filter',
        `label=com.docker.stack.namespace=${project}`,
      )
    )
      .split('\n')
      .filter(Boolean);
    expect(ids).toHaveLength(3);
    const down = await orc(o, ['-p', project, 'down'], { cwd: dir });
    expect(down.code, explain(down)).toBe(0);
    const filter = ['--filter', `label=com.docker.stack.namespace=${project}`, '-q'];
    expect(await labDocker(lab.managerHost, 'service', 'ls', ...filter)).toBe('');
    expect(await labDocker(lab.managerHost, 'network', 'ls', ...filter)).toBe('');
    expect(await labDocker(lab.managerHost, 'secret', 'ls', ...filter)).toBe('');
    expect(await labDocker(lab.managerHost, 'config', 'ls', ...filter)).toBe('');
    const tasks = await labDocker(lab.managerHost, 'service', 'ps', ...ids).catch((e: Error) => e.message);
    expect(tasks).toMatch(/no such service/i);
    // The manager forgets a task once its node reports it shut down; the node removes the container
    // a moment later, which the manager's API cannot see: polled here on each node.
    for (const host of lab.nodeHosts) {
      const left = () =>
        labDocker(host, 'ps', '-aq', '--filter', `label=com.docker.stack.namespace=${project}`);
      const deadline = Date.now() + 20_000;
      while ((await left()) !== '' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
      expect(await left()).toBe('');
    }
    const ls = await orc(o, ['ls'], { cwd: dir });
    expect(ls.stdout).not.toContain(project);
  });
});

async function fetchText(
  url: string,
  ok: (t: string) => boolean = () => true,
  timeoutMs = 60_000,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      last = await res.text();
      if (res.ok && ok(last)) return last;
    } catch (e) {
      last = String(e);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url}: no wanted answer within ${timeoutMs} ms (last: ${last})`);
}
