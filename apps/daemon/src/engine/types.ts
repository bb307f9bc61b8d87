/**
 * The subset of Engine API (v1.41) responses orc reads, typed as the engine spells them.
 * Declared here so no module outside `engine/` needs dockerode's own (looser) types.
 */

export interface EngineContainerListItem {
  Id: string;
  Names: string[];
  Image: string;
  ImageID: string;
  Command: string;
  /** Unix seconds. */
  Created: number;
  Ports: Array<{ IP?: string; PrivatePort: number; PublicPort?: number; Type: string }>;
  Labels: Record<string, string> | null;
  State: string;
  Status: string;
  NetworkSettings?: { Networks?: Record<string, EngineEndpoint> };
  Mounts?: Array<{ Type: string; Name?: string; Source: string; Destination: string }>;
}

export interface EngineEndpoint {
  NetworkID: string;
  Aliases?: string[] | null;
  IPAddress?: string;
  IPAMConfig?: { IPv4Address?: string } | null;
}

export interface EngineHealthLog {
  Start: string;
  End: string;
  ExitCode: number;
  Output: string;
}

export interface EngineContainerDetails {
  Id: string;
  Name: string;
  Created: string;
  Image: string;
  /** The command as run: `Path` with `Args` (what the list prints as `Command`). */
  Path?: string;
  Args?: string[] | null;
  RestartCount: number;
  State: {
    Status: string;
    Running: boolean;
    Paused: boolean;
    Restarting: boolean;
    OOMKilled: boolean;
    Dead: boolean;
    Pid: number;
    ExitCode: number;
    Error: string;
    StartedAt: string;
    FinishedAt: string;
    Health?: { Status: string; FailingStreak: number; Log: EngineHealthLog[] | null };
  };
  Config: {
    Image: string;
    Labels: Record<string, string> | null;
    Cmd?: string[] | null;
    Entrypoint?: string[] | null;
    Tty?: boolean;
    StopSignal?: string;
  };
  HostConfig: Record<string, unknown> & { NetworkMode?: string };
  NetworkSettings: {
    Networks: Record<string, EngineEndpoint> | null;
    Ports?: Record<string, Array<{ HostIp: string; HostPort: string }> | null> | null;
  };
  Mounts: Array<{ Type: string; Name?: string; Source: string; Destination: string }>;
}

export interface EngineNetwork {
  Id: string;
  Name: string;
  Created: string;
  Driver: string;
  Labels: Record<string, string> | null;
  Containers?: Record<string, { Name: string }> | null;
}

export interface EngineVolume {
  Name: string;
  Driver: string;
  Labels: Record<string, string> | null;
  Mountpoint: string;
}

export interface EngineImage {
  Id: string;
  RepoTags: string[] | null;
}

/** One message of `GET /events`. */
export interface EngineEvent {
  Type: 'container' | 'network' | 'volume' | 'image' | string;
  Action: string;
  Actor: { ID: string; Attributes: Record<string, string> };
  time: number;
  timeNano: number;
}

export interface EngineVersion {
  Version: string;
  ApiVersion: string;
}

/** Engine list filters (`{"label": ["a=b"], "name": ["x"]}`). */
export type EngineFilters = Record<string, string[]>;
