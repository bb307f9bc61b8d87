/**
 * Engine calls of the one-shot commands (`orc top`, `orc images`, `orc run`) that the converge path never
 * needs: kept apart from engine.ts so the Engine interface stays what observe/plan/execute use.
 */
import type { Duplex } from 'node:stream';
import { dial } from './dial.js';
import type { Engine } from './engine.js';
import { engineStatus, mapEngineError } from './errors.js';

const enc = encodeURIComponent;

export interface TopAnswer {
  Titles: string[];
  Processes: string[][];
}

/** `GET /containers/{id}/top`: the engine runs `ps` on the host for the container's processes. */
export async function topContainer(engine: Engine, id: string): Promise<TopAnswer> {
  try {
    return await dial<TopAnswer>(engine.docker, { path: `/containers/${enc(id)}/top`, method: 'GET' });
  } catch (err) {
    throw mapEngineError(err, `container ${id}`);
  }
}

/** The parts of `GET /containers/{id}/stats` that `orc stats` reads (cgroup v1 and v2 alike). */
export interface StatsAnswer {
  cpu_stats?: { cpu_usage?: { total_usage?: number }; system_cpu_usage?: number; online_cpus?: number };
  precpu_stats?: { cpu_usage?: { total_usage?: number }; system_cpu_usage?: number };
  memory_stats?: { usage?: number; limit?: number; stats?: Record<string, number> };
  networks?: Record<string, { rx_bytes?: number; tx_bytes?: number }>;
  blkio_stats?: { io_service_bytes_recursive?: Array<{ op?: string; value?: number }> | null };
  pids_stats?: { current?: number };
}

/** One sample (`stream=false`: the engine waits for a second reading, so CPU has a delta). */
export async function containerStats(engine: Engine, id: string): Promise<StatsAnswer> {
  try {
    return await dial<StatsAnswer>(engine.docker, {
      path: `/containers/${enc(id)}/stats`,
      method: 'GET',
      query: { stream: false },
    });
  } catch (err) {
    throw mapEngineError(err, `container ${id}`);
  }
}

/** `GET /containers/{id}/export`: the container's filesystem as a tar stream. */
export async function exportContainer(engine: Engine, id: string): Promise<NodeJS.ReadableStream> {
  try {
    return await dial<NodeJS.ReadableStream>(engine.docker, {
      path: `/containers/${enc(id)}/export`,
      method: 'GET',
      isStream: true,
    });
  } catch (err) {
    throw mapEngineError(err, `container ${id}`);
  }
}

/** `PUT /containers/{id}/archive?path=DIR`: unpacks a tar into DIR, keeping the headers' owners and modes. */
export async function putArchive(
  engine: Engine,
  id: string,
  dir: string,
  /** A Buffer, or a stream piped through as it arrives (the modem sends it chunked). */
  tar: Buffer | NodeJS.ReadableStream,
  opts: { copyUIDGID?: boolean; signal?: AbortSignal } = {},
): Promise<void> {
  try {
    await dial(engine.docker, {
      path: `/containers/${enc(id)}/archive`,
      method: 'PUT',
      query: { path: dir, ...(opts.copyUIDGID ? { copyUIDGID: true } : {}) },
      file: tar,
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
  } catch (err) {
    throw mapEngineError(err, `container ${id}`);
  }
}

/** What the engine says of a path in a container (`X-Docker-Container-Path-Stat`, base64 JSON). */
export interface PathStat {
  name: string;
  size: number;
  /** Go's os.FileMode: permission bits plus type bits (1<<31 directory, 1<<27 symlink). */
  mode: number;
  mtime: string;
  linkTarget: string;
}

export const isDirMode = (mode: number) => mode >= 0 && (mode & 0x80000000) !== 0;
export const isSymlinkMode = (mode: number) => (mode & (1 << 27)) !== 0;

export function decodePathStat(header: string | string[] | undefined): PathStat | undefined {
  const text = Array.isArray(header) ? header[0] : header;
  if (!text) return undefined;
  try {
    return JSON.parse(Buffer.from(text, 'base64').toString('utf8')) as PathStat;
  } catch {
    return undefined;
  }
}

interface ArchiveResponse extends NodeJS.ReadableStream {
  headers: Record<string, string | string[] | undefined>;
  resume(): this;
}

/** `HEAD /containers/{id}/archive?path=`: the path's stat; `undefined` when it does not exist. */
export async function statPath(engine: Engine, id: string, path: string): Promise<PathStat | undefined> {
  try {
    const res = await dial<ArchiveResponse>(engine.docker, {
      path: `/containers/${enc(id)}/archive`,
      method: 'HEAD',
      query: { path },
      isStream: true,
    });
    res.resume();
    return decodePathStat(res.headers['x-docker-container-path-stat']);
  } catch (err) {
    if (engineStatus(err) === 404) return undefined;
    throw mapEngineError(err, `container ${id}`);
  }
}

/** `GET /containers/{id}/archive?path=`: the path (file or directory) as a tar stream, and its stat. */
export async function getArchive(
  engine: Engine,
  id: string,
  path: string,
): Promise<{ stat: PathStat | undefined; tar: NodeJS.ReadableStream }> {
  try {
    const res = await dial<ArchiveResponse>(engine.docker, {
      path: `/containers/${enc(id)}/archive`,
      method: 'GET',
      query: { path },
      isStream: true,
    });
    return { stat: decodePathStat(res.headers['x-docker-container-path-stat']), tar: res };
  } catch (err) {
    throw mapEngineError(err, `container ${id}`);
  }
}

/** Id and size of a local image; `undefined` when it is gone (a container can outlive its image's tag). */
export async function imageSize(
  engine: Engine,
  ref: string,
): Promise<{ Id: string; Size: number } | undefined> {
  try {
    return await dial<{ Id: string; Size: number }>(engine.docker, {
      path: `/images/${enc(ref)}/json`,
      method: 'GET',
    });
  } catch (err) {
    if (engineStatus(err) === 404) return undefined;
    throw mapEngineError(err, `image ${ref}`);
  }
}

/**
 * `POST /containers/{id}/attach` before start: the container's whole output (and stdin when asked) on one
 * hijacked connection, multiplexed by the engine unless the container has a tty.
 */
export async function attachContainer(engine: Engine, id: string, stdin: boolean): Promise<Duplex> {
  try {
    return await dial<Duplex>(engine.docker, {
      path: `/containers/${enc(id)}/attach`,
      method: 'POST',
      query: { stream: true, stdout: true, stderr: true, stdin },
      isStream: true,
      // Not `openStdin`: the modem would then leave the request body open and the engine never upgrades.
      // The upgraded socket is writable anyway: stdin goes there.
      hijack: true,
    });
  } catch (err) {
    throw mapEngineError(err, `container ${id}`);
  }
}

/** `POST /containers/{id}/resize` (tty containers). */
export async function resizeContainer(engine: Engine, id: string, rows: number, cols: number): Promise<void> {
  try {
    await dial(engine.docker, {
      path: `/containers/${enc(id)}/resize`,
      method: 'POST',
      query: { h: rows, w: cols },
    });
  } catch (err) {
    throw mapEngineError(err, `container ${id}`);
  }
}
