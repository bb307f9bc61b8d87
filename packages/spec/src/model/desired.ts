/**
 * The desired state: plain, deterministic data the daemon converges the engine to.
 * Same Project in, same bytes out. Engine bodies are exactly what the Engine API (v1.41+) accepts.
 */
import type { DependencyCondition } from './project.js';

export interface DesiredState {
  project: string;
  working_dir: string;
  config_files: string[];
  networks: DesiredNetwork[];
  volumes: DesiredVolume[];
  /** In a dependency order (dependencies first); ties broken by name. */
  services: DesiredService[];
}

export interface DesiredNetwork {
  /** Compose key, e.g. `default`, `back`. */
  key: string;
  /** Engine name, e.g. `demo_default`. */
  name: string;
  /** External networks are looked up, never created or removed. */
  external: boolean;
  /** `POST /networks/create` body (Name, Driver, Labels, IPAM, Internal, Attachable, EnableIPv6, Options, CheckDuplicate). */
  create: NetworkCreateBody;
  /** Hash of `create` without labels that carry it; stored as the `dev.orc.config-hash` label. */
  hash: string;
}

export interface DesiredVolume {
  key: string;
  name: string;
  external: boolean;
  /** `POST /volumes/create` body. */
  create: VolumeCreateBody;
  hash: string;
}

export interface DesiredDependency {
  condition: DependencyCondition;
  required: boolean;
  restart: boolean;
}

export interface DesiredBuild {
  context: string;
  dockerfile?: string;
  dockerfile_inline?: string;
  args: Record<string, string>;
  /**
   * Names of args written without a value (`args: [FOO]`): the images module takes them from the client's
   * environment at build time, when set there (never from the daemon's own).
   */
  args_from_env?: string[];
  target?: string;
  labels: Record<string, string>;
  network?: string;
  extra_hosts: string[];
  shm_size?: number;
  cache_from: string[];
  no_cache: boolean;
  pull: boolean;
  /** The image name built (`<project>-<service>` unless `image:` is set) and extra `tags`. */
  tags: string[];
  platforms: string[];
}

export interface DesiredService {
  name: string;
  /** Config hash shared by all replicas (label `com.docker.compose.config-hash`). */
  hash: string;
  /** Image reference containers run: `image:`, or `<project>-<service>` when only `build:` is given. */
  image: string;
  build?: DesiredBuild;
  /** `always` | `missing` | `never` | `build` | `daily` | `weekly` | `every_<duration>`; default `missing`. */
  pull_policy: string;
  platform?: string;
  replicas: number;
  depends_on: Record<string, DesiredDependency>;
  /** Network keys and volume keys this service needs (a missing one forces a recreate). */
  networks: string[];
  volumes: string[];
  /** Service names whose containers this one shares a namespace or volumes with (`network_mode: service:x`, `volumes_from`). */
  uses: string[];
  stop_signal?: string;
  /** Seconds; compose default 10. */
  stop_grace_period: number;
  has_healthcheck: boolean;
  /** `deploy.restart_policy`, supervised by the daemon (durations in ms). */
  restart_policy?: {
    condition: 'none' | 'on-failure' | 'any';
    delay_ms: number;
    max_attempts?: number;
    window_ms?: number;
  };
  /** `deploy.update_config` (durations in ms). */
  update_config?: {
    order: 'stop-first' | 'start-first';
    parallelism: number;
    delay_ms: number;
    failure_action: 'continue' | 'rollback' | 'pause';
  };
  /** Published host ports that are fixed (not ephemeral): a start-first update is impossible with them. */
  fixed_host_ports: string[];
  /** `x-orc` extension of the service (e.g. `restart_on_unhealthy: true`). */
  orc: OrcServiceExtension;
  /**
   * The normalised service definition the hash was computed from, as canonical JSON.
   * Stored on the container (label `dev.orc.service-definition`) so a recreate can be explained field by field.
   */
  definition: string;
  containers: DesiredContainer[];
  /** A provider service (`provider:`): no containers; its provider binary sets it up on `up`, down on `down`. */
  provider?: { type: string; options: Record<string, string | string[]> };
  /** Lifecycle hooks; absent when the service declares none. */
  hooks?: DesiredHooks;
}

export interface DesiredHooks {
  /** Hash of the `pre_start` steps (label `dev.orc.pre-start` on the service's containers). */
  pre_start_hash?: string;
  /** Init containers, run in order before the service's first container starts (once per definition). */
  pre_start: DesiredInitStep[];
  /** Run in each container after it starts. */
  post_start: DesiredExecHook[];
  /** Run in each running container before it is stopped. */
  pre_stop: DesiredExecHook[];
}

export interface DesiredInitStep {
  /** 1-based position in `pre_start`. */
  index: number;
  /** `<first replica's name>-pre_start-<index>`. */
  name: string;
  create: ContainerCreateBody;
  endpoints: DesiredEndpoint[];
}

/** An exec in the service's container; the container's own environment is inherited by the engine. */
export interface DesiredExecHook {
  index: number;
  Cmd: string[];
  User?: string;
  Privileged?: boolean;
  WorkingDir?: string;
  Env?: string[];
}

export interface OrcServiceExtension {
  restart_on_unhealthy?: boolean;
}

export interface DesiredEndpoint {
  /** Network key. */
  key: string;
  /** Engine network name. */
  name: string;
  aliases: string[];
  ipv4_address?: string;
  ipv6_address?: string;
  priority: number;
  /**
   * The exact `EndpointConfig` for this network (aliases, IPAM, MAC address, link-local IPs, driver
   * options): the first endpoint's is the one in `create.NetworkingConfig`; use it for `connect` too.
   */
  settings?: EndpointSettingsBody;
}

export interface DesiredContainer {
  service: string;
  /** Replica number, 1-based (label `com.docker.compose.container-number`). */
  number: number;
  /** `<project>-<service>-<n>`, or `container_name`. */
  name: string;
  /**
   * `POST /containers/create` body. NetworkingConfig holds only the first endpoint (engines before
   * API 1.44 accept one): the executor connects `endpoints[1..]` after create, before start.
   * Labels hold compose's labels; the executor adds `com.docker.compose.image` (the image id) at create time.
   */
  create: ContainerCreateBody;
  /** Every network endpoint, highest priority first (the first is the one in `create`). */
  endpoints: DesiredEndpoint[];
  /**
   * Secrets and configs given by value (`content:`, `environment:`): written into the container after it
   * is created and before it starts, owned and moded as declared; gone with the container.
   */
  files?: DesiredFile[];
}

export interface DesiredFile {
  /** Absolute path in the container. */
  target: string;
  content: string;
  mode: number;
  uid: number;
  gid: number;
}

/* ---- Engine API bodies (the subset we produce; names as the Engine API spells them) ---- */

export interface ContainerCreateBody {
  Image: string;
  Cmd?: string[];
  Entrypoint?: string[];
  Env?: string[];
  Labels: Record<string, string>;
  ExposedPorts?: Record<string, Record<string, never>>;
  Hostname?: string;
  Domainname?: string;
  User?: string;
  WorkingDir?: string;
  Tty?: boolean;
  OpenStdin?: boolean;
  AttachStdin?: boolean;
  AttachStdout?: boolean;
  AttachStderr?: boolean;
  StopSignal?: string;
  StopTimeout?: number;
  Healthcheck?: {
    Test?: string[];
    Interval?: number;
    Timeout?: number;
    Retries?: number;
    StartPeriod?: number;
    StartInterval?: number;
  };
  MacAddress?: string;
  HostConfig: HostConfigBody;
  NetworkingConfig?: { EndpointsConfig: Record<string, EndpointSettingsBody> };
}

export interface EndpointSettingsBody {
  Aliases?: string[];
  /** `container:alias` links; on user-defined networks the engine honours them only here, not in HostConfig. */
  Links?: string[];
  IPAMConfig?: { IPv4Address?: string; IPv6Address?: string; LinkLocalIPs?: string[] };
  MacAddress?: string;
  DriverOpts?: Record<string, string>;
}

export interface MountBody {
  Type: 'bind' | 'volume' | 'tmpfs' | 'npipe';
  Source?: string;
  Target: string;
  ReadOnly?: boolean;
  Consistency?: string;
  BindOptions?: { Propagation?: string; CreateMountpoint?: boolean };
  VolumeOptions?: { NoCopy?: boolean; Labels?: Record<string, string>; Subpath?: string };
  TmpfsOptions?: { SizeBytes?: number; Mode?: number };
}

export interface HostConfigBody {
  Binds?: string[];
  Mounts?: MountBody[];
  PortBindings?: Record<string, Array<{ HostIp?: string; HostPort?: string }>>;
  PublishAllPorts?: boolean;
  NetworkMode?: string;
  RestartPolicy?: {
    Name: '' | 'no' | 'always' | 'on-failure' | 'unless-stopped';
    MaximumRetryCount?: number;
  };
  LogConfig?: { Type: string; Config: Record<string, string> };
  Init?: boolean;
  Privileged?: boolean;
  ReadonlyRootfs?: boolean;
  CapAdd?: string[];
  CapDrop?: string[];
  Dns?: string[];
  DnsSearch?: string[];
  DnsOptions?: string[];
  ExtraHosts?: string[];
  IpcMode?: string;
  PidMode?: string;
  ShmSize?: number;
  Sysctls?: Record<string, string>;
  Ulimits?: Array<{ Name: string; Soft: number; Hard: number }>;
  Devices?: Array<{ PathOnHost: string; PathInContainer: string; CgroupPermissions: string }>;
  DeviceCgroupRules?: string[];
  SecurityOpt?: string[];
  Tmpfs?: Record<string, string>;
  VolumesFrom?: string[];
  Links?: string[];
  Memory?: number;
  MemoryReservation?: number;
  MemorySwap?: number;
  NanoCpus?: number;
  CpuShares?: number;
  CpusetCpus?: string;
  PidsLimit?: number;
  OomScoreAdj?: number;
  GroupAdd?: string[];
  Runtime?: string;
  CgroupnsMode?: string;
  CgroupParent?: string;
  UsernsMode?: string;
  UTSMode?: string;
  Isolation?: string;
  StorageOpt?: Record<string, string>;
  /** `deploy.resources.reservations.devices` (GPUs and other device drivers); Count -1 = all. */
  DeviceRequests?: Array<{
    Driver?: string;
    Count?: number;
    DeviceIDs?: string[];
    Capabilities?: string[][];
    Options?: Record<string, string>;
  }>;
}

export interface NetworkCreateBody {
  Name: string;
  CheckDuplicate?: boolean;
  Driver?: string;
  Internal?: boolean;
  Attachable?: boolean;
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

export interface VolumeCreateBody {
  Name: string;
  Driver?: string;
  DriverOpts?: Record<string, string>;
  Labels: Record<string, string>;
}
