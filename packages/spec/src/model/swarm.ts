/**
 * The desired state of a project on a Swarm target: plain, deterministic data, like `DesiredState` for
 * one host. Engine bodies are the Engine API's (v1.41) `ServiceSpec`, network create, secret and config
 * create shapes, with names and labels as `docker stack deploy` makes them, so `docker stack services
 * PROJECT` lists what orc deploys.
 */
import type { DesiredBuild, DesiredDependency } from './desired.js';

/** Where a project runs: the local engine (containers) or a Swarm cluster (services). */
export type Target = 'local' | 'swarm';

export interface DesiredSwarm {
  project: string;
  working_dir: string;
  config_files: string[];
  /** Overlay networks the services use (`PROJECT_default` included when used), by key. */
  networks: DesiredSwarmNetwork[];
  /** Named volumes: Swarm creates them on each node a task lands on (mount VolumeOptions); `down -v` removes them. */
  volumes: DesiredSwarmVolume[];
  /** Secrets and configs under VERSIONED names: a changed value is a new object, and its users roll. */
  secrets: DesiredSwarmFile[];
  configs: DesiredSwarmFile[];
  /** In a dependency order (dependencies first); ties broken by name. */
  services: DesiredSwarmService[];
}

export type SwarmServiceMode = 'replicated' | 'global' | 'replicated-job' | 'global-job';

export interface DesiredSwarmService {
  /** Compose service name (`web`). */
  name: string;
  /** Engine name, `PROJECT_SERVICE` as `docker stack deploy` names it (= `spec.Name`). */
  engineName: string;
  mode: SwarmServiceMode;
  /** Replicas (replicated), total completions (replicated-job); 0 for global modes. */
  replicas: number;
  /** The image the tasks run (`image:`); `build:` needs it to name the registry it is pushed to. */
  image: string;
  /** Set when the service has `build:`: the engine half builds and pushes `image` before creating it. */
  build?: DesiredBuild;
  /** Ordering and health gates orc adds (docker stack deploy has none). */
  depends_on: Record<string, DesiredDependency>;
  has_healthcheck: boolean;
  /**
   * The complete `POST /services/create` (and `/services/{id}/update`) body. Secret and config
   * references carry their (versioned) names with empty `SecretID`/`ConfigID`: the performer binds
   * the ids by name right before the call (`bindSwarmReferences` in the daemon's swarm/).
   */
  spec: SwarmServiceSpec;
  /** Hash of `spec` without the label that carries it (`dev.orc.config-hash` on the service). */
  hash: string;
  /** Engine names of the networks, secrets and configs the service uses (for ordering and removal). */
  networks: string[];
  secrets: string[];
  configs: string[];
}

export interface DesiredSwarmNetwork {
  /** Compose key (`default`, `back`). */
  key: string;
  /** Engine name (`PROJECT_default`, or `name:`). */
  name: string;
  /** Looked up by name, never created or removed. */
  external: boolean;
  create: SwarmNetworkCreateBody;
  /** Hash of `create` without the label that carries it. */
  hash: string;
}

export interface DesiredSwarmVolume {
  key: string;
  name: string;
  external: boolean;
  driver?: string;
  driver_opts?: Record<string, string>;
  labels: Record<string, string>;
}

/** A secret or a config. */
export interface DesiredSwarmFile {
  kind: 'secret' | 'config';
  /** Compose key under `secrets:` / `configs:`. */
  key: string;
  /**
   * Engine name: `PROJECT_KEY_<hash12>` (or `NAME_<hash12>` for `name:`), the hash being of the value,
   * so a changed value gives a new object; external ones keep their name as given.
   */
  name: string;
  external: boolean;
  /** sha256 hex of the value (absent for external ones). Label `dev.orc.config-hash`. */
  hash?: string;
  /** The create body without its data: `{Name, Labels}` (+ `Templating` for a config's template_driver). */
  spec: SwarmFileSpec;
  /**
   * The value, base64 (`Data` of the create body). Never rendered, never logged, never in a plan's text:
   * the performer adds it to `spec` only in the create call. Absent for external ones.
   */
  data?: SwarmFileData;
}

export interface SwarmFileData {
  base64: string;
}

export interface SwarmFileSpec {
  Name: string;
  Labels: Record<string, string>;
  Driver?: { Name: string; Options?: Record<string, string> };
  Templating?: { Name: string; Options?: Record<string, string> };
}

/* ---- Engine API 1.41 bodies (the subset orc produces; names as the Engine API spells them) ---- */

export interface SwarmServiceSpec {
  Name: string;
  Labels: Record<string, string>;
  TaskTemplate: SwarmTaskTemplate;
  Mode: SwarmModeBody;
  UpdateConfig?: SwarmUpdateConfig;
  RollbackConfig?: SwarmUpdateConfig;
  EndpointSpec?: SwarmEndpointSpec;
}

export type SwarmModeBody =
  | { Replicated: { Replicas: number } }
  | { Global: Record<string, never> }
  | { ReplicatedJob: { MaxConcurrent: number; TotalCompletions: number } }
  | { GlobalJob: Record<string, never> };

export interface SwarmTaskTemplate {
  ContainerSpec: SwarmContainerSpec;
  Resources?: {
    Limits?: { NanoCPUs?: number; MemoryBytes?: number; Pids?: number };
    Reservations?: {
      NanoCPUs?: number;
      MemoryBytes?: number;
      GenericResources?: Array<{ DiscreteResourceSpec: { Kind: string; Value: number } }>;
    };
  };
  RestartPolicy?: {
    Condition?: 'none' | 'on-failure' | 'any';
    /** Nanoseconds. */
    Delay?: number;
    MaxAttempts?: number;
    /** Nanoseconds. */
    Window?: number;
  };
  Placement?: {
    Constraints?: string[];
    Preferences?: Array<{ Spread: { SpreadDescriptor: string } }>;
    MaxReplicas?: number;
    /** `platform:` (`linux/arm64`): only nodes of that OS and architecture. */
    Platforms?: Array<{ OS: string; Architecture?: string }>;
  };
  /** Target: the network's engine name (the engine resolves names to ids; the performer may bind ids). */
  Networks?: Array<{ Target: string; Aliases?: string[]; DriverOpts?: Record<string, string> }>;
  LogDriver?: { Name: string; Options?: Record<string, string> };
  /** Bumped to force an update with the same spec (`up --force-recreate`). */
  ForceUpdate?: number;
}

export interface SwarmContainerSpec {
  Image: string;
  Labels?: Record<string, string>;
  /** compose `entrypoint`. */
  Command?: string[];
  /** compose `command`. */
  Args?: string[];
  Hostname?: string;
  Env?: string[];
  Dir?: string;
  User?: string;
  Groups?: string[];
  TTY?: boolean;
  OpenStdin?: boolean;
  ReadOnly?: boolean;
  Mounts?: SwarmMount[];
  StopSignal?: string;
  /** Nanoseconds. */
  StopGracePeriod?: number;
  HealthCheck?: {
    Test?: string[];
    Interval?: number;
    Timeout?: number;
    Retries?: number;
    StartPeriod?: number;
  };
  Hosts?: string[];
  DNSConfig?: { Nameservers?: string[]; Search?: string[]; Options?: string[] };
  Secrets?: SwarmSecretReference[];
  Configs?: SwarmConfigReference[];
  Isolation?: string;
  Init?: boolean;
  Sysctls?: Record<string, string>;
  CapabilityAdd?: string[];
  CapabilityDrop?: string[];
  Ulimits?: Array<{ Name: string; Soft: number; Hard: number }>;
}

export interface SwarmMount {
  Type: 'bind' | 'volume' | 'tmpfs';
  Source?: string;
  Target: string;
  ReadOnly?: boolean;
  Consistency?: string;
  BindOptions?: { Propagation?: string; CreateMountpoint?: boolean };
  VolumeOptions?: {
    NoCopy?: boolean;
    Labels?: Record<string, string>;
    DriverConfig?: { Name?: string; Options?: Record<string, string> };
  };
  TmpfsOptions?: { SizeBytes?: number; Mode?: number };
}

export interface SwarmFileTarget {
  Name: string;
  UID: string;
  GID: string;
  Mode: number;
}

export interface SwarmSecretReference {
  File: SwarmFileTarget;
  /** Empty in the desired spec: bound by name right before the engine call. */
  SecretID: string;
  SecretName: string;
}

export interface SwarmConfigReference {
  File: SwarmFileTarget;
  ConfigID: string;
  ConfigName: string;
}

export interface SwarmUpdateConfig {
  Parallelism?: number;
  /** Nanoseconds. */
  Delay?: number;
  FailureAction?: 'continue' | 'pause' | 'rollback';
  /** Nanoseconds. */
  Monitor?: number;
  MaxFailureRatio?: number;
  Order?: 'stop-first' | 'start-first';
}

export interface SwarmEndpointSpec {
  Mode?: 'vip' | 'dnsrr';
  Ports?: SwarmPortConfig[];
}

export interface SwarmPortConfig {
  Name?: string;
  Protocol: 'tcp' | 'udp' | 'sctp';
  TargetPort: number;
  /** Absent: Swarm picks one (ingress) or the engine does (host). */
  PublishedPort?: number;
  PublishMode: 'ingress' | 'host';
}

export interface SwarmNetworkCreateBody {
  Name: string;
  CheckDuplicate: boolean;
  /** `overlay` unless the file names a swarm-scoped driver. */
  Driver: string;
  Scope: 'swarm';
  Attachable?: boolean;
  Internal?: boolean;
  EnableIPv6?: boolean;
  IPAM?: {
    Driver?: string;
    Config?: Array<{
      Subnet?: string;
      IPRange?: string;
      Gateway?: string;
      AuxiliaryAddresses?: Record<string, string>;
    }>;
    Options?: Record<string, string>;
  };
  Options?: Record<string, string>;
  Labels: Record<string, string>;
}
