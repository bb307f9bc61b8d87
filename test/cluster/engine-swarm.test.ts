/**
 * engine/swarm.ts against the lab's manager: manager check (and the refusal on a worker), services
 * create/inspect/update (version)/remove by label, tasks by service label, service logs, overlay networks,
 * secrets and configs, and the swarm event types. Everything made here carries a unique label and is
 * removed afterwards.
 */
import type { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { createDockerClient } from '../../apps/daemon/src/engine/client.js';
import { createEngine } from '../../apps/daemon/src/engine/engine.js';
import { watchEngineEvents } from '../../apps/daemon/src/engine/events.js';
import { createSwarmEngine } from '../../apps/daemon/src/engine/swarm.js';
import type { EngineEvent } from '../../apps/daemon/src/engine/types.js';
import { labEnv } from '../support/swarm-lab-env.js';

const lab = labEnv();
const engine = createEngine(createDockerClient({ DOCKER_HOST: lab.managerHost }));
const swarm = createSwarmEngine(engine);
const tag = `swarm-run-eng-${process.pid}`;
const label = { 'dev.orc.test': tag };
const byLabel = { label: [`dev.orc.test=${tag}`] };

async function until<T>(what: string, fn: () => Promise<T | undefined>, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('engine/swarm.ts on the lab manager', () => {
  afterAll(async () => {
    const ids = new Set((await swarm.listServices(byLabel)).map((s) => s.ID));
    for (const id of ids) await swarm.removeService(id);
    await until('tasks gone', async () =>
      (await swarm.listTasks({})).some((t) => ids.has(t.ServiceID)) ? undefined : true,
    ).catch(() => undefined);
    for (const n of await swarm.listNetworks(byLabel)) await swarm.removeNetwork(n.Id).catch(() => undefined);
    for (const kind of ['secret', 'config'] as const) {
      for (const f of await swarm.listFiles(kind, byLabel)) await swarm.removeFile(kind, f.ID);
    }
  });

  it('knows a manager from a worker, and says what to run on a worker', async () => {
    const info = await swarm.assertManager();
    expect(info.ControlAvailable).toBe(true);
    const worker = createSwarmEngine(createEngine(createDockerClient({ DOCKER_HOST: lab.nodeHosts[1] })));
    const err = await worker.assertManager().catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'NOT_SWARM_MANAGER' });
    expect(String((err as { hint?: string }).hint)).toMatch(/manager|promote/);
    // A call only managers answer is mapped to the same code, not to ENGINE_UNAVAILABLE.
    await expect(worker.listServices({})).rejects.toMatchObject({ code: 'NOT_SWARM_MANAGER' });
    expect((await swarm.listNodes()).map((n) => n.Status.State)).toEqual(['ready', 'ready', 'ready']);
  });

  it('creates networks, secrets, configs and a service; updates it by version; logs; removes all', async () => {
    const net = await swarm.createNetwork({
      Name: `${tag}_net`,
      Driver: 'overlay',
      Attachable: true,
      Labels: label,
    } as { Name: string });
    const secret = await swarm.createFile('secret', {
      Name: `${tag}_s`,
      Labels: label,
      Data: Buffer.from('s3cret').toString('base64'),
    });
    const config = await swarm.createFile('config', {
      Name: `${tag}_c`,
      Labels: label,
      Data: Buffer.from('conf').toString('base64'),
    });
    expect((await swarm.listFiles('secret', byLabel)).map((f) => f.ID)).toEqual([secret]);
    expect((await swarm.listFiles('config', byLabel)).map((f) => f.ID)).toEqual([config]);
    expect((await swarm.listNetworks(byLabel)).map((n) => n.Id)).toEqual([net]);

    const spec = (replicas: number) => ({
      Name: `${tag}_svc`,
      Labels: label,
      TaskTemplate: {
        ContainerSpec: {
          Image: lab.image,
          Labels: label,
          Command: ['sh', '-c', 'cat /run/secrets/s /c; echo; echo hello-from-$(hostname); exec sleep 600'],
          Secrets: [
            {
              SecretID: secret,
              SecretName: `${tag}_s`,
              File: { Name: 's', UID: '0', GID: '0', Mode: 0o444 },
            },
          ],
          Configs: [
            {
              ConfigID: config,
              ConfigName: `${tag}_c`,
              File: { Name: '/c', UID: '0', GID: '0', Mode: 0o444 },
            },
          ],
          StopGracePeriod: 1_000_000_000,
        },
        Networks: [{ Target: net }],
      },
      Mode: { Replicated: { Replicas: replicas } },
      EndpointSpec: { Mode: 'dnsrr' },
    });
    const created = await swarm.createService(spec(2), { serveraddress: lab.registry });
    const svc = await swarm.inspectService(created.id);
    expect(svc?.Spec.Name).toBe(`${tag}_svc`);
    expect((await swarm.listServices(byLabel)).map((s) => s.ID)).toEqual([created.id]);

    await until('2 running tasks', async () => {
      const tasks = await swarm.listTasks({ service: [created.id], 'desired-state': ['running'] });
      return tasks.filter((t) => t.Status.State === 'running').length === 2 ? tasks : undefined;
    });

    // A stale version is refused as STALE_PLAN; the current one goes through.
    const version = svc?.Version.Index ?? 0;
    await swarm.updateService(created.id, version, spec(3));
    await expect(swarm.updateService(created.id, version, spec(1))).rejects.toMatchObject({
      code: 'STALE_PLAN',
    });
    expect((await swarm.inspectService(created.id))?.Spec.Mode?.Replicated?.Replicas).toBe(3);

    const logs = await swarm.serviceLogs(created.id, { follow: false });
    const text = await readAll(logs);
    expect(text).toContain('s3cret');
    expect(text).toContain('hello-from-');

    await swarm.removeService(created.id);
    await swarm.removeService(created.id); // 404: already gone is done
    expect(await swarm.inspectService(created.id)).toBeUndefined();
    // Tasks outlive their service until their containers are gone (the service filter then answers 404).
    await until('tasks gone', async () =>
      (await swarm.listTasks({})).some((t) => t.ServiceID === created.id) ? undefined : true,
    );
  });

  it('follows service, secret and config events', async () => {
    const seen: EngineEvent[] = [];
    const ac = new AbortController();
    let connected!: () => void;
    const ready = new Promise<void>((r) => {
      connected = r;
    });
    const watching = watchEngineEvents(engine, {
      types: ['service', 'node', 'secret', 'config'],
      onEvent: (e) => seen.push(e),
      onConnected: () => connected(),
      signal: ac.signal,
    });
    await ready;
    const id = await swarm.createFile('config', { Name: `${tag}_ev`, Labels: label, Data: 'eA==' });
    await swarm.removeFile('config', id);
    await until('config events', async () =>
      seen.filter((e) => e.Type === 'config' && e.Actor.ID === id).length >= 2 ? true : undefined,
    );
    ac.abort();
    await watching;
    expect(seen.filter((e) => e.Actor.ID === id).map((e) => e.Action)).toEqual(['create', 'remove']);
  });
});

async function readAll(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.from(c as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}
