import type {
  ContainerCreateBody,
  EndpointSettingsBody,
  NetworkCreateBody,
  VolumeCreateBody,
} from '@orc/spec';
import type Docker from 'dockerode';
import { OrcError } from '../contract/errors.js';
import { createDockerClient } from './client.js';
import { dial } from './dial.js';
import { engineStatus, mapEngineError } from './errors.js';
import type {
  EngineContainerDetails,
  EngineContainerListItem,
  EngineFilters,
  EngineImage,
  EngineNetwork,
  EngineVersion,
  EngineVolume,
} from './types.js';

/**
 * Typed Engine API calls (v1.41). Idempotent where the engine lets us: 304 on start/stop and 404 on
 * remove count as success, since a crash may leave any step half-done and the next pass repeats it.
 */
export interface Engine {
  /** The dockerode client, for the other `engine/` modules (images, logs, exec) only. */
  readonly docker: Docker;
  /** `timeoutMs`: answer ENGINE_UNAVAILABLE when the engine is silent that long (health checks). */
  version(timeoutMs?: number): Promise<EngineVersion>;

  listContainers(filters: EngineFilters): Promise<EngineContainerListItem[]>;
  inspectContainer(idOrName: string): Promise<EngineContainerDetails | undefined>;
  createContainer(name: string, body: ContainerCreateBody): Promise<string>;
  startContainer(idOrName: string): Promise<void>;
  stopContainer(idOrName: string, timeoutSeconds: number): Promise<void>;
  killContainer(idOrName: string, signal?: string): Promise<void>;
  removeContainer(idOrName: string, opts?: { force?: boolean; volumes?: boolean }): Promise<void>;
  renameContainer(idOrName: string, newName: string): Promise<void>;
  restartContainer(idOrName: string, timeoutSeconds: number): Promise<void>;
  pauseContainer(idOrName: string): Promise<void>;
  unpauseContainer(idOrName: string): Promise<void>;
  /** Blocks until the container is not running; resolves its exit code. */
  waitContainer(idOrName: string, signal?: AbortSignal): Promise<number>;

  listNetworks(filters: EngineFilters): Promise<EngineNetwork[]>;
  inspectNetwork(idOrName: string): Promise<EngineNetwork | undefined>;
  createNetwork(body: NetworkCreateBody): Promise<string>;
  removeNetwork(id: string): Promise<void>;
  connectNetwork(network: string, container: string, endpoint: EndpointSettingsBody): Promise<void>;
  disconnectNetwork(network: string, container: string): Promise<void>;

  listVolumes(filters: EngineFilters): Promise<EngineVolume[]>;
  inspectVolume(name: string): Promise<EngineVolume | undefined>;
  createVolume(body: VolumeCreateBody): Promise<EngineVolume>;
  removeVolume(name: string): Promise<void>;

  inspectImage(ref: string): Promise<EngineImage | undefined>;
}

const enc = encodeURIComponent;

/**
 * Reads (GET, not streamed) give up after this long when the engine does not answer, so a stalled
 * dockerd makes `ps`, `ls` and the supervisor's passes fail with a clear error instead of hanging.
 * Writes have no such bound: a stop legitimately lasts its grace period.
 */
export const ENGINE_READ_TIMEOUT_MS = Number(process.env.ORC_ENGINE_TIMEOUT_MS ?? 30_000);

export function createEngine(
  docker: Docker = createDockerClient(),
  opts: { readTimeoutMs?: number } = {},
): Engine {
  const readTimeoutMs = opts.readTimeoutMs ?? ENGINE_READ_TIMEOUT_MS;
  const bounded = (req: Parameters<typeof dial>[1]): Parameters<typeof dial>[1] =>
    req.method === 'GET' && !req.isStream && req.timeoutMs === undefined
      ? { ...req, timeoutMs: readTimeoutMs }
      : req;
  const call = async <T>(what: string, req: Parameters<typeof dial>[1]): Promise<T> => {
    try {
      return await dial<T>(docker, bounded(req));
    } catch (err) {
      throw mapEngineError(err, what);
    }
  };
  /** `undefined` on 404: "is it there?" questions are not errors. */
  const lookup = async <T>(what: string, req: Parameters<typeof dial>[1]): Promise<T | undefined> => {
    try {
      return await dial<T>(docker, bounded(req));
    } catch (err) {
      if (engineStatus(err) === 404) return undefined;
      throw mapEngineError(err, what);
    }
  };
  const filters = (f: EngineFilters) => (Object.keys(f).length ? JSON.stringify(f) : undefined);

  return {
    docker,
    version: (timeoutMs) =>
      call<EngineVersion>('engine version', {
        path: '/version',
        method: 'GET',
        ...(timeoutMs !== undefined ? { timeoutMs } : {}),
      }),

    listContainers: (f) =>
      call('container list', {
        path: '/containers/json',
        method: 'GET',
        query: { all: true, filters: filters(f) },
      }),
    inspectContainer: (id) =>
      lookup(`container ${id}`, { path: `/containers/${enc(id)}/json`, method: 'GET' }),
    createContainer: async (name, body) => {
      const res = await call<{ Id: string }>(`container ${name}`, {
        path: '/containers/create',
        method: 'POST',
        query: { name },
        body,
      });
      return res.Id;
    },
    startContainer: (id) =>
      call(`container ${id}`, { path: `/containers/${enc(id)}/start`, method: 'POST', ok: [304] }),
    stopContainer: async (id, t) => {
      try {
        await dial(docker, { path: `/containers/${enc(id)}/stop`, method: 'POST', query: { t }, ok: [304] });
      } catch (err) {
        if (engineStatus(err) === 404) return;
        throw mapEngineError(err, `container ${id}`);
      }
    },
    killContainer: async (id, signal) => {
      try {
        await dial(docker, { path: `/containers/${enc(id)}/kill`, method: 'POST', query: { signal } });
      } catch (err) {
        // 409 = not running: the goal (not running) already holds.
        const status = engineStatus(err);
        if (status === 404 || status === 409) return;
        throw mapEngineError(err, `container ${id}`);
      }
    },
    removeContainer: async (id, opts = {}) => {
      try {
        await dial(docker, {
          path: `/containers/${enc(id)}`,
          method: 'DELETE',
          query: { force: opts.force ?? false, v: opts.volumes ?? false },
        });
      } catch (err) {
        const status = engineStatus(err);
        if (status === 404) return;
        if (status === 409 && /already in progress/.test(String((err as Error).message))) return;
        throw mapEngineError(err, `container ${id}`);
      }
    },
    renameContainer: (id, name) =>
      call(`container ${id}`, { path: `/containers/${enc(id)}/rename`, method: 'POST', query: { name } }),
    restartContainer: (id, t) =>
      call(`container ${id}`, { path: `/containers/${enc(id)}/restart`, method: 'POST', query: { t } }),
    pauseContainer: async (id) => {
      try {
        await dial(docker, { path: `/containers/${enc(id)}/pause`, method: 'POST' });
      } catch (err) {
        if (engineStatus(err) === 409 && /already paused/i.test(String((err as Error).message))) return;
        throw mapEngineError(err, `container ${id}`);
      }
    },
    unpauseContainer: async (id) => {
      try {
        await dial(docker, { path: `/containers/${enc(id)}/unpause`, method: 'POST' });
      } catch (err) {
        if (engineStatus(err) === 409 && /not paused/i.test(String((err as Error).message))) return;
        throw mapEngineError(err, `container ${id}`);
      }
    },
    waitContainer: async (id, signal) => {
      const res = await call<{ StatusCode: number }>(`container ${id}`, {
        path: `/containers/${enc(id)}/wait`,
        method: 'POST',
        query: { condition: 'not-running' },
        signal,
      });
      return res.StatusCode;
    },

    listNetworks: (f) =>
      call('network list', { path: '/networks', method: 'GET', query: { filters: filters(f) } }),
    inspectNetwork: (id) => lookup(`network ${id}`, { path: `/networks/${enc(id)}`, method: 'GET' }),
    createNetwork: async (body) => {
      const res = await call<{ Id: string }>(`network ${body.Name}`, {
        path: '/networks/create',
        method: 'POST',
        body,
      });
      return res.Id;
    },
    removeNetwork: async (id) => {
      try {
        await dial(docker, { path: `/networks/${enc(id)}`, method: 'DELETE' });
      } catch (err) {
        if (engineStatus(err) === 404) return;
        const mapped = mapEngineError(err, `network ${id}`);
        if (/has active endpoints/.test(mapped.message)) {
          throw new OrcError(
            'CONFLICT',
            `network ${id} is still used by containers; stop or disconnect them first`,
            {
              engine: mapped.message,
            },
          );
        }
        throw mapped;
      }
    },
    connectNetwork: async (network, container, endpoint) => {
      try {
        await dial(docker, {
          path: `/networks/${enc(network)}/connect`,
          method: 'POST',
          body: { Container: container, EndpointConfig: endpoint },
        });
      } catch (err) {
        // Already connected (a repeated step after a crash) is what we wanted.
        if (/already exists in network|is already attached/.test(String((err as Error).message))) return;
        throw mapEngineError(err, `network ${network} (connect ${container})`);
      }
    },
    disconnectNetwork: async (network, container) => {
      try {
        await dial(docker, {
          path: `/networks/${enc(network)}/disconnect`,
          method: 'POST',
          body: { Container: container, Force: true },
        });
      } catch (err) {
        if (engineStatus(err) === 404) return;
        if (/is not connected/.test(String((err as Error).message))) return;
        throw mapEngineError(err, `network ${network} (disconnect ${container})`);
      }
    },

    listVolumes: async (f) => {
      const res = await call<{ Volumes: EngineVolume[] | null }>('volume list', {
        path: '/volumes',
        method: 'GET',
        query: { filters: filters(f) },
      });
      return res.Volumes ?? [];
    },
    inspectVolume: (name) => lookup(`volume ${name}`, { path: `/volumes/${enc(name)}`, method: 'GET' }),
    createVolume: (body) => call(`volume ${body.Name}`, { path: '/volumes/create', method: 'POST', body }),
    removeVolume: async (name) => {
      try {
        await dial(docker, { path: `/volumes/${enc(name)}`, method: 'DELETE' });
      } catch (err) {
        if (engineStatus(err) === 404) return;
        throw mapEngineError(err, `volume ${name}`);
      }
    },

    inspectImage: (ref) => lookup(`image ${ref}`, { path: `/images/${enc(ref)}/json`, method: 'GET' }),
  };
}
