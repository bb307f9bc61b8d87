/**
 * Engine API shapes of Swarm mode (v1.41) as the manager returns them: the subset orc reads. Request
 * bodies (service specs, network bodies) are built by the Swarm target's pure half; here they are only
 * passed through.
 */

export interface EngineSwarmVersion {
  Index: number;
}

/** `GET /info`, the Swarm part: is this engine in a swarm, and may it manage it? */
export interface EngineSwarmInfo {
  NodeID: string;
  NodeAddr: string;
  /** `inactive`, `pending`, `active`, `error`, `locked`. */
  LocalNodeState: string;
  /** True on a manager. */
  ControlAvailable: boolean;
  Error: string;
  Nodes?: number;
  Managers?: number;
}

/** `GET /swarm` (managers only). */
export interface EngineSwarm {
  ID: string;
  Version: EngineSwarmVersion;
  CreatedAt: string;
  UpdatedAt: string;
}

/** A service spec as the engine stores it: orc keeps it opaque beyond what it reads. */
export interface EngineServiceSpec {
  Name: string;
  Labels?: Record<string, string>;
  TaskTemplate?: {
    ContainerSpec?: { Image?: string; Labels?: Record<string, string> };
    ForceUpdate?: number;
  };
  Mode?: {
    Replicated?: { Replicas?: number };
    Global?: Record<string, never>;
    ReplicatedJob?: { MaxConcurrent?: number; TotalCompletions?: number };
    GlobalJob?: Record<string, never>;
  };
  EndpointSpec?: {
    Mode?: string;
    Ports?: Array<{ Protocol?: string; TargetPort: number; PublishedPort?: number; PublishMode?: string }>;
  };
}

/** What a create/update body must at least be: a spec with a name (the pure half builds the rest). */
export interface ServiceSpecBody {
  Name?: string;
}

export interface EngineService {
  ID: string;
  Version: EngineSwarmVersion;
  CreatedAt: string;
  UpdatedAt: string;
  Spec: EngineServiceSpec;
  PreviousSpec?: EngineServiceSpec;
  Endpoint?: {
    Ports?: Array<{ Protocol?: string; TargetPort: number; PublishedPort?: number; PublishMode?: string }>;
    VirtualIPs?: Array<{ NetworkID: string; Addr: string }>;
  };
  UpdateStatus?: { State?: string; StartedAt?: string; CompletedAt?: string; Message?: string };
  /** With `?status=true` (API 1.41). */
  ServiceStatus?: { RunningTasks: number; DesiredTasks: number; CompletedTasks?: number };
}

export interface EngineTaskPort {
  Protocol?: string;
  TargetPort: number;
  PublishedPort?: number;
  PublishMode?: string;
}

export interface EngineTask {
  ID: string;
  Version: EngineSwarmVersion;
  CreatedAt: string;
  UpdatedAt: string;
  Labels?: Record<string, string>;
  ServiceID: string;
  Slot?: number;
  NodeID?: string;
  DesiredState: string;
  Status: {
    Timestamp?: string;
    State: string;
    Message?: string;
    Err?: string;
    ContainerStatus?: { ContainerID?: string; PID?: number; ExitCode?: number };
    PortStatus?: { Ports?: EngineTaskPort[] };
  };
  /** The task template the task was made from (compared with the service's to tell current tasks). */
  Spec?: { ContainerSpec?: { Image?: string }; ForceUpdate?: number };
}

export interface EngineNode {
  ID: string;
  Version: EngineSwarmVersion;
  Spec: { Role: string; Availability: string; Labels?: Record<string, string> };
  Description: { Hostname: string };
  /** `State`: `unknown`, `down`, `ready`, `disconnected`. */
  Status: { State: string; Message?: string; Addr?: string };
  ManagerStatus?: { Leader?: boolean; Reachability?: string; Addr?: string };
}

/** A secret or a config (the engine never returns a secret's data). */
export interface EngineSwarmFile {
  ID: string;
  Version: EngineSwarmVersion;
  CreatedAt: string;
  UpdatedAt: string;
  Spec: { Name: string; Labels?: Record<string, string>; Data?: string };
}

/** Body of `POST /secrets/create` and `POST /configs/create`: `Data` is base64. */
export interface SwarmFileCreateBody {
  Name: string;
  Labels?: Record<string, string>;
  Data: string;
  Driver?: { Name: string; Options?: Record<string, string> };
  Templating?: { Name: string; Options?: Record<string, string> };
}

/** Body of `POST /networks/create` for an overlay network (built by the pure half). */
export interface SwarmNetworkBody {
  Name: string;
}
