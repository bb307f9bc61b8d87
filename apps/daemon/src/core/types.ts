/**
 * The daemon's core service as the API (and through it the CLI) sees it. `core/` implements it on top of
 * observe → plan → execute; `api/` exposes it over HTTP. Plain data in and out (JSON-serialisable).
 */
import type { LoadOptions, SpecError, SpecWarning } from '@orc/spec';

/** Where a project comes from: the client's paths, environment and profiles (see LoadOptions). */
export type ProjectSource = LoadOptions;

export interface UpOptions {
  /** Services named on the command line (plus their dependencies unless noDeps). */
  services?: string[];
  forceRecreate?: boolean;
  noRecreate?: boolean;
  noDeps?: boolean;
  removeOrphans?: boolean;
  /** Service → replicas, overriding the file. */
  scale?: Record<string, number>;
  /** `--build`: build images before starting; `--no-build`: never build. */
  build?: boolean;
  noBuild?: boolean;
  /** `--pull`: `always` | `missing` | `never` | `policy` (default: the services' pull_policy). */
  pull?: 'always' | 'missing' | 'never' | 'policy';
  /** Stop timeout for replaced containers (overrides stop_grace_period). */
  timeoutSeconds?: number;
  /** Compute and return the plan; change nothing. */
  dryRun?: boolean;
  /** `--wait`: after starting, wait for every service to be running/healthy. */
  wait?: boolean;
  waitTimeoutSeconds?: number;
  /** Act even when the project name is used by another working directory. */
  force?: boolean;
  /** Register the project for continuous convergence (default true; `orc run`-like one-offs say false). */
  keep?: boolean;
}

export interface DownOptions {
  volumes?: boolean;
  removeOrphans?: boolean;
  timeoutSeconds?: number;
  rmi?: 'all' | 'local';
}

export type ServiceAction = 'start' | 'stop' | 'restart' | 'kill' | 'pause' | 'unpause' | 'rm';

export interface ServiceActionOptions {
  services?: string[];
  timeoutSeconds?: number;
  /** `kill -s`. */
  signal?: string;
  /** `rm -v`: remove anonymous volumes. */
  volumes?: boolean;
  /** `rm -s`: stop first. */
  stop?: boolean;
}

export type ResourceKind = 'project' | 'network' | 'volume' | 'image' | 'container' | 'service';
export type ProgressState = 'pending' | 'working' | 'done' | 'error' | 'skipped' | 'warning';

/** One line of progress: `Container demo-web-1  Started  0.4s`. */
export interface ProgressEvent {
  operationId: string;
  project: string;
  kind: ResourceKind;
  /** Resource name as shown: container/network/volume/image name. */
  resource: string;
  /** Plan operation kind or a verb: `create`, `start`, `wait healthy`, `pull`, `build`, ... */
  action: string;
  state: ProgressState;
  /** Extra text: the cause, an error message, pull/build output. */
  message?: string;
  elapsedMs?: number;
  time: string;
}

export type OperationKind = 'up' | 'down' | ServiceAction | 'scale' | 'build' | 'pull' | 'repair';

export interface OperationError {
  code: string;
  message: string;
  details?: unknown;
}

export interface OperationRecord {
  id: string;
  project: string;
  kind: OperationKind;
  state: 'running' | 'succeeded' | 'failed';
  startedAt: string;
  finishedAt?: string;
  error?: OperationError;
  /** Plan rendered as text (one line per operation with its cause), when the operation had one. */
  plan?: string[];
  warnings: string[];
}

/** A container as `orc ps --format json` prints it (compose v2's field names). */
export interface ContainerSummary {
  ID: string;
  Name: string;
  Service: string;
  Project: string;
  Number: number;
  State: string;
  Health: string;
  ExitCode: number;
  Image: string;
  Command: string;
  Created: string;
  Status: string;
  RestartCount: number;
  /** Why the daemon last restarted it, will restart it, or gave up (`deploy.restart_policy`, restart-on-unhealthy). */
  RestartReason?: string;
  /** Output of the last healthcheck probe, when the container has a healthcheck. */
  HealthOutput?: string;
  Publishers: Array<{ URL: string; TargetPort: number; PublishedPort: number; Protocol: string }>;
  Networks: string[];
}

export interface ProjectSummary {
  name: string;
  workingDir: string;
  configFiles: string[];
  /** Registered with the daemon (kept converged) or only found on the engine. */
  registered: boolean;
  /** `running(3)`, `exited(1), running(2)`: compose ls's status column. */
  status: string;
  services: Array<{ name: string; desired: 'running' | 'stopped' | 'paused'; replicas: number }>;
  containers: ContainerSummary[];
}

/** The event stream (`orc events`, `GET /v1/events`): lifecycle, health, restarts, repairs, operations. */
export interface DaemonEvent {
  time: string;
  type:
    | 'container'
    | 'health'
    | 'restart'
    | 'repair'
    | 'recreate'
    | 'operation'
    | 'network'
    | 'volume'
    | 'image';
  project: string;
  service?: string;
  container?: string;
  action: string;
  /** Why it happened (restart reason, recreate explanation, ...). */
  reason?: string;
  attributes?: Record<string, string>;
}

export type LoadFailure = { code: 'INVALID_PROJECT'; errors: SpecError[]; warnings: SpecWarning[] };

/** A project named by the client: by name (`-p`, or a script), or by its files (the CLI in a project folder). */
export type ProjectTarget = { name: string } | { source: ProjectSource };

export interface OperationHandle {
  /** The record at the moment the operation was accepted (state `running`). */
  record: OperationRecord;
  /** Settles (never rejects) when the operation ends. */
  done: Promise<OperationRecord>;
}

export interface LogOptions {
  services?: string[];
  follow?: boolean;
  /** Lines from the end of each container's log; absent = all. */
  tail?: number;
  timestamps?: boolean;
  /** RFC 3339 or unix seconds. */
  since?: string;
  until?: string;
}

export interface LogLine {
  service: string;
  container: string;
  stream: 'stdout' | 'stderr';
  /** RFC 3339 with nanoseconds, from the engine. */
  time: string;
  line: string;
}

export interface ExecOptions {
  service: string;
  /** Replica number (`--index`), default 1. */
  index?: number;
  cmd: string[];
  tty?: boolean;
  interactive?: boolean;
  env?: string[];
  user?: string;
  workdir?: string;
  privileged?: boolean;
}

export interface ExecSession {
  /** Raw stream: stdin goes in; out comes stdout (and stderr, multiplexed by the engine unless tty). */
  stream: NodeJS.ReadWriteStream;
  tty: boolean;
  resize(rows: number, cols: number): Promise<void>;
  /** Exit code once the process ends. */
  exitCode(): Promise<number>;
}

/** `orc build` (see core/images-ops.ts). */
export interface BuildOptions {
  services?: string[];
  noCache?: boolean;
  /** Always pull the base images. */
  pull?: boolean;
}

/** `orc pull`. */
export interface PullOptions {
  services?: string[];
  ignorePullFailures?: boolean;
}

/** `orc top`: one container's processes (engine `GET /containers/{id}/top`). */
export interface ContainerTop {
  container: string;
  service: string;
  titles: string[];
  processes: string[][];
}

/** `orc images`: the image a container runs, with the engine's id and size. */
export interface ContainerImage {
  container: string;
  service: string;
  image: string;
  id: string;
  size: number;
}

/** `orc run`: a one-off container of a service. */
export interface RunOptions {
  service: string;
  /** Replaces the service's command (none = the service's). */
  cmd?: string[];
  /** `--entrypoint`: replaces the entrypoint ("" = none). */
  entrypoint?: string;
  env?: string[];
  noDeps?: boolean;
  /** Remove the container once it exits (the attached run) or with the engine's auto-remove (detached). */
  rm?: boolean;
  detach?: boolean;
  tty?: boolean;
  interactive?: boolean;
  user?: string;
  workdir?: string;
}

/** An attached one-off: like an exec session, plus the container's name. */
export interface RunSession extends ExecSession {
  container: string;
  /** The client went away before the one-off ended (Ctrl-C): stop it (then `rm` applies as usual). */
  abandon(): Promise<void>;
}

/** What the API calls. One instance per daemon process. */
export interface Core {
  health(): Promise<{ engineVersion: string; engineApiVersion: string }>;
  listProjects(): Promise<ProjectSummary[]>;
  getProject(target: ProjectTarget): Promise<ProjectSummary | undefined>;
  /** Load + validate + normalise; returns the Project as JSON-ready data, or the located errors. */
  config(
    source: ProjectSource,
  ): Promise<
    { ok: true; project: unknown; warnings: SpecWarning[]; hashes?: Record<string, string> } | LoadFailure
  >;
  up(source: ProjectSource, opts: UpOptions): Promise<OperationHandle | LoadFailure>;
  down(target: ProjectTarget, opts: DownOptions): Promise<OperationHandle>;
  serviceAction(
    target: ProjectTarget,
    action: ServiceAction,
    opts: ServiceActionOptions,
  ): Promise<OperationHandle>;
  scale(target: ProjectTarget, replicas: Record<string, number>): Promise<OperationHandle>;
  getOperation(id: string): OperationRecord | undefined;
  /** Past progress of the operation, then live progress until it ends (or the signal aborts). */
  operationProgress(id: string, signal: AbortSignal): AsyncIterable<ProgressEvent>;
  /** Live daemon events (optionally one project's) until the signal aborts. */
  events(filter: { project?: string }, signal: AbortSignal): AsyncIterable<DaemonEvent>;
  logs(target: ProjectTarget, opts: LogOptions, signal: AbortSignal): AsyncIterable<LogLine>;
  exec(target: ProjectTarget, opts: ExecOptions): Promise<ExecSession>;
  build(source: ProjectSource, opts: BuildOptions): Promise<OperationHandle | LoadFailure>;
  pull(source: ProjectSource, opts: PullOptions): Promise<OperationHandle | LoadFailure>;
  top(target: ProjectTarget, services?: string[]): Promise<ContainerTop[]>;
  images(target: ProjectTarget, services?: string[]): Promise<ContainerImage[]>;
  /** Detached: the container's name once started; else a session streaming its output until it exits. */
  run(source: ProjectSource, opts: RunOptions): Promise<{ container: string } | RunSession | LoadFailure>;
  /** Finish running operations, stop watching the engine. */
  close(): Promise<void>;
}
