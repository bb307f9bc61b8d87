/**
 * The daemon's v1 routes (docs/api.md), one function each. Everything the CLI asks the daemon goes
 * through here, so a route change is a change in one file.
 */
import type { DaemonAddress } from './address.js';
import {
  ApiError,
  apiErrorOf,
  type CallOptions,
  call as callOnce,
  send as sendOnce,
  stream as streamOnce,
  UnreachableError,
} from './http.js';
import type {
  CommitBody,
  CommitReply,
  ContainerStats,
  DaemonEvent,
  LogLine,
  OperationError,
  OperationRecord,
  ProgressEvent,
  ProjectSource,
  ProjectSummary,
  ProjectVolume,
  PsTable,
  UpOptions,
  WatchInfo,
} from './types.js';

export type { UpOptions } from './types.js';

/**
 * The daemon's table view of a project (apps/daemon contract/schemas.ts PS_TABLE_TYPE), or its summary:
 * an older daemon ignores the first and answers JSON. bin/orc.js's early request sends the same header.
 */
export const PS_TABLE_ACCEPT = 'application/vnd.orc.ps-table+json, application/json;q=0.9';

/** A project as a command names it: by `-p` alone, or by its files (plus `-p` as the name when given). */
export type Target = { name: string; source?: ProjectSource };

/** The name for the URL (`-` = "load it from the source in the body") and the body's `source`. */
function routeName(target: Target): string {
  return target.source
    ? encodeURIComponent(target.source.projectName ?? '-')
    : encodeURIComponent(target.name);
}

const withSource = (target: Target, body: Record<string, unknown>) =>
  target.source ? { source: target.source, ...body } : body;

export interface HealthInfo {
  status: string;
  version?: string;
  engine?: { version?: string; apiVersion?: string };
}

export type ActionName =
  | 'down'
  | 'start'
  | 'stop'
  | 'restart'
  | 'kill'
  | 'pause'
  | 'unpause'
  | 'rm'
  | 'scale'
  | 'build'
  | 'pull'
  | 'push';

export type ProgressItem =
  | { type: 'progress'; event: ProgressEvent }
  | { type: 'end'; operation: OperationRecord }
  | { type: 'error'; error: OperationError };

/** What `up` streams in its own answer: the accepted operation, then its progress. */
export type UpItem = { type: 'accepted'; operation: OperationRecord } | ProgressItem;

export interface Api {
  address: DaemonAddress;
  /** Makes sure a daemon answers (starting one if allowed): before a request that cannot be repeated. */
  ready(): Promise<void>;
  health(): Promise<HealthInfo>;
  listProjects(): Promise<ProjectSummary[]>;
  /** Resolves the name for files (and what exists of it). */
  /** `detail: false`: no inspect per container on the daemon (restart counts are 0): what tables need. */
  lookup(source: ProjectSource, detail?: boolean): Promise<{ name: string; project?: ProjectSummary }>;
  getProject(name: string, detail?: boolean): Promise<ProjectSummary>;
  /**
   * `orc ps`'s table view of a project (its rows' table fields only, from one engine list). A daemon that
   * does not know the view answers the whole summary, which holds the same fields.
   */
  psTable(name: string): Promise<PsTable>;
  /** `lookup`'s table view (the summary from an older daemon, which reads alike). */
  lookupTable(source: ProjectSource): Promise<{ name: string; project?: PsTable }>;
  up(source: ProjectSource, options: UpOptions): Promise<OperationRecord>;
  action(target: Target, action: ActionName, body: Record<string, unknown>): Promise<OperationRecord>;
  /** `services`: what the output is about (`config --hash a,b`): other services' problems do not refuse it. */
  config(
    source: ProjectSource,
    format: 'json' | 'yaml',
    consistency?: boolean,
    services?: string[],
    /** `config --environment`: the reply carries the interpolation environment. */
    environment?: boolean,
  ): Promise<unknown>;
  getOperation(id: string): Promise<OperationRecord>;
  progress(id: string, signal?: AbortSignal): AsyncGenerator<ProgressItem>;
  /** `up` and its progress in one round trip (`POST /v1/projects?stream=true`). */
  upStream(source: ProjectSource, options: UpOptions): AsyncGenerator<UpItem>;
  logs(name: string, query: LogQuery, signal?: AbortSignal): AsyncGenerator<LogLine>;
  events(project: string | undefined, signal?: AbortSignal): AsyncGenerator<DaemonEvent>;
  top(name: string, services: string[]): Promise<ContainerTop[]>;
  images(name: string, services: string[]): Promise<ContainerImage[]>;
  /** `volumes`: the volumes that carry the project's label. */
  volumes(name: string): Promise<ProjectVolume[]>;
  /** `commit`: a service container's changes as a new image. */
  commit(name: string, body: CommitBody): Promise<CommitReply>;
  /** A service container's filesystem as a tar stream (the response body, to pipe). */
  exportContainer(name: string, service: string, index: number): Promise<NodeJS.ReadableStream>;
  /** `cp`: a path in a service container, and its stat when it exists. */
  statPath(name: string, service: string, index: number, path: string): Promise<PathStatAnswer>;
  /** `cp` out: a path of a service container as a tar stream, with its stat. */
  getArchive(
    name: string,
    service: string,
    index: number,
    path: string,
    follow: boolean,
  ): Promise<{ stat: PathStat | undefined; tar: NodeJS.ReadableStream }>;
  /** `cp` in: a tar stream unpacked into a directory of container `index` (or every replica with `all`). */
  putArchive(
    name: string,
    service: string,
    where: { index: number; all: boolean },
    path: string,
    tar: NodeJS.ReadableStream,
    copyUIDGID: boolean,
  ): Promise<{ containers: string[] }>;
  /** One resource sample per service container (`all`: stopped ones too). */
  stats(name: string, services: string[], all: boolean): Promise<ContainerStats[]>;
  /** A detached `run`: the one-off container's name. */
  runDetached(name: string, body: Record<string, unknown>): Promise<string>;
  /** `watch -d` / `up -d --watch`: the daemon keeps watching; the watch as it started. */
  watchDetached(source: ProjectSource, services: string[]): Promise<WatchInfo & { project: string }>;
  /** `watch` in the foreground: the watch's events until the signal aborts (which ends the watch). */
  watch(source: ProjectSource, services: string[], signal?: AbortSignal): AsyncGenerator<DaemonEvent>;
  stopWatch(target: Target): Promise<{ project: string; stopped: boolean }>;
}

/** The engine's stat of a container path (Go's os.FileMode in `mode`: 1<<31 directory, 1<<27 symlink). */
export interface PathStat {
  name: string;
  size: number;
  mode: number;
  mtime: string;
  linkTarget: string;
}

export interface PathStatAnswer {
  container: string;
  exists: boolean;
  stat?: PathStat;
}

export const isDirMode = (mode: number) => (mode & 0x80000000) !== 0;

function decodeStat(header: string | string[] | undefined): PathStat | undefined {
  const text = Array.isArray(header) ? header[0] : header;
  if (!text) return undefined;
  try {
    return JSON.parse(Buffer.from(text, 'base64').toString('utf8')) as PathStat;
  } catch {
    return undefined;
  }
}

export interface ContainerTop {
  container: string;
  service: string;
  titles: string[];
  processes: string[][];
}

export interface ContainerImage {
  container: string;
  service: string;
  image: string;
  id: string;
  size: number;
}

const servicesQuery = (services: string[]) => {
  const q = new URLSearchParams();
  for (const s of services) q.append('service', s);
  const text = q.toString();
  return text ? `?${text}` : '';
};

export interface LogQuery {
  services?: string[];
  follow?: boolean;
  tail?: number;
  timestamps?: boolean;
  since?: string;
  until?: string;
}

export function logQueryString(q: LogQuery): string {
  const params = new URLSearchParams();
  for (const s of q.services ?? []) params.append('service', s);
  if (q.follow) params.set('follow', 'true');
  if (q.tail !== undefined) params.set('tail', String(q.tail));
  if (q.timestamps) params.set('timestamps', 'true');
  if (q.since) params.set('since', q.since);
  if (q.until) params.set('until', q.until);
  const text = params.toString();
  return text ? `?${text}` : '';
}

/**
 * A daemon from before `POST /v1/projects?stream=true` validates the query strictly and refuses the
 * unknown `stream` with 400 (`additionalProperty: "stream"`) before it loads or does anything.
 */
export function refusesStreamQuery(err: unknown): boolean {
  if (!(err instanceof ApiError) || err.status !== 400) return false;
  const body = err.body as { code?: unknown; details?: unknown } | undefined;
  if (body?.code !== 'BAD_REQUEST' || !Array.isArray(body.details)) return false;
  return body.details.some(
    (d: unknown) =>
      typeof d === 'object' &&
      d !== null &&
      (d as { params?: { additionalProperty?: unknown } }).params?.additionalProperty === 'stream',
  );
}

/** Errors met before the request left: nothing was sent, so asking again after a start is safe. */
const NOT_LISTENING = new Set(['ENOENT', 'ECONNREFUSED', 'EACCES', 'ENOTSOCK', 'EHOSTUNREACH']);
const notListening = (err: unknown) => err instanceof UnreachableError && NOT_LISTENING.has(err.reason);

/**
 * The client. `ready` makes sure a daemon answers (autostart): it runs only when a request finds
 * nobody listening, and the request is then sent again, so a command costs no `/v1/health` round trip
 * while the daemon is up. Uploads (`cp`) and upgrades (`exec`) call `ready()` first instead: their bodies
 * cannot be sent twice.
 */
export function api(address: DaemonAddress, ready: () => Promise<void> = async () => {}): Api {
  let reached = false;
  const ensure = async () => {
    if (reached) return;
    await ready();
    reached = true;
  };
  const call = async <T>(a: DaemonAddress, method: string, path: string, opts?: CallOptions): Promise<T> => {
    try {
      const answer = await callOnce<T>(a, method, path, opts);
      reached = true;
      return answer;
    } catch (err) {
      if (reached || !notListening(err)) throw err;
      await ensure();
      return callOnce<T>(a, method, path, opts);
    }
  };
  async function* stream(a: DaemonAddress, method: string, path: string, opts?: CallOptions) {
    let started = false;
    try {
      for await (const item of streamOnce(a, method, path, opts)) {
        started = true;
        reached = true;
        yield item;
      }
      return;
    } catch (err) {
      if (started || reached || !notListening(err)) throw err;
    }
    await ensure();
    yield* streamOnce(a, method, path, opts);
  }
  const send = async (a: DaemonAddress, method: string, path: string, opts?: CallOptions) => {
    await ensure();
    return sendOnce(a, method, path, opts);
  };
  const upTwice = async (source: ProjectSource, options: UpOptions) =>
    (
      await call<{ operation: OperationRecord }>(address, 'POST', '/v1/projects', {
        body: { source, options },
      })
    ).operation;
  const progressOf = (id: string, signal?: AbortSignal) =>
    stream(
      address,
      'GET',
      `/v1/operations/${encodeURIComponent(id)}/progress`,
      signalOpt(signal),
    ) as AsyncGenerator<ProgressItem>;
  return {
    address,
    ready: ensure,
    health: () => call<HealthInfo>(address, 'GET', '/v1/health'),
    listProjects: async () =>
      (await call<{ projects: ProjectSummary[] }>(address, 'GET', '/v1/projects')).projects,
    lookup: (source, detail) =>
      call(address, 'POST', '/v1/projects/lookup', {
        body: { source, ...(detail === false ? { detail } : {}) },
      }),
    lookupTable: (source) =>
      call(address, 'POST', '/v1/projects/lookup', {
        body: { source, detail: false },
        headers: { Accept: PS_TABLE_ACCEPT },
      }),
    psTable: (name) =>
      call<PsTable>(address, 'GET', `/v1/projects/${encodeURIComponent(name)}?detail=false`, {
        headers: { Accept: PS_TABLE_ACCEPT },
      }),
    getProject: (name, detail) =>
      call<ProjectSummary>(
        address,
        'GET',
        `/v1/projects/${encodeURIComponent(name)}${detail === false ? '?detail=false' : ''}`,
      ),
    up: upTwice,
    upStream: async function* (source, options) {
      const items = stream(address, 'POST', '/v1/projects?stream=true', {
        body: { source, options },
      }) as AsyncGenerator<UpItem>;
      let first: IteratorResult<UpItem>;
      try {
        first = await items.next();
      } catch (err) {
        if (!refusesStreamQuery(err)) throw err;
        // A daemon from before `?stream=true`: the two requests it knows (accepted, then the progress).
        const operation = await upTwice(source, options);
        yield { type: 'accepted', operation };
        yield* progressOf(operation.id);
        return;
      }
      if (first.done) return;
      yield first.value;
      yield* items;
    },
    action: async (target, action, body) =>
      (
        await call<{ operation: OperationRecord }>(
          address,
          'POST',
          `/v1/projects/${routeName(target)}/${action}`,
          {
            body: withSource(target, body),
          },
        )
      ).operation,
    config: (source, format, consistency, services, environment) =>
      call(address, 'POST', `/v1/config?format=${format}`, {
        body: {
          source,
          format,
          ...(consistency === false ? { consistency: false } : {}),
          ...(services?.length ? { services } : {}),
          ...(environment ? { environment: true } : {}),
        },
        headers: { Accept: format === 'yaml' ? 'text/yaml, application/json' : 'application/json' },
      }),
    top: async (name, services) =>
      (
        await call<{ containers: ContainerTop[] }>(
          address,
          'GET',
          `/v1/projects/${encodeURIComponent(name)}/top${servicesQuery(services)}`,
        )
      ).containers,
    exportContainer: async (name, service, index) => {
      const q = new URLSearchParams({ service, index: String(index) });
      const res = await send(address, 'GET', `/v1/projects/${encodeURIComponent(name)}/export?${q}`, {
        headers: { Accept: 'application/x-tar, application/json' },
      });
      const status = res.statusCode ?? 0;
      if (status >= 200 && status < 300) return res;
      throw await apiErrorOf(res);
    },
    statPath: async (name, service, index, path) => {
      const q = new URLSearchParams({ service, index: String(index), path });
      return call<PathStatAnswer>(
        address,
        'GET',
        `/v1/projects/${encodeURIComponent(name)}/archive/stat?${q}`,
      );
    },
    getArchive: async (name, service, index, path, follow) => {
      const q = new URLSearchParams({ service, index: String(index), path, follow: String(follow) });
      const res = await send(address, 'GET', `/v1/projects/${encodeURIComponent(name)}/archive?${q}`, {
        headers: { Accept: 'application/x-tar, application/json' },
      });
      const status = res.statusCode ?? 0;
      if (status >= 200 && status < 300) {
        return { stat: decodeStat(res.headers['x-docker-container-path-stat']), tar: res };
      }
      throw await apiErrorOf(res);
    },
    putArchive: async (name, service, where, path, tar, copyUIDGID) => {
      const q = new URLSearchParams({ service, index: String(where.index), path });
      if (where.all) q.set('all', 'true');
      if (copyUIDGID) q.set('copyUIDGID', 'true');
      const res = await send(address, 'PUT', `/v1/projects/${encodeURIComponent(name)}/archive?${q}`, {
        upload: tar,
        uploadType: 'application/x-tar',
      });
      const status = res.statusCode ?? 0;
      if (status >= 200 && status < 300) {
        const chunks: Buffer[] = [];
        for await (const chunk of res) chunks.push(chunk as Buffer);
        return JSON.parse(Buffer.concat(chunks).toString('utf8')) as { containers: string[] };
      }
      throw await apiErrorOf(res);
    },
    stats: async (name, services, all) => {
      const query = servicesQuery(services);
      const allQuery = all ? `${query ? '&' : '?'}all=true` : '';
      return (
        await call<{ containers: ContainerStats[] }>(
          address,
          'GET',
          `/v1/projects/${encodeURIComponent(name)}/stats${query}${allQuery}`,
        )
      ).containers;
    },
    images: async (name, services) =>
      (
        await call<{ images: ContainerImage[] }>(
          address,
          'GET',
          `/v1/projects/${encodeURIComponent(name)}/images${servicesQuery(services)}`,
        )
      ).images,
    volumes: async (name) =>
      (
        await call<{ volumes: ProjectVolume[] }>(
          address,
          'GET',
          `/v1/projects/${encodeURIComponent(name)}/volumes`,
        )
      ).volumes,
    commit: (name, body) =>
      call<CommitReply>(address, 'POST', `/v1/projects/${encodeURIComponent(name)}/commit`, {
        timeoutMs: 0,
        body,
      }),
    runDetached: async (name, body) =>
      (
        await call<{ container: string }>(address, 'POST', `/v1/projects/${encodeURIComponent(name)}/run`, {
          timeoutMs: 0,
          body,
        })
      ).container,
    watchDetached: (source, services) =>
      call<WatchInfo & { project: string }>(address, 'POST', '/v1/projects/watch', {
        timeoutMs: 0,
        body: { source, ...(services.length ? { services } : {}), detach: true },
      }),
    watch: (source, services, signal) =>
      stream(address, 'POST', '/v1/projects/watch', {
        timeoutMs: 0,
        body: { source, ...(services.length ? { services } : {}) },
        ...signalOpt(signal),
      }) as AsyncGenerator<DaemonEvent>,
    stopWatch: (target) =>
      call<{ project: string; stopped: boolean }>(
        address,
        'POST',
        `/v1/projects/${routeName(target)}/watch/stop`,
        { body: withSource(target, {}) },
      ),
    getOperation: (id) => call<OperationRecord>(address, 'GET', `/v1/operations/${encodeURIComponent(id)}`),
    progress: progressOf,
    logs: (name, query, signal) =>
      stream(
        address,
        'GET',
        `/v1/projects/${encodeURIComponent(name)}/logs${logQueryString(query)}`,
        signalOpt(signal),
      ) as AsyncGenerator<LogLine>,
    events: (project, signal) =>
      stream(
        address,
        'GET',
        `/v1/events${project ? `?project=${encodeURIComponent(project)}` : ''}`,
        signalOpt(signal),
      ) as AsyncGenerator<DaemonEvent>,
  };
}

const signalOpt = (signal: AbortSignal | undefined) => (signal ? { signal } : {});
