/**
 * The daemon's verbs as the API sees them (`Core`): one instance per daemon process. Wire shapes come
 * from the ground floor (contract/types.ts); what is here holds streams and promises, never sent as JSON.
 */

import type { SpecWarning, VariableReport } from '@orc/spec';
import type { CommitBody, CommitReply, ProjectVolume, PushOptions } from '../contract/objects.js';
import type {
  BuildOptions,
  ContainerImage,
  ContainerStats,
  ContainerTop,
  DaemonEvent,
  DownOptions,
  ExecOptions,
  LoadFailure,
  LogLine,
  LogOptions,
  OperationRecord,
  ProgressEvent,
  ProjectSource,
  ProjectSummary,
  PullOptions,
  RunOptions,
  ServiceAction,
  ServiceActionOptions,
  UpOptions,
  WatchInfo,
} from '../contract/types.js';
import type { ExecSession } from '../engine/exec.js';
import type { PathStat } from '../engine/oneoff.js';

export type { ExecSession } from '../engine/exec.js';

/** A project named by the client: by name (`-p`, or a script), or by its files (the CLI in a project folder). */
export type ProjectTarget = { name: string } | { source: ProjectSource };

export interface OperationHandle {
  /** The record at the moment the operation was accepted (state `running`). */
  record: OperationRecord;
  /** Settles (never rejects) when the operation ends. */
  done: Promise<OperationRecord>;
}

/** An attached one-off: like an exec session, plus the container's name. */
export interface RunSession extends ExecSession {
  container: string;
  /** The client went away before the one-off ended (Ctrl-C): stop it (then `rm` applies as usual). */
  abandon(): Promise<void>;
}

/** What the API calls. One instance per daemon process. */
/** `orc volumes` and `orc commit` (verbs/project-objects.ts). */
export interface ObjectVerbs {
  /** The volumes that carry the project's label, by name. */
  volumes(target: ProjectTarget): Promise<ProjectVolume[]>;
  /** Commits the service's container number `index` (default 1) as compose's `commit` does. */
  commit(target: ProjectTarget, body: CommitBody): Promise<CommitReply>;
}

export interface Core extends ObjectVerbs {
  health(): Promise<{ engineVersion: string; engineApiVersion: string }>;
  /**
   * Every project kept or found. Light by default: one engine list, no inspect (health from the list's
   * Status, restart counts the daemon's own, no start time or probe output); `detail: true` inspects as
   * `getProject` does.
   */
  listProjects(opts?: { detail?: boolean }): Promise<ProjectSummary[]>;
  /** `detail: false`: from one list of the engine, no inspect per container (restart counts are 0). */
  getProject(target: ProjectTarget, opts?: { detail?: boolean }): Promise<ProjectSummary | undefined>;
  /** Load + validate + normalise; returns the Project as JSON-ready data, or the located errors. */
  config(
    source: ProjectSource,
    /**
     * `services`: what the output is about (`config --hash a,b`): only their service problems apply.
     * `hashes: false`: no config hashes (a caller that only wants the name spares the desired state).
     */
    opts?: { consistency?: boolean; services?: string[]; environment?: boolean; hashes?: boolean },
  ): Promise<
    | {
        ok: true;
        project: unknown;
        warnings: SpecWarning[];
        hashes?: Record<string, string>;
        /** `config --environment` (only when asked): the interpolation environment. */
        environment?: Record<string, string>;
        /** `config --variables`: every variable used or declared, with its value and source. */
        variables?: VariableReport[];
      }
    | LoadFailure
  >;
  up(source: ProjectSource, opts: UpOptions): Promise<OperationHandle | LoadFailure>;
  /** `up` again from the kept record (files re-read, the stored environment): the status page's Up and plan. */
  reapply(name: string, opts: { dryRun?: boolean }): Promise<OperationHandle | LoadFailure>;
  down(target: ProjectTarget, opts: DownOptions): Promise<OperationHandle>;
  serviceAction(
    target: ProjectTarget,
    action: ServiceAction,
    opts: ServiceActionOptions,
  ): Promise<OperationHandle>;
  /** `dependencies`: also converge the scaled services' dependencies (compose's scale without --no-deps). */
  scale(
    target: ProjectTarget,
    replicas: Record<string, number>,
    opts?: { dependencies?: boolean },
  ): Promise<OperationHandle>;
  getOperation(id: string): OperationRecord | undefined;
  /** Past progress of the operation, then live progress until it ends (or the signal aborts). */
  operationProgress(id: string, signal: AbortSignal): AsyncIterable<ProgressEvent>;
  /** Live daemon events (optionally one project's) until the signal aborts. */
  events(filter: { project?: string }, signal: AbortSignal): AsyncIterable<DaemonEvent>;
  logs(target: ProjectTarget, opts: LogOptions, signal: AbortSignal): AsyncIterable<LogLine>;
  exec(target: ProjectTarget, opts: ExecOptions): Promise<ExecSession>;
  build(source: ProjectSource, opts: BuildOptions): Promise<OperationHandle | LoadFailure>;
  pull(source: ProjectSource, opts: PullOptions): Promise<OperationHandle | LoadFailure>;
  /** `orc push`: the images of the services with `build:` and `image:`, as a long operation. */
  push(source: ProjectSource, opts: PushOptions): Promise<OperationHandle | LoadFailure>;
  top(target: ProjectTarget, services?: string[]): Promise<ContainerTop[]>;
  /** A running service container's output (and stdin) as a session; its exit code when it stops. */
  attach(target: ProjectTarget, service: string, index?: number, stdin?: boolean): Promise<ExecSession>;
  /** The filesystem of a service's container (number `index`, default 1) as a tar stream. */
  exportContainer(
    target: ProjectTarget,
    service: string,
    index?: number,
  ): Promise<{ container: string; tar: NodeJS.ReadableStream }>;
  /** `cp`: a path of a service container, its stat (`undefined`: it does not exist). */
  statPath(
    target: ProjectTarget,
    service: string,
    index: number,
    path: string,
  ): Promise<{ container: string; stat: PathStat | undefined }>;
  /** `cp` out: the path as a tar stream (`follow`: a symlink's target). */
  getArchive(
    target: ProjectTarget,
    service: string,
    index: number,
    path: string,
    follow: boolean,
  ): Promise<{ container: string; stat: PathStat; tar: NodeJS.ReadableStream }>;
  /** `cp` in: a tar unpacked into the directory `path` of container `index`, or of every replica. */
  putArchive(
    target: ProjectTarget,
    service: string,
    where: { index: number; all: boolean },
    path: string,
    tar: NodeJS.ReadableStream,
    copyUIDGID: boolean,
  ): Promise<{ containers: string[] }>;
  /** One resource sample per service container (running ones, or all with `all`). */
  stats(target: ProjectTarget, services?: string[], all?: boolean): Promise<ContainerStats[]>;
  images(target: ProjectTarget, services?: string[]): Promise<ContainerImage[]>;
  /** Detached: the container's name once started; else a session streaming its output until it exits. */
  run(source: ProjectSource, opts: RunOptions): Promise<{ container: string } | RunSession | LoadFailure>;
  /**
   * `orc watch`: the daemon watches the files of the services' `develop.watch` rules and syncs, restarts,
   * execs or rebuilds. `detach`: kept (and recorded) after the client has gone; otherwise `releaseWatch`
   * ends it when the client's stream closes.
   */
  watch(
    source: ProjectSource,
    opts: { services?: string[]; detach: boolean },
  ): Promise<WatchInfo & { project: string }>;
  /** Ends a foreground watch whose client has gone (not one made detached since). */
  releaseWatch(name: string, since: string): Promise<void>;
  /** `orc watch --stop`: ends the project's watch; false when there was none. */
  stopWatch(target: ProjectTarget): Promise<{ project: string; stopped: boolean }>;
  /** Finish running operations, stop watching the engine. */
  close(): Promise<void>;
}
