/**
 * Typed Engine API calls of Swarm mode (v1.41), for the Swarm target (`swarm/`): the manager's view of
 * services, tasks, nodes, overlay networks, secrets and configs. Same rules as `engine.ts`: 404 on remove
 * is success, engine errors are mapped to our codes once, reads are bounded in time.
 */
import type { Readable } from 'node:stream';
import { OrcError } from '../contract/errors.js';
import { type DialRequest, dial } from './dial.js';
import { ENGINE_READ_TIMEOUT_MS, type Engine } from './engine.js';
import { engineMessage, engineStatus, mapEngineError } from './errors.js';
import type { RegistryAuth } from './images.js';
import type {
  EngineNode,
  EngineService,
  EngineSwarmFile,
  EngineSwarmInfo,
  EngineTask,
  ServiceSpecBody,
  SwarmFileCreateBody,
  SwarmNetworkBody,
} from './swarm-types.js';
import type { EngineFilters, EngineNetwork } from './types.js';

export type SwarmFileKind = 'secret' | 'config';

export interface ServiceLogOptions {
  follow: boolean;
  tail?: number;
  since?: string;
  timestamps?: boolean;
  signal?: AbortSignal;
}

export interface SwarmEngine {
  /** `GET /info`'s Swarm block: whether this engine is in a swarm and a manager. */
  swarmInfo(): Promise<EngineSwarmInfo>;
  /** Resolves when this engine is an active swarm manager; else NOT_SWARM_MANAGER saying what to run. */
  assertManager(): Promise<EngineSwarmInfo>;

  listServices(filters: EngineFilters): Promise<EngineService[]>;
  inspectService(idOrName: string): Promise<EngineService | undefined>;
  /** `auth`: forwarded so every node can pull the image (`X-Registry-Auth`). */
  createService(spec: ServiceSpecBody, auth?: RegistryAuth): Promise<{ id: string; warnings: string[] }>;
  /** `version`: the observed `Version.Index`; a stale one is refused (409 → STALE_PLAN). */
  updateService(
    id: string,
    version: number,
    spec: ServiceSpecBody,
    auth?: RegistryAuth,
  ): Promise<{ warnings: string[] }>;
  removeService(idOrName: string): Promise<void>;
  /** Demultiplexed? No: raw stream (multiplexed frames, no TTY) with `details` labels of the task. */
  serviceLogs(idOrName: string, o: ServiceLogOptions): Promise<Readable>;

  listTasks(filters: EngineFilters): Promise<EngineTask[]>;
  listNodes(filters?: EngineFilters): Promise<EngineNode[]>;

  listNetworks(filters: EngineFilters): Promise<EngineNetwork[]>;
  createNetwork(body: SwarmNetworkBody): Promise<string>;
  removeNetwork(id: string): Promise<void>;

  listFiles(kind: SwarmFileKind, filters: EngineFilters): Promise<EngineSwarmFile[]>;
  createFile(kind: SwarmFileKind, body: SwarmFileCreateBody): Promise<string>;
  removeFile(kind: SwarmFileKind, id: string): Promise<void>;
}

const enc = encodeURIComponent;

export function createSwarmEngine(engine: Engine, opts: { readTimeoutMs?: number } = {}): SwarmEngine {
  const docker = engine.docker;
  const readTimeoutMs = opts.readTimeoutMs ?? ENGINE_READ_TIMEOUT_MS;
  const bounded = (req: DialRequest): DialRequest =>
    req.method === 'GET' && !req.isStream && req.timeoutMs === undefined
      ? { ...req, timeoutMs: readTimeoutMs }
      : req;
  const call = async <T>(what: string, req: DialRequest): Promise<T> => {
    try {
      return await dial<T>(docker, bounded(req));
    } catch (err) {
      throw mapSwarmError(err, what);
    }
  };
  const lookup = async <T>(what: string, req: DialRequest): Promise<T | undefined> => {
    try {
      return await dial<T>(docker, bounded(req));
    } catch (err) {
      if (engineStatus(err) === 404) return undefined;
      throw mapSwarmError(err, what);
    }
  };
  const remove = async (what: string, path: string): Promise<void> => {
    try {
      await dial(docker, { path, method: 'DELETE' });
    } catch (err) {
      if (engineStatus(err) === 404) return;
      throw mapSwarmError(err, what);
    }
  };
  const filters = (f: EngineFilters) => (Object.keys(f).length ? JSON.stringify(f) : undefined);
  const plural = (kind: SwarmFileKind) => (kind === 'secret' ? 'secrets' : 'configs');

  const swarmInfo = async (): Promise<EngineSwarmInfo> => {
    const info = await call<{ Swarm: EngineSwarmInfo }>('engine info', { path: '/info', method: 'GET' });
    return info.Swarm;
  };

  return {
    swarmInfo,
    assertManager: async () => {
      const s = await swarmInfo();
      if (s.LocalNodeState === 'active' && s.ControlAvailable) return s;
      throw notManager(s);
    },

    listServices: (f) =>
      call('service list', {
        path: '/services',
        method: 'GET',
        query: { filters: filters(f), status: true },
      }),
    inspectService: (id) => lookup(`service ${id}`, { path: `/services/${enc(id)}`, method: 'GET' }),
    createService: async (spec, auth) => {
      const res = await call<{ ID: string; Warnings?: string[] | null }>(`service ${spec.Name ?? ''}`, {
        path: '/services/create',
        method: 'POST',
        body: spec,
        ...(auth ? { registryAuth: auth } : {}),
      });
      return { id: res.ID, warnings: res.Warnings ?? [] };
    },
    updateService: async (id, version, spec, auth) => {
      const res = await call<{ Warnings?: string[] | null }>(`service ${spec.Name ?? id}`, {
        path: `/services/${enc(id)}/update`,
        method: 'POST',
        query: { version },
        body: spec,
        ...(auth ? { registryAuth: auth } : {}),
      });
      return { warnings: res?.Warnings ?? [] };
    },
    removeService: (id) => remove(`service ${id}`, `/services/${enc(id)}`),
    serviceLogs: (id, o) =>
      call<Readable>(`logs of service ${id}`, {
        path: `/services/${enc(id)}/logs`,
        method: 'GET',
        query: {
          stdout: true,
          stderr: true,
          details: true,
          timestamps: o.timestamps ?? true,
          follow: o.follow,
          tail: o.tail !== undefined ? String(o.tail) : 'all',
          since: o.since,
        },
        isStream: true,
        signal: o.signal,
      }),

    listTasks: (f) => call('task list', { path: '/tasks', method: 'GET', query: { filters: filters(f) } }),
    listNodes: (f = {}) =>
      call('node list', { path: '/nodes', method: 'GET', query: { filters: filters(f) } }),

    listNetworks: (f) =>
      call('network list', { path: '/networks', method: 'GET', query: { filters: filters(f) } }),
    createNetwork: async (body) => {
      const res = await call<{ Id: string }>(`network ${body.Name}`, {
        path: '/networks/create',
        method: 'POST',
        body,
      });
      return res.Id;
    },
    removeNetwork: (id) => remove(`network ${id}`, `/networks/${enc(id)}`),

    listFiles: (kind, f) =>
      call(`${kind} list`, { path: `/${plural(kind)}`, method: 'GET', query: { filters: filters(f) } }),
    createFile: async (kind, body) => {
      const res = await call<{ ID: string }>(`${kind} ${body.Name}`, {
        path: `/${plural(kind)}/create`,
        method: 'POST',
        body,
      });
      return res.ID;
    },
    removeFile: (kind, id) => remove(`${kind} ${id}`, `/${plural(kind)}/${enc(id)}`),
  };
}

/** What to say when the daemon's engine cannot run a swarm project. */
export function notManager(s: Pick<EngineSwarmInfo, 'LocalNodeState' | 'ControlAvailable'>): OrcError {
  const state = s.LocalNodeState || 'inactive';
  const why =
    state === 'active'
      ? 'is a swarm worker, not a manager'
      : state === 'locked'
        ? 'is a locked swarm manager'
        : `is not part of a swarm (swarm state: ${state})`;
  const hint =
    state === 'active'
      ? 'point DOCKER_HOST of the orc daemon at a manager, or promote this node (`docker node promote`)'
      : state === 'locked'
        ? 'unlock it with `docker swarm unlock`'
        : 'run `docker swarm init` on this engine (or `docker swarm join` it to a swarm as a manager), or point DOCKER_HOST of the orc daemon at a swarm manager; `scripts/swarm-lab.sh up` makes a test swarm';
  return new OrcError(
    'NOT_SWARM_MANAGER',
    `the daemon's Docker Engine ${why}: a project with target swarm needs a swarm manager`,
    { swarmState: state },
    { hint },
  );
}

/** 503 "This node is not a swarm manager" is a precondition, not an outage; a stale update version is STALE_PLAN. */
export function mapSwarmError(err: unknown, what: string): OrcError {
  const status = engineStatus(err);
  const msg = engineMessage(err);
  if (status === 503 && /not a swarm manager|not part of a swarm/i.test(msg)) {
    return notManager({
      LocalNodeState: /not part of a swarm/i.test(msg) ? 'inactive' : 'active',
      ControlAvailable: false,
    });
  }
  if (/update out of sequence/i.test(msg)) {
    return new OrcError(
      'STALE_PLAN',
      `${what}: changed on the cluster since it was read (${msg}); plan again`,
      {
        engine: msg,
      },
    );
  }
  return mapEngineError(err, what);
}
