/**
 * A Plan is a DAG of small operations. The planner (pure) builds it; the executor walks it.
 * Every operation carries a cause, so a plan reads as text (`up --dry-run`, events, table tests).
 */
import type {
  ContainerCreateBody,
  DesiredEndpoint,
  DesiredExecHook,
  DesiredFile,
  DesiredInitStep,
  NetworkCreateBody,
  VolumeCreateBody,
} from '@orc/spec';

export type OpId = string;

interface OpBase {
  /** Unique in the plan, stable for the same inputs (e.g. `create-container:demo-web-1`). */
  id: OpId;
  /** Operations that must finish (successfully) before this one starts. */
  after: OpId[];
  /** Why: `missing`, `config hash differs: environment.X`, `scale down`, `dependency recreated`, ... */
  cause: string;
  /** Service the op belongs to, when any (for progress grouping and `--no-deps`). */
  service?: string;
}

export type Operation =
  | (OpBase & { kind: 'create-network'; name: string; key: string; body: NetworkCreateBody })
  | (OpBase & { kind: 'remove-network'; name: string; networkId: string })
  | (OpBase & { kind: 'create-volume'; name: string; key: string; body: VolumeCreateBody })
  | (OpBase & { kind: 'remove-volume'; name: string })
  | (OpBase & { kind: 'ensure-image'; image: string; pullPolicy: string; build: boolean })
  | (OpBase & {
      kind: 'create-container';
      /** Final name; `createAs` is the temporary name when replacing (renamed after the old one is gone). */
      name: string;
      createAs: string;
      number: number;
      body: ContainerCreateBody;
      endpoints: DesiredEndpoint[];
      /** Id of the container this one replaces (label `com.docker.compose.replace`). */
      replaces?: string;
      /**
       * The image's id as observed when planning (label `com.docker.compose.image`): the executor need not
       * ask the engine again. Absent when this plan pulls or builds that image (known only afterwards).
       */
      imageId?: string;
      /** Secrets/configs given by value: written into it after create, before it starts. */
      files?: DesiredFile[];
      /**
       * Start-first: created without its network aliases (the service name), so no client reaches it
       * before its health gate passes; the gate then gives it the aliases and drains the old container.
       */
      aliasesAfterGate?: boolean;
    })
  | (OpBase & { kind: 'start-container'; name: string })
  | (OpBase & {
      kind: 'stop-container';
      name: string;
      containerId: string;
      timeoutSeconds: number;
      signal?: string;
    })
  | (OpBase & { kind: 'remove-container'; name: string; containerId: string; volumes: boolean })
  | (OpBase & { kind: 'rename-container'; from: string; to: string })
  | (OpBase & { kind: 'restart-container'; name: string; containerId: string; timeoutSeconds: number })
  | (OpBase & { kind: 'kill-container'; name: string; containerId: string; signal: string })
  /** `containerId`: the id, or the name when this plan creates the container (the engine accepts both). */
  | (OpBase & { kind: 'pause-container'; name: string; containerId: string })
  | (OpBase & { kind: 'unpause-container'; name: string; containerId: string })
  | (OpBase & { kind: 'connect-network'; container: string; network: string; endpoint: DesiredEndpoint })
  | (OpBase & { kind: 'disconnect-network'; container: string; network: string })
  /** A provider service: its provider binary (or docker CLI plugin) run with `compose … up|down SERVICE`. */
  | (OpBase & {
      kind: 'run-provider';
      /** The service name (a provider service has no container). */
      name: string;
      service: string;
      command: 'up' | 'down';
      provider: { type: string; options: Record<string, string | string[]> };
    })
  /** A `pre_start` step: an init container created, run to its end (exit 0 or the op fails), removed. */
  | (OpBase & { kind: 'run-init'; name: string; service: string; step: DesiredInitStep })
  /** A `post_start` / `pre_stop` hook: an exec in the service's container `name`; non-zero exit fails the op. */
  | (OpBase & {
      kind: 'exec-hook';
      /** The container's name, for the reader; `target` is what the exec is sent to (its id when known). */
      name: string;
      target: string;
      service: string;
      phase: 'post_start' | 'pre_stop';
      hook: DesiredExecHook;
    })
  | (OpBase & {
      kind: 'wait-container';
      name: string;
      /** `running` (service_started), `healthy` (service_healthy), `exited-0` (service_completed_successfully). */
      until: 'running' | 'healthy' | 'exited-0';
      /** Operations that depend on it may proceed even if it fails (`required: false`). */
      required: boolean;
      /** A start-first health gate: on failure the new container is removed and the old one keeps serving. */
      gate?: StartFirstGate;
    });

export interface StartFirstGate {
  /** The container being replaced (still serving). */
  old: string;
  /** The new container's endpoints, with the aliases it gets once ready (the old one leaves them). */
  endpoints: DesiredEndpoint[];
  /** `update_config.delay` (ms): the new container must still be ready after it before the update moves on. */
  delayMs: number;
  /** `update_config.failure_action`. */
  failureAction: 'continue' | 'rollback' | 'pause';
}

export type OperationKind = Operation['kind'];

export interface Plan {
  project: string;
  operations: Operation[];
  /** Things worth telling the user that are not operations (orphans left in place, ...). */
  warnings: string[];
  /**
   * Problems that make the plan unsafe to run (a foreign container holds one of our names, an external
   * network is missing, ...). The executor must not run a plan that has errors; `up --dry-run` shows them.
   */
  errors: PlanError[];
}

export type PlanErrorCode =
  | 'NAME_CONFLICT'
  | 'EXTERNAL_NETWORK_MISSING'
  | 'EXTERNAL_VOLUME_MISSING'
  | 'UNKNOWN_SERVICE'
  | 'START_FIRST_FIXED_PORTS'
  | 'IMAGE_MISSING'
  | 'INCOMPATIBLE_OPTIONS';

export interface PlanError {
  code: PlanErrorCode;
  message: string;
}

export type { DesiredRunState } from '../contract/types.js';

import type { DesiredRunState } from '../contract/types.js';

export interface PlanOptions {
  /** Services to converge (plus their dependencies unless `noDeps`); absent = all. */
  services?: string[];
  noDeps?: boolean;
  forceRecreate?: boolean;
  noRecreate?: boolean;
  removeOrphans?: boolean;
  /** Stop timeout for replaced/removed containers; overrides `stop_grace_period`. */
  timeoutSeconds?: number;
  /** Overrides `update_config.order` for every service: true = start-first, false = stop-first. */
  startFirst?: boolean;
  /**
   * Services of the project left out of the desired state (profiles not active): their containers are not
   * orphans, so `removeOrphans` leaves them (as compose does).
   */
  disabledServices?: string[];
  /** Per service; absent = `running`. */
  desiredRunState?: Record<string, DesiredRunState>;
  /**
   * Start containers that exited or were stopped (what `up` does; default true). The supervisor passes
   * false: restart policies are its business, and a finished one-shot job must stay finished.
   */
  startExited?: boolean;
  /**
   * Ids of exited containers that stay exited even when `startExited` holds: those the daemon's restarter
   * gave up on (`deploy.restart_policy` max_attempts). Its history outlives the daemon, and so does the give-up.
   */
  leaveExited?: ReadonlySet<string>;
  /**
   * Dependency order after the fact (the supervisor's passes; `up` leaves it unset, as compose does): a
   * running dependent that declares `depends_on: {restart: true}` is restarted once its dependency is ready
   * again when that dependency started after it (a crash, restart-on-unhealthy) or starts again in this plan.
   * `engine-restarted`: the engine has just brought containers back in its own order, so every such
   * dependent that came back by itself is restarted after its dependencies are ready.
   */
  restoreDependencyOrder?: 'started-before' | 'engine-restarted';
  /** `--build`: build every selected service that has `build:`. */
  build?: boolean;
  /** `--no-build`: never build, pull instead. */
  noBuild?: boolean;
  /** `--pull`; default `missing` (only what is absent locally). `policy` follows each service's pull_policy. */
  pull?: 'always' | 'missing' | 'never' | 'policy';
  /**
   * `up --no-start`: create (and recreate) containers but start none; running ones keep running. No
   * restarts of dependents and no providers either: both would start something.
   */
  noStart?: boolean;
  /**
   * `up --always-recreate-deps`: services covered only as dependencies of `services` are recreated even
   * when up to date (compose recreates the dependencies, not the services named). No effect without `services`.
   */
  alwaysRecreateDeps?: boolean;
}

export interface PlanDownOptions {
  /** Only these services' containers (networks and volumes are then left alone). */
  services?: string[];
  /** `-v`: remove named volumes (never external ones) and anonymous volumes. */
  volumes?: boolean;
  removeOrphans?: boolean;
  timeoutSeconds?: number;
  /** Services of the project left out by profiles: their containers belong to the project, not orphans. */
  disabledServices?: string[];
}

export type PlanServiceAction = 'start' | 'stop' | 'restart' | 'kill' | 'pause' | 'unpause' | 'rm';

export interface PlanServiceActionOptions {
  /** Absent = every service of the project. */
  services?: string[];
  timeoutSeconds?: number;
  /** `kill -s` (default SIGKILL). */
  signal?: string;
  /** `rm -v`: remove anonymous volumes. */
  volumes?: boolean;
  /** `rm -s`: stop running containers first (else running ones are left, with a warning). */
  stop?: boolean;
  /** `restart --no-deps`: not the dependents that follow with `depends_on: {restart: true}`. */
  noDeps?: boolean;
  /** `kill --remove-orphans`: orphans' containers too (compose leaves them alone without it). */
  removeOrphans?: boolean;
}
