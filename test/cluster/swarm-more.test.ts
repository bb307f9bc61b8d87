/**
 * The rest of issue 15 on the 3-node lab, through the built CLI and a private daemon whose DOCKER_HOST is
 * the lab's manager: `update_config.order: start-first` starts the new task before the old one stops (and
 * stop-first the other way round), read from the tasks' own timestamps; a `service_completed_successfully`
 * dependency runs as a replicated job and its dependent is created only after it completed; a VIP
 * service deploys (orc supports it) while on a kernel without IPVS only dnsrr answers; `down -v` removes
 * the volume on the manager and says what it cannot remove on the other nodes.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, daemonLog, explain, type OrcEnv, orc, orcEnv, stopDaemon } from '../e2e/orc.js';
import { labDocker } from '../support/swarm-lab.js';
import { labEnv } from '../support/swarm-lab-env.js';

const lab = labEnv();
const base = `swarmmore${process.pid}`;
const projects: string[] = [];

interface Task {
  ID: string;
  CreatedAt: string;
  NodeID: string;
  DesiredState: string;
  Status: { State: string; Timestamp: string; ContainerStatus?: { ContainerID?: string } };
  Spec: { ContainerSpec: { Env?: string[] } };
}

describe('orc on a swarm target: update order, jobs, vip, down -v', () => {
  let o: OrcEnv;
  let dir: string;

  /** Writes the project's compose file and runs orc in its directory. */
  const write = (text: string) => writeFileSync(join(dir, 'compose.yaml'), text);
  const run = (project: string, ...args: string[]) => orc(o, ['-p', project, ...args], { cwd: dir });
  const project = (suffix: string) => {
    const p = `${base}${suffix}`;
    projects.push(p);
    return p;
  };

  beforeAll(async () => {
    assertBuilt();
    dir = mkdtempSync(join(tmpdir(), 'swarm-more-'));
    o = orcEnv('swarm-more');
    o.env.DOCKER_HOST = lab.managerHost;
    for (let i = 0; i < 5; i++) if ((await orc(o, ['ls'], { cwd: dir })).code === 0) return;
    throw new Error(`the orc daemon did not start:\n${daemonLog(o)}`);
  });

  afterAll(async () => {
    try {
      for (const p of projects) await run(p, 'down', '-v').catch(() => undefined);
    } finally {
      await stopDaemon(o);
    }
    // Whatever a failed test left, by the stack label, on the lab only.
    for (const p of projects) {
      const byLabel = ['--filter', `label=com.docker.stack.namespace=${p}`, '-q'];
      const services = (await labDocker(lab.managerHost, 'service', 'ls', ...byLabel)).split('\n');
      const ids = services.filter(Boolean);
      if (ids.length) await labDocker(lab.managerHost, 'service', 'rm', ...ids).catch(() => undefined);
      for (const host of lab.nodeHosts) {
        // A finished job's exited container, which Swarm leaves behind (moby/moby#44312): ours by name.
        const left = (await labDocker(host, 'ps', '-aq', '--filter', `name=^${p}_`))
          .split('\n')
          .filter(Boolean);
        if (left.length) await labDocker(host, 'rm', '-f', ...left).catch(() => undefined);
        const vols = (await labDocker(host, 'volume', 'ls', ...byLabel)).split('\n').filter(Boolean);
        if (vols.length) await labDocker(host, 'volume', 'rm', '-f', ...vols).catch(() => undefined);
      }
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('start-first starts the new task before the old one stops; stop-first stops it first', async () => {
    const p = project('order');
    // `sleep` as PID 1 ignores SIGTERM: each old task takes its whole 4 s grace period to stop, a window
    // wide enough to tell the two orders apart from the tasks' timestamps.
    const compose = (v: string) => `
services:
  first:
    image: ${lab.image}
    command: ["sleep", "3600"]
    environment: {V: "${v}"}
    stop_grace_period: 4s
    deploy: {endpoint_mode: dnsrr, update_config: {order: start-first}}
  second:
    image: ${lab.image}
    command: ["sleep", "3600"]
    environment: {V: "${v}"}
    stop_grace_period: 4s
    deploy: {endpoint_mode: dnsrr, update_config: {order: stop-first}}
`;
    write(compose('one'));
    const up = await run(p, 'up', '-d', '--wait', '--target', 'swarm');
    expect(up.code, `${explain(up)}\n${daemonLog(o)}`).toBe(0);
    write(compose('two'));
    const change = await run(p, 'up', '-d', '--wait');
    expect(change.code, explain(change)).toBe(0);

    for (const [service, startFirst] of [
      ['first', true],
      ['second', false],
    ] as const) {
      const name = `${p}_${service}`;
      expect(
        await labDocker(
          lab.managerHost,
          'service',
          'inspect',
          name,
          '--format',
          '{{.Spec.UpdateConfig.Order}}',
        ),
      ).toBe(startFirst ? 'start-first' : 'stop-first');
      // The old task's shutdown is reported after its container stopped: wait for it.
      const tasksOf = async () => {
        const ids = (await labDocker(lab.managerHost, 'service', 'ps', '-q', '--no-trunc', name)).split('\n');
        return JSON.parse(await labDocker(lab.managerHost, 'inspect', ...ids.filter(Boolean))) as Task[];
      };
      let tasks = await tasksOf();
      const deadline = Date.now() + 30_000;
      const oldDone = (t: Task[]) =>
        t.some((x) => x.Spec.ContainerSpec.Env?.includes('V=one') && x.Status.State !== 'running');
      while (!oldDone(tasks) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 500));
        tasks = await tasksOf();
      }
      const old = tasks.find((t) => t.Spec.ContainerSpec.Env?.includes('V=one'));
      const fresh = tasks.find((t) => t.Spec.ContainerSpec.Env?.includes('V=two'));
      expect(old?.Status.State, JSON.stringify(tasks, null, 1)).toMatch(/shutdown|complete|failed/);
      expect(fresh?.Status.State).toBe('running');
      // Status.Timestamp: when the task reached its current state (running; shut down), on the manager's clock.
      const newRunning = Date.parse(fresh?.Status.Timestamp ?? '');
      const oldStopped = Date.parse(old?.Status.Timestamp ?? '');
      const what = `${service}: new task running at ${fresh?.Status.Timestamp}, old task stopped at ${old?.Status.Timestamp}`;
      if (startFirst) expect(newRunning, what).toBeLessThan(oldStopped);
      else expect(newRunning, what).toBeGreaterThan(oldStopped);
    }
  });

  it('service_completed_successfully: the dependency runs as a replicated job; its dependent is created after it completed', async () => {
    const p = project('job');
    write(`
services:
  migrate:
    image: ${lab.image}
    command: ["sh", "-c", "sleep 3; echo migrated"]
  app:
    image: ${lab.image}
    command: ["sleep", "3600"]
    stop_grace_period: 1s
    deploy: {endpoint_mode: dnsrr}
    depends_on: {migrate: {condition: service_completed_successfully}}
`);
    const up = await run(p, 'up', '-d', '--target', 'swarm');
    expect(up.code, `${explain(up)}\n${daemonLog(o)}`).toBe(0);
    // orc says what it does with the file (a warning, located), and does it.
    expect(up.stderr).toMatch(/compose\.yaml:\d+:\d+.*service "migrate" becomes a replicated-job/);
    const mode = await labDocker(
      lab.managerHost,
      ...['service', 'inspect', `${p}_migrate`, '--format', '{{json .Spec.Mode}}'],
    );
    expect(JSON.parse(mode)).toEqual({ ReplicatedJob: { MaxConcurrent: 1, TotalCompletions: 1 } });

    const ids = (await labDocker(lab.managerHost, 'service', 'ps', '-q', '--no-trunc', `${p}_migrate`))
      .split('\n')
      .filter(Boolean);
    const tasks = JSON.parse(await labDocker(lab.managerHost, 'inspect', ...ids)) as Task[];
    expect(tasks.map((t) => t.Status.State)).toEqual(['complete']);
    const completed = Date.parse(tasks[0]?.Status.Timestamp ?? '');
    const appCreated = Date.parse(
      await labDocker(lab.managerHost, 'service', 'inspect', `${p}_app`, '--format', '{{.CreatedAt}}'),
    );
    expect(appCreated, `migrate completed ${tasks[0]?.Status.Timestamp}`).toBeGreaterThan(completed);

    // A no-op up does not run the job again.
    const again = await run(p, 'up', '-d');
    expect(again.code, explain(again)).toBe(0);
    const after = (await labDocker(lab.managerHost, 'service', 'ps', '-q', `${p}_migrate`)).split('\n');
    expect(after.filter(Boolean)).toHaveLength(1);

    // down returns although Swarm keeps the finished job's task after its service is gone (moby/moby#44312).
    const down = await run(p, 'down');
    expect(down.code, explain(down)).toBe(0);
    const byLabel = ['--filter', `label=com.docker.stack.namespace=${p}`, '-q'];
    expect(await labDocker(lab.managerHost, 'service', 'ls', ...byLabel)).toBe('');
    expect(await labDocker(lab.managerHost, 'network', 'ls', ...byLabel)).toBe('');
  });

  it('a vip service deploys (orc supports vip); without IPVS in the kernel only dnsrr answers, and orc does not say', async () => {
    const p = project('vip');
    write(`
services:
  viaip:
    image: ${lab.image}
    command: ["sh", "-c", "mkdir -p /w && echo vip > /w/index.html && exec httpd -f -p 8080 -h /w"]
    stop_grace_period: 1s
  viarr:
    image: ${lab.image}
    command: ["sh", "-c", "mkdir -p /w && echo rr > /w/index.html && exec httpd -f -p 8080 -h /w"]
    stop_grace_period: 1s
    deploy: {endpoint_mode: dnsrr}
  client:
    image: ${lab.image}
    command: ["sleep", "3600"]
    stop_grace_period: 1s
    deploy: {endpoint_mode: dnsrr}
`);
    const up = await run(p, 'up', '-d', '--wait', '--target', 'swarm');
    expect(up.code, `${explain(up)}\n${daemonLog(o)}`).toBe(0);
    const endpoint = JSON.parse(
      await labDocker(lab.managerHost, 'service', 'inspect', `${p}_viaip`, '--format', '{{json .Endpoint}}'),
    ) as { Spec: { Mode?: string }; VirtualIPs?: unknown[] };
    // No endpoint_mode in the file: Swarm's default, a virtual IP on each network of the service.
    expect(endpoint.Spec.Mode ?? 'vip').toBe('vip');
    expect(endpoint.VirtualIPs?.length).toBeGreaterThan(0);

    // Find the client's container on whichever node runs it, and ask both services by name from there.
    let client = { host: '', id: '' };
    for (const host of lab.nodeHosts) {
      const id = await labDocker(
        host,
        'ps',
        '-q',
        '--filter',
        `label=com.docker.swarm.service.name=${p}_client`,
      );
      if (id) client = { host, id: id.split('\n')[0] ?? '' };
    }
    expect(client.id).not.toBe('');
    const ask = (service: string) =>
      labDocker(
        client.host,
        'exec',
        client.id,
        'sh',
        '-c',
        `timeout 5 wget -qO- http://${service}:8080/ || echo none`,
      );
    expect(await ask('viarr')).toBe('rr');
    // The kernel the lab's nodes share decides: IPVS is what Swarm's virtual IPs need.
    expect(await ask('viaip')).toBe(existsSync('/proc/net/ip_vs') ? 'vip' : 'none');
    // Nothing in the Engine API says IPVS is missing (no warning in /info), so orc cannot warn of it.
    expect(`${up.stdout}${up.stderr}`).not.toMatch(/ipvs/i);
  });

  it('down -v removes the volume on the manager and says what it cannot remove on the other nodes', async () => {
    const p = project('vol');
    write(`
services:
  keeper:
    image: ${lab.image}
    command: ["sh", "-c", "echo kept > /data/file; exec sleep 3600"]
    stop_grace_period: 1s
    volumes: [data:/data]
    deploy: {mode: global, endpoint_mode: dnsrr}
volumes:
  data: {}
`);
    const up = await run(p, 'up', '-d', '--wait', '--target', 'swarm');
    expect(up.code, `${explain(up)}\n${daemonLog(o)}`).toBe(0);
    const volume = `${p}_data`;
    const has = async (host: string) =>
      (await labDocker(host, 'volume', 'ls', '-q', '--filter', `name=^${volume}$`)) === volume;
    // A global service: a task, and so the volume, on every node.
    for (const host of lab.nodeHosts) expect(await has(host), host).toBe(true);

    const down = await run(p, 'down', '-v');
    expect(down.code, explain(down)).toBe(0);
    const said = `${down.stdout}${down.stderr}`;
    expect(said).toMatch(
      new RegExp(`removes the volumes ${volume} on the daemon's engine \\(the manager\\) only`),
    );
    expect(said).toMatch(/its API cannot remove a volume on another node/);
    expect(said).toMatch(/tasks that mount them ran on \S+-n1, \S+-n2, \S+-n3\)/);
    expect(said).toMatch(new RegExp(`run: docker volume rm ${volume}`));
    const [manager, ...others] = lab.nodeHosts;
    expect(await has(manager ?? '')).toBe(false);
    // What the message says is true: the other nodes keep theirs (removed here, by this test).
    for (const host of others) {
      expect(await has(host), host).toBe(true);
      // The node removes the task's container a moment after the manager forgot the task: until then
      // the volume is in use.
      const deadline = Date.now() + 20_000;
      for (;;) {
        const gone = await labDocker(host, 'volume', 'rm', volume).then(
          () => true,
          (e: Error) => {
            if (!/in use/.test(e.message) || Date.now() > deadline) throw e;
            return false;
          },
        );
        if (gone) break;
        await new Promise((r) => setTimeout(r, 250));
      }
    }
  });
});
