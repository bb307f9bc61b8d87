import {
  any,
  bool,
  enumOf,
  int,
  list,
  listOrDict,
  map,
  num,
  obj,
  oneOf,
  type Shape,
  scalar,
  str,
  strOrList,
} from './shape.js';

/**
 * Every key of the Compose Specification with its type, written from the specification's text.
 * Numbers given as strings are accepted where compose accepts them (values often come from `${VAR}`).
 */

const strOrNum = oneOf('a string or a number', str, num);
const duration = strOrNum;
const size = strOrNum;
const intLike = oneOf('an integer', int);
const numLike = oneOf('a number', num);
const fileRef = oneOf(
  'a name or a mapping with source and target',
  str,
  obj({ source: str, target: str, uid: str, gid: str, mode: oneOf('a number or a string', num, str) }),
);
const extraHosts = oneOf('a list of "host:ip" or a mapping', list(str), map(strOrList));
const ulimits = map(
  oneOf('an integer or {soft, hard}', int, obj({ soft: intLike, hard: intLike }, ['soft', 'hard'])),
);
const SERVICE_NAME = /^[a-zA-Z0-9._-]+$/;
const NAME_HINT = 'names use letters, digits, ".", "_" and "-"';

const build: Shape = oneOf(
  'a path or a mapping',
  str,
  obj({
    context: str,
    dockerfile: str,
    dockerfile_inline: str,
    entitlements: list(str),
    args: listOrDict,
    ssh: listOrDict,
    labels: listOrDict,
    cache_from: list(str),
    cache_to: list(str),
    no_cache: bool,
    additional_contexts: listOrDict,
    network: str,
    provenance: oneOf('a string or a boolean', bool, str),
    sbom: oneOf('a string or a boolean', bool, str),
    pull: bool,
    target: str,
    shm_size: size,
    extra_hosts: extraHosts,
    isolation: str,
    privileged: bool,
    secrets: list(fileRef),
    tags: list(str),
    ulimits,
    platforms: list(str),
  }),
);

const resources = obj({
  cpus: strOrNum,
  memory: size,
  pids: intLike,
  devices: list(
    obj({
      capabilities: list(str),
      count: oneOf('an integer or "all"', int, str),
      device_ids: list(str),
      driver: str,
      options: listOrDict,
    }),
  ),
  generic_resources: list(obj({ discrete_resource_spec: obj({ kind: str, value: numLike }) })),
});

const updateConfig = obj({
  parallelism: intLike,
  delay: duration,
  failure_action: str,
  monitor: duration,
  max_failure_ratio: numLike,
  order: enumOf('start-first', 'stop-first'),
});

const deploy = obj({
  mode: str,
  endpoint_mode: str,
  replicas: intLike,
  labels: listOrDict,
  rollback_config: updateConfig,
  update_config: updateConfig,
  resources: obj({ limits: resources, reservations: resources }),
  restart_policy: obj({ condition: str, delay: duration, max_attempts: intLike, window: duration }),
  placement: obj({
    constraints: list(str),
    preferences: list(obj({ spread: str })),
    max_replicas_per_node: intLike,
  }),
});

const healthcheck = obj({
  disable: bool,
  interval: duration,
  retries: numLike,
  test: strOrList,
  timeout: duration,
  start_period: duration,
  start_interval: duration,
});

const serviceVolume = oneOf(
  'a "source:target[:mode]" string or a mapping',
  str,
  obj(
    {
      type: enumOf('bind', 'volume', 'tmpfs', 'npipe', 'cluster', 'image'),
      source: str,
      target: str,
      read_only: bool,
      consistency: str,
      bind: obj({
        propagation: str,
        create_host_path: bool,
        recursive: enumOf('enabled', 'disabled', 'writable', 'readonly'),
        selinux: enumOf('z', 'Z'),
      }),
      volume: obj({ nocopy: bool, subpath: str }),
      tmpfs: obj({ size: size, mode: strOrNum }),
      image: obj({ subpath: str }),
    },
    ['type'],
  ),
);

const port = oneOf(
  'a port number, a "host:container" string or a mapping',
  num,
  str,
  obj({
    name: str,
    mode: str,
    host_ip: str,
    target: intLike,
    published: strOrNum,
    protocol: str,
    app_protocol: str,
  }),
);

const serviceNetworks = oneOf(
  'a list of network names or a mapping',
  list(str),
  map(
    obj({
      aliases: list(str),
      interface_name: str,
      ipv4_address: str,
      ipv6_address: str,
      link_local_ips: list(str),
      mac_address: str,
      driver_opts: map(strOrNum),
      priority: num,
      gw_priority: num,
    }),
  ),
);

const dependsOn = oneOf(
  'a list of service names or a mapping',
  list(str),
  map(
    obj(
      {
        condition: enumOf('service_started', 'service_healthy', 'service_completed_successfully'),
        required: bool,
        restart: bool,
      },
      ['condition'],
    ),
    SERVICE_NAME,
    NAME_HINT,
  ),
);

const envFile = oneOf(
  'a path or a list of paths',
  str,
  list(
    oneOf(
      'a path or {path, required, format}',
      str,
      obj({ path: str, required: bool, format: str }, ['path']),
    ),
  ),
);

const lifecycleHook = list(
  obj({ command: strOrList, user: str, privileged: bool, working_dir: str, environment: listOrDict }, [
    'command',
  ]),
);

// A pre_start step is a container of its own, shaped after the service: these keys complete or replace
// the service's (volumes by target, extra_hosts and environment by key).
const preStartHook = list(
  obj({
    command: strOrList,
    entrypoint: strOrList,
    image: str,
    user: str,
    privileged: bool,
    working_dir: str,
    environment: listOrDict,
    env_file: envFile,
    volumes: list(serviceVolume),
    extra_hosts: extraHosts,
    per_replica: bool,
  }),
);

export const serviceShape: Shape = obj({
  annotations: listOrDict,
  attach: bool,
  build,
  blkio_config: obj({
    device_read_bps: list(obj({ path: str, rate: strOrNum })),
    device_read_iops: list(obj({ path: str, rate: strOrNum })),
    device_write_bps: list(obj({ path: str, rate: strOrNum })),
    device_write_iops: list(obj({ path: str, rate: strOrNum })),
    weight: intLike,
    weight_device: list(obj({ path: str, weight: intLike })),
  }),
  cap_add: list(str),
  cap_drop: list(str),
  cgroup: enumOf('host', 'private'),
  cgroup_parent: str,
  command: strOrList,
  configs: list(fileRef),
  container_name: str,
  cpu_count: intLike,
  cpu_percent: intLike,
  cpu_shares: intLike,
  cpu_quota: strOrNum,
  cpu_period: strOrNum,
  cpu_rt_period: strOrNum,
  cpu_rt_runtime: strOrNum,
  cpus: strOrNum,
  cpuset: str,
  credential_spec: obj({ config: str, file: str, registry: str }),
  depends_on: dependsOn,
  deploy,
  develop: obj({
    watch: list(
      obj(
        {
          path: str,
          action: enumOf('rebuild', 'restart', 'sync', 'sync+restart', 'sync+exec'),
          target: str,
          ignore: strOrList,
          include: strOrList,
          initial_sync: bool,
          exec: obj(
            { command: strOrList, user: str, privileged: bool, working_dir: str, environment: listOrDict },
            ['command'],
          ),
        },
        ['path', 'action'],
      ),
    ),
  }),
  device_cgroup_rules: list(str),
  devices: list(
    oneOf('a device string or a mapping', str, obj({ source: str, target: str, permissions: str })),
  ),
  dns: strOrList,
  dns_opt: list(str),
  dns_search: strOrList,
  domainname: str,
  entrypoint: strOrList,
  env_file: envFile,
  label_file: strOrList,
  environment: listOrDict,
  expose: list(strOrNum),
  extends: oneOf('a service name or {service, file}', str, obj({ service: str, file: str }, ['service'])),
  external_links: list(str),
  extra_hosts: extraHosts,
  gpus: oneOf('"all" or a list', str, list(any)),
  group_add: list(strOrNum),
  healthcheck,
  hostname: str,
  image: str,
  init: bool,
  ipc: str,
  isolation: str,
  labels: listOrDict,
  links: list(str),
  logging: obj({ driver: str, options: map(oneOf('a string or a number', str, num)) }),
  mac_address: str,
  mem_limit: size,
  mem_reservation: size,
  mem_swappiness: intLike,
  memswap_limit: size,
  models: oneOf('a list or a mapping', list(str), map(obj({ endpoint_var: str, model_var: str }))),
  network_mode: str,
  networks: serviceNetworks,
  oom_kill_disable: bool,
  oom_score_adj: intLike,
  pid: str,
  pids_limit: intLike,
  platform: str,
  ports: list(port),
  pre_start: preStartHook,
  post_start: lifecycleHook,
  pre_stop: lifecycleHook,
  privileged: bool,
  profiles: list(str),
  provider: obj({ type: str, options: map(any) }),
  pull_policy: str,
  read_only: bool,
  restart: str,
  runtime: str,
  scale: intLike,
  security_opt: list(str),
  shm_size: size,
  secrets: list(fileRef),
  sysctls: listOrDict,
  stdin_open: bool,
  stop_grace_period: duration,
  stop_signal: str,
  storage_opt: map(scalar),
  tmpfs: strOrList,
  tty: bool,
  ulimits,
  use_api_socket: bool,
  user: str,
  uts: str,
  userns_mode: str,
  volumes: list(serviceVolume),
  volumes_from: list(str),
  working_dir: str,
});

const external = oneOf('true, false or {name}', bool, obj({ name: str }));

const network = obj({
  name: str,
  driver: str,
  driver_opts: map(strOrNum),
  ipam: obj({
    driver: str,
    config: list(obj({ subnet: str, ip_range: str, gateway: str, aux_addresses: map(str) })),
    options: map(str),
  }),
  external,
  internal: bool,
  enable_ipv4: bool,
  enable_ipv6: bool,
  attachable: bool,
  labels: listOrDict,
});

const volume = obj({
  name: str,
  driver: str,
  driver_opts: map(strOrNum),
  external,
  labels: listOrDict,
});

const secret = obj({
  name: str,
  environment: str,
  file: str,
  content: str,
  external,
  labels: listOrDict,
  driver: str,
  driver_opts: map(strOrNum),
  template_driver: str,
});

const include = list(
  oneOf(
    'a path or {path, env_file, project_directory}',
    str,
    obj({ path: strOrList, env_file: strOrList, project_directory: str }, ['path']),
  ),
);

export const composeFileShape: Shape = obj({
  version: strOrNum,
  name: str,
  include,
  services: map(serviceShape, SERVICE_NAME, NAME_HINT),
  networks: map(network),
  volumes: map(volume),
  secrets: map(secret),
  configs: map(secret),
  models: map(obj({ model: str, context_size: intLike, runtime_flags: list(str) })),
});
