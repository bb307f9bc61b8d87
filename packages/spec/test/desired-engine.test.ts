/**
 * The desired state's Engine API bodies, sent as they are to the real engine (API 1.41): the engine
 * must accept every body, and the containers must behave as the compose file says (aliases resolve,
 * volumes and volumes_from share data, network_mode service:x shares the namespace, ports publish,
 * logs are bounded). The calls go straight to the socket: packages/spec never imports a Docker client.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type DesiredState,
  desiredState,
  formatProblem,
  inheritAnonymousVolumes,
  Labels,
  loadProject,
} from '../src/index.js';

const run = promisify(execFile);
const SOCKET = process.env.DOCKER_HOST?.startsWith('unix://')
  ? process.env.DOCKER_HOST.slice('unix://'.length)
  : '/var/run/docker.sock';
const IMAGE = process.env.ORC_FIXTURE_IMAGE ?? 'orc-fixture/busybox:1';
const project = `orct-desired-${randomBytes(3).toString('hex')}`;

interface Reply {
  status: number;
  body: string;
}

function api(method: string, path: string, body?: unknown): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { socketPath: SOCKET, method, path: `/v1.41${path}`, headers: { 'content-type': 'application/json' } },
      (res) => {
        let data = '';
        res.on('data', (chunk) => {
          data += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: data }));
      },
    );
    req.on('error', reject);
    if (body !== undefined) req.write(JSON.stringify(body));
    req.end();
  });
}

async function docker(...args: string[]): Promise<string> {
  const { stdout } = await run('docker', args, { maxBuffer: 8 * 1024 * 1024 });
  return stdout.trim();
}

/** Runs a command in a container, retrying while the service inside is still starting. */
async function execUntil(container: string, script: string, attempts = 40): Promise<string> {
  let last = '';
  for (let i = 0; i < attempts; i++) {
    try {
      return await docker('exec', container, 'sh', '-c', script);
    } catch (err) {
      last = err instanceof Error ? err.message : String(err);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  throw new Error(`${container}: ${script} kept failing: ${last}`);
}

async function removeProject(): Promise<void> {
  const filter = `label=${Labels.project}=${project}`;
  const ids = (await docker('ps', '-aq', '--filter', filter)).split('\n').filter(Boolean);
  if (ids.length) await docker('rm', '-f', '-v', ...ids).catch(() => undefined);
  const nets = (await docker('network', 'ls', '-q', '--filter', filter)).split('\n').filter(Boolean);
  if (nets.length) await docker('network', 'rm', ...nets).catch(() => undefined);
  const vols = (await docker('volume', 'ls', '-q', '--filter', filter)).split('\n').filter(Boolean);
  if (vols.length) await docker('volume', 'rm', '-f', ...vols).catch(() => undefined);
}

const compose = `
services:
  db:
    image: ${IMAGE}
    command: ["sh", "-c", "echo from-db > /data/index.html && httpd -f -p 80 -h /data"]
    volumes:
      - data:/data
      - /keep
      - ./conf:/conf:ro
      - type: tmpfs
        target: /scratch
        tmpfs: { size: 1048576 }
    networks:
      back:
        aliases: [database]
  side:
    image: ${IMAGE}
    command: ["sleep", "3600"]
    network_mode: service:db
  web:
    image: ${IMAGE}
    command: ["httpd", "-f", "-p", "8080", "-h", "/data"]
    environment:
      GREETING: hello
      UNSET:
    ports:
      - "127.0.0.1::8080"
    depends_on: [db]
    links: ["db:dblink"]
    networks: [front, back]
    volumes_from: [db:ro]
    restart: on-failure:2
    init: true
    read_only: true
    tmpfs: [/run]
    mem_limit: 64m
    cpus: 0.5
    pids_limit: 64
    stop_grace_period: 3s
    labels:
      com.example.role: web
    scale: 2
networks:
  front: {}
  back: {}
volumes:
  data: {}
`;

let state: DesiredState;
let workDir: string;
const failures: string[] = [];

describe('desired state bodies on the real engine', () => {
  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'orc-desired-engine-'));
    mkdirSync(join(workDir, 'conf'));
    writeFileSync(join(workDir, 'conf', 'app.conf'), 'ok\n');
    writeFileSync(join(workDir, 'compose.yaml'), compose);
    const loaded = await loadProject({ workingDir: workDir, env: {}, projectName: project });
    if (!loaded.ok) throw new Error(loaded.errors.map(formatProblem).join('\n'));
    state = desiredState(loaded.project);
    for (const network of state.networks) {
      const r = await api('POST', '/networks/create', network.create);
      if (r.status !== 201) failures.push(`network ${network.name}: ${r.status} ${r.body}`);
    }
    for (const volume of state.volumes) {
      const r = await api('POST', '/volumes/create', volume.create);
      if (r.status !== 201) failures.push(`volume ${volume.name}: ${r.status} ${r.body}`);
    }
    for (const service of state.services) {
      for (const container of service.containers) {
        const created = await api('POST', `/containers/create?name=${container.name}`, container.create);
        if (created.status !== 201)
          failures.push(`create ${container.name}: ${created.status} ${created.body}`);
        for (const endpoint of container.endpoints.slice(1)) {
          const r = await api('POST', `/networks/${endpoint.name}/connect`, {
            Container: container.name,
            EndpointConfig: endpoint.settings,
          });
          if (r.status !== 200)
            failures.push(`connect ${container.name} ${endpoint.name}: ${r.status} ${r.body}`);
        }
        const started = await api('POST', `/containers/${container.name}/start`);
        if (started.status !== 204)
          failures.push(`start ${container.name}: ${started.status} ${started.body}`);
      }
    }
  });

  afterAll(async () => {
    await removeProject();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  it('the engine accepts every network, volume and container body', () => {
    expect(failures).toEqual([]);
    expect(state.services.flatMap((s) => s.containers.map((c) => c.name))).toEqual([
      `${project}-db-1`,
      `${project}-side-1`,
      `${project}-web-1`,
      `${project}-web-2`,
    ]);
  });

  it('containers carry compose labels and the config hash', async () => {
    const labels = JSON.parse(await docker('inspect', '-f', '{{json .Config.Labels}}', `${project}-web-2`));
    const web = state.services.find((s) => s.name === 'web');
    expect(labels).toMatchObject({
      [Labels.project]: project,
      [Labels.service]: 'web',
      [Labels.containerNumber]: '2',
      [Labels.oneoff]: 'False',
      [Labels.configHash]: web?.hash,
      [Labels.dependsOn]: 'db:service_started:false',
      'com.example.role': 'web',
    });
  });

  it('an alias on a second network and a link alias resolve; volumes_from shares the named volume', async () => {
    const page = await execUntil(`${project}-web-1`, 'wget -qO- http://database/index.html');
    expect(page).toBe('from-db');
    expect(await execUntil(`${project}-web-1`, 'cat /data/index.html')).toBe('from-db');
    expect(await execUntil(`${project}-web-1`, 'wget -qO- http://dblink/index.html')).toBe('from-db');
  });

  it('network_mode service:db shares the namespace of db', async () => {
    expect(await execUntil(`${project}-side-1`, 'wget -qO- http://127.0.0.1/index.html')).toBe('from-db');
  });

  it('the bind mount and the environment reach the container; a null variable does not', async () => {
    expect(await execUntil(`${project}-db-1`, 'cat /conf/app.conf')).toBe('ok');
    const env = await execUntil(`${project}-web-1`, 'env');
    expect(env).toContain('GREETING=hello');
    expect(env).not.toMatch(/^UNSET=/m);
  });

  it('host config: ephemeral port on 127.0.0.1, limits, restart policy, bounded json-file logs', async () => {
    const host = JSON.parse(await docker('inspect', '-f', '{{json .HostConfig}}', `${project}-web-1`));
    expect(host.RestartPolicy).toEqual({ Name: 'on-failure', MaximumRetryCount: 2 });
    expect(host.LogConfig).toEqual({ Type: 'json-file', Config: { 'max-file': '3', 'max-size': '10m' } });
    expect(host.Memory).toBe(64 * 1024 * 1024);
    expect(host.NanoCpus).toBe(500_000_000);
    expect(host.PidsLimit).toBe(64);
    expect(host.ReadonlyRootfs).toBe(true);
    expect(host.Init).toBe(true);
    const port = await docker('port', `${project}-web-1`, '8080/tcp');
    expect(port).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(await execUntil(`${project}-db-1`, 'mount | grep /scratch')).toContain('tmpfs');
  });

  it('a replacement that inherits the anonymous volume keeps its data', async () => {
    const db = state.services.find((s) => s.name === 'db')?.containers[0];
    if (!db) throw new Error('no db container');
    await execUntil(db.name, 'echo kept > /keep/file');
    const mounts = JSON.parse(await docker('inspect', '-f', '{{json .Mounts}}', db.name)) as Array<{
      Type: string;
      Name?: string;
      Destination: string;
    }>;
    const previous = mounts.map((m) => ({ type: m.Type, name: m.Name, destination: m.Destination }));
    const body = inheritAnonymousVolumes(db.create, previous);
    const stopped = await api('POST', `/containers/${db.name}/stop?t=1`);
    expect([204, 304]).toContain(stopped.status);
    const replacement = `${db.name}-replacement`;
    const created = await api('POST', `/containers/create?name=${replacement}`, {
      ...body,
      Cmd: ['cat', '/keep/file'],
      NetworkingConfig: undefined,
      HostConfig: { ...body.HostConfig, NetworkMode: 'none' },
    });
    expect(created.status).toBe(201);
    expect((await api('POST', `/containers/${replacement}/start`)).status).toBe(204);
    expect((await api('POST', `/containers/${replacement}/wait`)).status).toBe(200);
    expect(await docker('logs', replacement)).toBe('kept');
  });
});
