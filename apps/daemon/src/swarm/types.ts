/**
 * The Swarm target's vocabulary, shared by its two halves: the pure half (translate in @orc/spec,
 * `planSwarm`, `planSwarmDown`, `renderSwarmPlan`) and the engine half (observe by label, perform
 * operations, watch tasks). Like plan/types.ts for one host: a SwarmPlan is a DAG of small operations,
 * each with a cause, built from (desired, observed) by a pure function and walked by the executor.
 */
import type { SwarmFileData, SwarmFileSpec, SwarmNetworkCreateBody, SwarmServiceSpec } from '@orc/spec';

export type {
  DesiredSwarm,
  DesiredSwarmFile,
  DesiredSwarmNetwork,
  DesiredSwarmService,
  DesiredSwarmVolume,
  SwarmFileData,
  SwarmFileSpec,
  SwarmModeBody,
  SwarmNetworkCreateBody,
  SwarmServiceMode,
  SwarmServiceSpec,
  Target,
} from '@orc/spec';

/* ---------------------------------- observed ---------------------------------- */

/**
 * What exists on the cluster for one project, read from a manager by label
 * (`com.docker.stack.namespace=PROJECT`), plus the external networks, secrets and configs the desired
 * state names (looked up by name). Volumes are not observed (they live per node).
 */
export interface ObservedSwarm {
  project: string;
  services: ObservedSwarmService[];
  tasks: ObservedSwarmTask[];
  networks: ObservedSwarmNetwork[];
  secrets: ObservedSwarmObject[];
  configs: ObservedSwarmObject[];
}

export interface ObservedSwarmService {
  id: string;
  /** `Spec.Name` (`PROJECT_SERVICE`). */
  name: string;
  /** `Version.Index`: sent back with an update (optimistic concurrency). */
  version: number;
  /** `Spec` as the engine returns it (it may hold more than orc sets: defaults, bound ids). */
  spec: SwarmServiceSpec;
  /** `Spec.Labels` (`dev.orc.service`, `dev.orc.config-hash`, `com.docker.stack.namespace`, ...). */
  labels: Record<string, string>;
  /** `UpdateStatus.State` when an update ran (`updating`, `completed`, `paused`, `rollback_completed`, ...). */
  updateState?: string;
  updateMessage?: string;
}

export interface ObservedSwarmTask {
  id: string;
  serviceId: string;
  /** Compose service name (from the service's `dev.orc.service` label, else its name without `PROJECT_`). */
  service: string;
  /** Replicated services: 1-based slot; absent for global services. */
  slot?: number;
  nodeId?: string;
  /** The node's hostname, when the engine half resolved it. */
  node?: string;
  /** `DesiredState`: `running`, `shutdown`, `complete`, ... */
  desiredState: string;
  /** `Status.State`: `new` … `starting`, `running`, `complete`, `failed`, `rejected`, `shutdown`, `orphaned`. */
  state: string;
  /** `Status.Err`. */
  error?: string;
  /** `Status.Message`. */
  message?: string;
  containerId?: string;
  exitCode?: number;
  /** `Status.Timestamp` (RFC 3339). */
  timestamp?: string;
  /** Published ports of the task (`Status.PortStatus.Ports`, host mode). */
  ports: Array<{ protocol: string; targetPort: number; publishedPort?: number; publishMode: string }>;
}

export interface ObservedSwarmNetwork {
  id: string;
  name: string;
  labels: Record<string, string>;
  driver?: string;
  scope?: string;
}

/** A secret or a config. */
export interface ObservedSwarmObject {
  id: string;
  name: string;
  labels: Record<string, string>;
  version: number;
}

/* --------------------------------- operations --------------------------------- */

export type SwarmOpId = string;

interface SwarmOpBase {
  /** Unique in the plan, stable for the same inputs (e.g. `create-service:demo_web`). */
  id: SwarmOpId;
  /** Operations that must finish (successfully) before this one starts. */
  after: SwarmOpId[];
  /** Why: `missing`, `config differs: environment.GREETING`, `changed on the cluster: deploy.replicas`, `orphan`, ... */
  cause: string;
  /** Compose service the op belongs to, when any. */
  service?: string;
}

export type SwarmOperation =
  | (SwarmOpBase & { kind: 'create-network'; name: string; key: string; body: SwarmNetworkCreateBody })
  | (SwarmOpBase & { kind: 'remove-network'; name: string; networkId: string })
  /** `data` goes into the create body's `Data`; it is never rendered. */
  | (SwarmOpBase & {
      kind: 'create-secret';
      name: string;
      key: string;
      spec: SwarmFileSpec;
      data: SwarmFileData;
    })
  | (SwarmOpBase & { kind: 'remove-secret'; name: string; secretId: string })
  | (SwarmOpBase & {
      kind: 'create-config';
      name: string;
      key: string;
      spec: SwarmFileSpec;
      data: SwarmFileData;
    })
  | (SwarmOpBase & { kind: 'remove-config'; name: string; configId: string })
  /**
   * The performer binds `SecretID`/`ConfigID` (and may bind network ids) by name right before the call
   * (`bindSwarmReferences`), and forwards the registry auth of `spec`'s image.
   */
  | (SwarmOpBase & { kind: 'create-service'; name: string; spec: SwarmServiceSpec })
  | (SwarmOpBase & {
      kind: 'update-service';
      name: string;
      serviceId: string;
      /** The observed `Version.Index`; a stale one makes the engine refuse (plan again). */
      version: number;
      spec: SwarmServiceSpec;
      /** The fields that differ (spec paths like `ContainerSpec.Env`, `Mode.Replicated.Replicas`). */
      changed: string[];
    })
  | (SwarmOpBase & { kind: 'remove-service'; name: string; serviceId: string })
  /**
   * Waits until the service has converged: `running` every desired task running, `healthy` running and
   * past its healthcheck (Swarm keeps a task `starting` until then), `completed` a job's tasks all
   * `complete` (exit 0). `required: false`: dependents go on even if it fails.
   */
  | (SwarmOpBase & {
      kind: 'wait-service';
      name: string;
      until: 'running' | 'healthy' | 'completed';
      required: boolean;
    })
  /** `down`: returns when the removed service's tasks (containers) are gone, before its networks go. */
  | (SwarmOpBase & { kind: 'wait-service-gone'; name: string; serviceId: string })
  /** `down -v`: a named volume, on every node that has it (Swarm made one per node). */
  | (SwarmOpBase & { kind: 'remove-volume'; name: string });

export type SwarmOperationKind = SwarmOperation['kind'];

export type SwarmProblemCode =
  | 'EXTERNAL_NETWORK_MISSING'
  | 'EXTERNAL_SECRET_MISSING'
  | 'EXTERNAL_CONFIG_MISSING'
  | 'NAME_CONFLICT'
  | 'UNKNOWN_SERVICE';

export interface SwarmProblem {
  code: SwarmProblemCode;
  message: string;
}

export interface SwarmPlan {
  project: string;
  operations: SwarmOperation[];
  /** Worth telling, not operations (orphans left in place, a service updated by hand, ...). */
  warnings: string[];
  /** The plan must not run while there are problems; `up --dry-run` shows them. */
  problems: SwarmProblem[];
}

export interface SwarmPlanOptions {
  /** Services to converge (plus their dependencies unless `noDeps`); absent = all. */
  services?: string[];
  noDeps?: boolean;
  /** Remove services of the project that the files no longer name. */
  removeOrphans?: boolean;
  /** Services of the project left out by profiles: their services are not orphans. */
  disabledServices?: string[];
  /** `up --wait`: wait for every selected service (running, healthy if it has a healthcheck, jobs completed). */
  wait?: boolean;
  /** `--force-recreate`: update every selected service even when unchanged (bumps `ForceUpdate`). */
  forceUpdate?: boolean;
  /**
   * Images pinned by the engine half after build/push or resolution (`name@sha256:…`), per service:
   * they replace `ContainerSpec.Image`, so every node runs the same bits and a new digest rolls the service.
   */
  images?: Record<string, string>;
  /**
   * `--dry-run`: services whose pinned image is a build not pushed yet (`images` holds its image id in the
   * digest's place); the cause says so rather than naming a digest that does not exist.
   */
  unpushed?: string[];
}

export interface SwarmDownOptions {
  /** `-v`: remove the named volumes (never external ones) on every node. */
  volumes?: boolean;
}
