/**
 * The normalised Compose project: every short syntax already turned into the long one, paths absolute,
 * variables interpolated, files merged, `extends`/`include` resolved, profiles applied.
 *
 * Property names follow the Compose Specification (snake_case) so that `orc config --format json`
 * can print this model as it is, in the shapes `docker compose config` prints. Durations are
 * nanoseconds and byte sizes are bytes (numbers); the renderer turns them back into `1m30s` / `512m`.
 */

import type { ServiceProblem } from './errors.js';

/** `x-*` keys, kept wherever the specification allows them. */
export type Extensions = Record<`x-${string}`, unknown>;

export interface Project {
  name: string;
  /** Absolute project directory (`--project-directory`, else the first file's directory). */
  working_dir: string;
  /** Absolute paths of the files that were loaded, in order (includes excluded). */
  config_files: string[];
  services: Record<string, Service>;
  networks: Record<string, Network>;
  volumes: Record<string, Volume>;
  secrets: Record<string, Secret>;
  configs: Record<string, Config>;
  /** Services left out because none of their profiles is active (by name), for `config --profiles` and messages. */
  disabled_services: Record<string, Service>;
  /** Active profiles after `--profile`, `COMPOSE_PROFILES` and explicitly targeted services. */
  profiles: string[];
  extensions: Extensions;
  /**
   * Problems that fail only the commands selecting their services (see `problemsFor`). Absent when
   * there are none; not part of the compose model (`config` output leaves it out).
   */
  serviceProblems?: ServiceProblem[];
}

export type Protocol = 'tcp' | 'udp' | 'sctp';

export interface ServicePort {
  name?: string;
  mode: 'ingress' | 'host';
  host_ip?: string;
  target: number;
  /** A single port or a range `8000-8010`; absent = engine picks an ephemeral port. */
  published?: string;
  protocol: Protocol;
  app_protocol?: string;
}

export interface ServiceVolume {
  type: 'bind' | 'volume' | 'tmpfs' | 'npipe' | 'cluster' | 'image';
  /** Bind: absolute host path. Volume: the compose volume key (not the engine name); absent = anonymous. */
  source?: string;
  target: string;
  read_only?: boolean;
  consistency?: string;
  bind?: { propagation?: string; create_host_path?: boolean; selinux?: 'z' | 'Z' };
  volume?: { nocopy?: boolean; subpath?: string };
  tmpfs?: { size?: number; mode?: number };
  image?: { subpath?: string };
}

export interface ServiceNetwork {
  aliases?: string[];
  ipv4_address?: string;
  ipv6_address?: string;
  link_local_ips?: string[];
  mac_address?: string;
  driver_opts?: Record<string, string>;
  priority?: number;
  gw_priority?: number;
}

export type DependencyCondition = 'service_started' | 'service_healthy' | 'service_completed_successfully';

export interface ServiceDependency {
  condition: DependencyCondition;
  required: boolean;
  restart: boolean;
}

export interface Healthcheck {
  /** `["NONE"]`, `["CMD", ...]` or `["CMD-SHELL", "..."]`; a string test becomes CMD-SHELL. */
  test?: string[];
  interval?: number;
  timeout?: number;
  retries?: number;
  start_period?: number;
  start_interval?: number;
  disable?: boolean;
}

export interface Logging {
  driver?: string;
  options?: Record<string, string>;
}

export interface BuildConfig {
  /** Absolute directory, or a remote (git/URL) context as written. */
  context: string;
  dockerfile?: string;
  dockerfile_inline?: string;
  /** `null` = take the value from the environment at build time, if set. */
  args?: Record<string, string | null>;
  target?: string;
  labels?: Record<string, string>;
  network?: string;
  extra_hosts?: Record<string, string[]>;
  shm_size?: number;
  cache_from?: string[];
  cache_to?: string[];
  no_cache?: boolean;
  pull?: boolean;
  tags?: string[];
  platforms?: string[];
  secrets?: ServiceFileReference[];
  ssh?: string[];
  isolation?: string;
  privileged?: boolean;
  additional_contexts?: Record<string, string>;
}

export interface RestartPolicy {
  condition?: 'none' | 'on-failure' | 'any';
  delay?: number;
  max_attempts?: number;
  window?: number;
}

export interface UpdateConfig {
  parallelism?: number;
  delay?: number;
  failure_action?: 'continue' | 'rollback' | 'pause';
  monitor?: number;
  max_failure_ratio?: number;
  order?: 'stop-first' | 'start-first';
}

export interface Resources {
  cpus?: number;
  memory?: number;
  pids?: number;
  devices?: Array<Record<string, unknown>>;
  /** Swarm's generic resources (`{discrete_resource_spec: {kind, value}}`); the local engine has none. */
  generic_resources?: Array<{ discrete_resource_spec: { kind: string; value: number } }>;
}

/** An `env_file` entry as written (absolute path): its values are in `environment` already. */
export interface EnvFileRef {
  path: string;
  /** Only `false` is kept (true is the default). */
  required?: false;
  format?: string;
}

export interface Deploy {
  mode?: string;
  replicas?: number;
  labels?: Record<string, string>;
  resources?: { limits?: Resources; reservations?: Resources };
  restart_policy?: RestartPolicy;
  update_config?: UpdateConfig;
  rollback_config?: UpdateConfig;
  placement?: Record<string, unknown>;
  endpoint_mode?: string;
}

export interface ServiceFileReference {
  source: string;
  target?: string;
  uid?: string;
  gid?: string;
  mode?: number;
}

export interface Ulimit {
  soft: number;
  hard: number;
}

/**
 * A lifecycle hook: `post_start` / `pre_stop` run it inside the service's container (exec); a `pre_start`
 * step runs it in a container of its own (an init container) before the service's container starts.
 */
export interface LifecycleHook {
  /** Exec form; a string in the file is split as shell words, as `command:` is. Absent: the image's. */
  command?: string[];
  user?: string;
  privileged?: boolean;
  working_dir?: string;
  /** Added to the service's environment (wins over it). */
  environment?: Record<string, string | null>;
}

/**
 * A `pre_start` step, run as a container shaped after the service: `image` defaults to the service's,
 * `entrypoint` to the image's; `volumes` complete the service's (by target), `extra_hosts` and
 * `environment` (with `env_file` read into it) theirs (by key).
 */
export interface PreStartHook extends LifecycleHook {
  image?: string;
  entrypoint?: string[];
  volumes?: ServiceVolume[];
  extra_hosts?: Record<string, string[]>;
  /** compose's per-replica mode; orc runs the steps once for the service (warned). */
  per_replica?: boolean;
}

/**
 * `provider:` a service that is not a container: an external binary (or a docker CLI plugin) sets it up
 * and takes it down (`<type> compose --project-name P up --opt=value … SERVICE`).
 */
export interface ServiceProvider {
  type: string;
  /** Each option becomes `--key=value`; a list repeats the flag. */
  options: Record<string, string | string[]>;
}

/** `develop.watch[].action`: what a change under the rule's path does (compose's watch). */
export type WatchAction = 'rebuild' | 'restart' | 'sync' | 'sync+restart' | 'sync+exec';

/** One `develop.watch` rule, normalised: `path` absolute on the host, `target` absolute in the container. */
export interface WatchRule {
  path: string;
  action: WatchAction;
  /** Where `path` lands in the container (the sync actions). */
  target?: string;
  /** `.dockerignore` patterns, relative to `path` (the build context's `.dockerignore` is added at watch time). */
  ignore?: string[];
  /** Only files matching one of these (same syntax) count; absent = every file. */
  include?: string[];
  /** Sync the whole path once when watching starts (the sync actions). */
  initial_sync?: boolean;
  /** `sync+exec`: the command run in each container after a sync. */
  exec?: LifecycleHook;
}

export interface Develop {
  watch: WatchRule[];
}

export interface Service {
  name: string;
  image?: string;
  build?: BuildConfig;
  pull_policy?: string;
  platform?: string;
  command?: string[] | null;
  entrypoint?: string[] | null;
  /** `null` = the variable is passed only if set in the environment of the container runtime. */
  environment: Record<string, string | null>;
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  ports: ServicePort[];
  expose: string[];
  volumes: ServiceVolume[];
  tmpfs?: string[];
  /** Compose network key → attachment. Absent `network_mode` and no networks = `{ default: null }`. */
  networks: Record<string, ServiceNetwork | null>;
  network_mode?: string;
  depends_on: Record<string, ServiceDependency>;
  links?: string[];
  external_links?: string[];
  volumes_from?: string[];
  restart?: string;
  healthcheck?: Healthcheck;
  logging?: Logging;
  container_name?: string;
  hostname?: string;
  domainname?: string;
  user?: string;
  working_dir?: string;
  init?: boolean;
  privileged?: boolean;
  read_only?: boolean;
  tty?: boolean;
  stdin_open?: boolean;
  cap_add?: string[];
  cap_drop?: string[];
  dns?: string[];
  dns_search?: string[];
  dns_opt?: string[];
  extra_hosts?: Record<string, string[]>;
  ipc?: string;
  pid?: string;
  shm_size?: number;
  sysctls?: Record<string, string>;
  ulimits?: Record<string, Ulimit>;
  devices?: Array<{ source: string; target: string; permissions?: string }>;
  security_opt?: string[];
  secrets?: ServiceFileReference[];
  configs?: ServiceFileReference[];
  stop_grace_period?: number;
  stop_signal?: string;
  deploy?: Deploy;
  /** `scale` and `deploy.replicas` reconciled into one number (default 1). */
  scale?: number;
  profiles?: string[];
  mem_limit?: number;
  mem_reservation?: number;
  memswap_limit?: number;
  cpus?: number;
  cpu_shares?: number;
  cpuset?: string;
  pids_limit?: number;
  oom_score_adj?: number;
  group_add?: string[];
  mac_address?: string;
  runtime?: string;
  cgroup?: string;
  cgroup_parent?: string;
  userns_mode?: string;
  uts?: string;
  isolation?: string;
  storage_opt?: Record<string, string>;
  /** The files `environment` and `labels` were read from (absolute), for `config` to show. */
  env_file?: EnvFileRef[];
  label_file?: string[];
  device_cgroup_rules?: string[];
  provider?: ServiceProvider;
  pre_start?: PreStartHook[];
  post_start?: LifecycleHook[];
  pre_stop?: LifecycleHook[];
  develop?: Develop;
  extensions: Extensions;
}

export interface IpamConfig {
  subnet?: string;
  ip_range?: string;
  gateway?: string;
  aux_addresses?: Record<string, string>;
}

export interface Network {
  /** Engine name: `<project>_<key>`, or `name:` as given (external or not). */
  name: string;
  driver?: string;
  driver_opts?: Record<string, string>;
  ipam?: { driver?: string; config?: IpamConfig[]; options?: Record<string, string> };
  external?: boolean;
  internal?: boolean;
  attachable?: boolean;
  enable_ipv6?: boolean;
  labels: Record<string, string>;
  extensions: Extensions;
}

export interface Volume {
  /** Engine name: `<project>_<key>`, or `name:` as given. */
  name: string;
  driver?: string;
  driver_opts?: Record<string, string>;
  external?: boolean;
  labels: Record<string, string>;
  extensions: Extensions;
}

export interface Secret {
  name: string;
  file?: string;
  environment?: string;
  content?: string;
  /**
   * The value of `environment`, read from the environment the project was loaded with (compose reads it
   * then too). Never rendered: `config` shows the variable's name.
   */
  environment_value?: string;
  external?: boolean;
  labels?: Record<string, string>;
  extensions: Extensions;
}

export type Config = Secret;
