import type { KeyPath } from '../load/path.js';
import type { Project, Service } from '../model/project.js';
import type { PathProblem } from '../normalize/context.js';
import { completedDependencies, swarmMode } from './modes.js';

/**
 * What a Swarm target does with each key of a compose service. Every key the schema knows is in one of
 * three places (a unit test walks the schema): translated into the `ServiceSpec` (or acted on by orc:
 * order, build and push), reported here when set (an error stops the commands that act on the service,
 * a warning is shown), or reported by the loader already (keys orc carries on no target).
 * docs/swarm-fields.md is this table in prose.
 */

/** Translated keys, with the Swarm field each becomes. */
export const SWARM_TRANSLATED: Readonly<Record<string, string>> = {
  build:
    'built on the manager, pushed to the registry `image` names (client auth), tasks pinned to the digest (an error without a registry in `image`)',
  cap_add: 'ContainerSpec.CapabilityAdd',
  cap_drop: 'ContainerSpec.CapabilityDrop',
  command: 'ContainerSpec.Args',
  configs: 'ContainerSpec.Configs (versioned config objects)',
  cpus: 'TaskTemplate.Resources.Limits.NanoCPUs (unless deploy.resources.limits.cpus)',
  depends_on: 'orc orders creates and updates after wait-service (running, healthy, completed)',
  deploy:
    'Mode, Labels, Resources, RestartPolicy, Placement, UpdateConfig, RollbackConfig, EndpointSpec.Mode',
  dns: 'ContainerSpec.DNSConfig.Nameservers',
  dns_opt: 'ContainerSpec.DNSConfig.Options',
  dns_search: 'ContainerSpec.DNSConfig.Search',
  entrypoint: 'ContainerSpec.Command',
  env_file: 'read by the loader into ContainerSpec.Env',
  environment: 'ContainerSpec.Env',
  expose: 'nothing to do: every port of a task is reachable on its overlay networks',
  extends: 'resolved by the loader',
  extra_hosts: 'ContainerSpec.Hosts ("IP host")',
  group_add: 'ContainerSpec.Groups',
  healthcheck: 'ContainerSpec.Healthcheck (start_interval reported)',
  hostname: 'ContainerSpec.Hostname',
  image: 'ContainerSpec.Image, label com.docker.stack.image',
  init: 'ContainerSpec.Init',
  isolation: 'ContainerSpec.Isolation',
  label_file: 'read by the loader into ContainerSpec.Labels',
  labels: 'ContainerSpec.Labels',
  logging: 'TaskTemplate.LogDriver',
  mem_limit: 'TaskTemplate.Resources.Limits.MemoryBytes (unless deploy.resources.limits.memory)',
  mem_reservation:
    'TaskTemplate.Resources.Reservations.MemoryBytes (unless deploy.resources.reservations.memory)',
  network_mode: '`host`: TaskTemplate.Networks [host]; any other value is an error',
  networks: 'TaskTemplate.Networks (overlay; aliases + the service name); ipv4_address etc. reported',
  pids_limit: 'TaskTemplate.Resources.Limits.Pids (unless deploy.resources.limits.pids)',
  platform: 'TaskTemplate.Placement.Platforms',
  ports: 'EndpointSpec.Ports (PublishMode ingress or host)',
  profiles: 'applied by the loader',
  read_only: 'ContainerSpec.ReadOnly',
  restart: 'TaskTemplate.RestartPolicy when deploy.restart_policy is not set (no → none, always → any)',
  scale: 'Mode.Replicated.Replicas',
  secrets: 'ContainerSpec.Secrets (versioned secret objects)',
  stdin_open: 'ContainerSpec.OpenStdin',
  stop_grace_period: 'ContainerSpec.StopGracePeriod',
  stop_signal: 'ContainerSpec.StopSignal',
  sysctls: 'ContainerSpec.Sysctls',
  tmpfs: 'ContainerSpec.Mounts (type tmpfs)',
  tty: 'ContainerSpec.TTY',
  ulimits: 'ContainerSpec.Ulimits',
  user: 'ContainerSpec.User',
  volumes: 'ContainerSpec.Mounts (volume per node, bind, tmpfs)',
  working_dir: 'ContainerSpec.Dir',
};

export interface SwarmRule {
  severity: 'error' | 'warning';
  /** Why, for the message and docs/swarm-fields.md. */
  why: string;
  hint?: string;
}

/** Keys Swarm has no place for: reported when a service sets them. */
export const SWARM_REPORTED: Readonly<Record<string, SwarmRule>> = {
  annotations: { severity: 'warning', why: 'Swarm has no container annotations', hint: 'use labels' },
  cgroup: { severity: 'warning', why: 'ServiceSpec has no cgroup namespace mode' },
  cgroup_parent: { severity: 'warning', why: 'ServiceSpec has no cgroup parent' },
  container_name: {
    severity: 'warning',
    why: 'Swarm names task containers itself (PROJECT_SERVICE.SLOT.ID)',
    hint: 'reach the service by its name on its networks',
  },
  cpu_shares: { severity: 'warning', why: 'ServiceSpec has no CPU shares', hint: 'use deploy.resources' },
  cpuset: { severity: 'warning', why: 'ServiceSpec has no cpuset' },
  develop: {
    severity: 'warning',
    why: 'develop.watch syncs files into containers of this host; Swarm tasks run on any node',
    hint: 'watch the project on one host (the local target), deploy to Swarm from the result',
  },
  device_cgroup_rules: { severity: 'warning', why: 'ServiceSpec has no device cgroup rules' },
  devices: {
    severity: 'error',
    why: 'Swarm cannot map host devices into tasks',
    hint: 'use deploy.resources.reservations.generic_resources, or run it on one host',
  },
  domainname: { severity: 'warning', why: 'ServiceSpec has no domain name' },
  external_links: { severity: 'warning', why: 'links to containers outside the stack are not made on Swarm' },
  ipc: { severity: 'warning', why: 'ServiceSpec has no IPC mode' },
  links: {
    severity: 'warning',
    why: 'links are not made on Swarm (services reach each other by name on a shared overlay; orc keeps the order)',
    hint: 'for another name, use networks.NET.aliases',
  },
  mac_address: { severity: 'warning', why: 'Swarm assigns MAC addresses' },
  memswap_limit: { severity: 'warning', why: 'ServiceSpec has no swap limit' },
  oom_score_adj: { severity: 'warning', why: 'ServiceSpec has no OOM score (API 1.46+ only)' },
  pid: { severity: 'warning', why: 'ServiceSpec has no PID mode' },
  post_start: {
    severity: 'error',
    why: 'orc runs lifecycle hooks in containers it owns; Swarm owns the tasks',
    hint: 'move the hook into the image entrypoint',
  },
  pre_start: {
    severity: 'error',
    why: 'orc runs pre_start steps as containers on one engine; on Swarm use a replicated-job service',
    hint: 'make the step a service with deploy.mode: replicated-job and depend on it with condition: service_completed_successfully',
  },
  pre_stop: {
    severity: 'error',
    why: 'orc runs lifecycle hooks in containers it owns; Swarm owns the tasks',
    hint: 'handle stop_signal in the process',
  },
  privileged: {
    severity: 'error',
    why: 'Swarm services cannot run privileged',
    hint: 'grant the capabilities it needs with cap_add, or run it on one host',
  },
  provider: { severity: 'error', why: 'provider services are run by a binary on one host, not by Swarm' },
  pull_policy: {
    severity: 'warning',
    why: 'each node pulls the image (pinned to a digest) when a task lands there',
  },
  runtime: { severity: 'warning', why: 'ServiceSpec has no OCI runtime choice' },
  security_opt: { severity: 'warning', why: 'ServiceSpec has no security options (beyond Privileges)' },
  shm_size: { severity: 'warning', why: 'ServiceSpec has no shm size', hint: 'mount a tmpfs at /dev/shm' },
  storage_opt: { severity: 'warning', why: 'ServiceSpec has no storage options' },
  userns_mode: { severity: 'warning', why: 'ServiceSpec has no user namespace mode' },
  uts: { severity: 'warning', why: 'ServiceSpec has no UTS mode' },
  volumes_from: {
    severity: 'error',
    why: "tasks of one service land on other nodes than another's: they cannot share volumes by container",
    hint: 'mount the same named volume in both services',
  },
};

/**
 * What Swarm cannot do in this project, by field: errors (a ServiceProblem of their service: they stop
 * `up` of that service, never `ps` or `down`) and warnings. Located by the loader when the target is
 * swarm (`LoadOptions.target` or `x-orc: {target: swarm}`); the translation refuses the same errors.
 */
export function swarmProblems(project: Project): PathProblem[] {
  const out: PathProblem[] = [];
  const jobs = completedDependencies(project);
  for (const name of Object.keys(project.services).sort()) {
    const service = project.services[name] as Service;
    const report = (path: KeyPath, rule: SwarmRule, what: string, at: 'key' | 'value' = 'key') => {
      out.push({
        code: 'NOT_SUPPORTED',
        message: `${what}: not on a swarm target: ${rule.why}`,
        path: ['services', name, ...path],
        at,
        ...(rule.hint ? { hint: rule.hint } : {}),
        ...(rule.severity === 'warning' ? { severity: 'warning' } : { services: [name] }),
      });
    };
    for (const key of Object.keys(SWARM_REPORTED).sort()) {
      // With build:, pull_policy decides when the manager builds (swarm/images.ts): it is honoured.
      if (key === 'pull_policy' && service.build) continue;
      if (isSet((service as unknown as Record<string, unknown>)[key]))
        report([key], SWARM_REPORTED[key] as SwarmRule, `"${key}"`);
    }
    fieldProblems(service, jobs.has(name), report);
    const engineName = `${project.name}_${name}`;
    if (engineName.length > SERVICE_NAME_MAX) {
      out.push({
        code: 'NOT_SUPPORTED',
        message: `service "${name}": its Swarm name ${engineName} is longer than ${SERVICE_NAME_MAX} characters (a DNS label)`,
        path: ['services', name],
        at: 'key',
        hint: 'shorten the service or the project name (-p)',
        services: [name],
      });
    }
  }
  for (const key of Object.keys(project.networks ?? {}).sort()) {
    const network = project.networks[key];
    if (!network || network.external) continue;
    if (network.driver === 'bridge') {
      out.push({
        code: 'NOT_SUPPORTED',
        severity: 'warning',
        path: ['networks', key, 'driver'],
        message: `network "${key}": a bridge network is local to one engine; on a swarm target orc creates it as overlay`,
        hint: 'remove driver (overlay is the default on swarm), or set driver: overlay',
      });
    }
  }
  return out;
}

/** The first path component is a registry when it has a `.` or `:` or is `localhost` (the reference grammar). */
function namesRegistry(image: string): boolean {
  const slash = image.indexOf('/');
  if (slash < 0) return false;
  const first = image.slice(0, slash);
  return first.includes('.') || first.includes(':') || first === 'localhost';
}

/** Swarm names a service as a DNS label. */
const SERVICE_NAME_MAX = 63;

type Report = (path: KeyPath, rule: SwarmRule, what: string, at?: 'key' | 'value') => void;

/** Parts of translated keys that Swarm cannot do. */
function fieldProblems(service: Service, job: boolean, report: Report): void {
  const err = (why: string, hint?: string): SwarmRule => ({
    severity: 'error',
    why,
    ...(hint ? { hint } : {}),
  });
  const warn = (why: string, hint?: string): SwarmRule => ({
    severity: 'warning',
    why,
    ...(hint ? { hint } : {}),
  });
  if (service.build && !service.image) {
    report(
      ['build'],
      err(
        'every node pulls the image from a registry, and no `image` says which one to push to',
        'add `image: REGISTRY/NAME:TAG` (a registry every node reaches, e.g. registry.example.com:5000/app:1)',
      ),
      'build without image',
    );
  } else if (service.build && service.image && !namesRegistry(service.image)) {
    report(
      ['image'],
      err(
        `orc pushes what it builds to the registry \`image\` names, and "${service.image}" names none (it would go to Docker Hub)`,
        `name the registry every node pulls from: image: registry.example.com:5000/${service.image} (docker.io/USER/NAME for Docker Hub)`,
      ),
      'build with an image that names no registry',
      'value',
    );
  }
  if (service.network_mode !== undefined && service.network_mode !== 'host') {
    report(
      ['network_mode'],
      err(
        'a task joins overlay networks (or host); it cannot share another container’s network or run without one',
        'use networks',
      ),
      `network_mode "${service.network_mode}"`,
      'value',
    );
  }
  for (const [dep, d] of Object.entries(service.depends_on ?? {})) {
    if (d.restart) {
      report(
        ['depends_on', dep, 'restart'],
        warn(
          'Swarm restarts tasks on its own; orc orders creates and updates, it does not restart dependents',
        ),
        'depends_on restart: true',
      );
    }
  }
  if (job && service.deploy?.mode === undefined) {
    report(
      ['deploy'],
      warn(
        'a service another waits on to complete runs as deploy.mode: replicated-job (it would restart forever otherwise)',
      ),
      `service "${service.name}" becomes a replicated-job`,
    );
  }
  if (job && service.deploy?.mode === 'replicated') {
    report(
      ['deploy', 'mode'],
      warn(
        'a replicated service never completes: orc waits for it to run',
        'use deploy.mode: replicated-job',
      ),
      `service "${service.name}" is waited on to complete`,
      'value',
    );
  }
  const mode = swarmMode(service, job);
  if (mode.startsWith('global')) {
    if (service.deploy?.replicas !== undefined || service.scale !== undefined) {
      report(
        [
          service.deploy?.replicas !== undefined ? 'deploy' : 'scale',
          ...(service.deploy?.replicas !== undefined ? ['replicas'] : []),
        ],
        warn('a global service runs one task on each node'),
        'replicas of a global service',
      );
    }
    if (service.deploy?.placement?.max_replicas_per_node !== undefined) {
      report(
        ['deploy', 'placement', 'max_replicas_per_node'],
        warn('a global service runs one task on each node'),
        'max_replicas_per_node of a global service',
      );
    }
  }
  if (mode.endsWith('-job')) {
    for (const key of ['update_config', 'rollback_config'] as const) {
      if (service.deploy?.[key])
        report(['deploy', key], warn('Swarm takes no update or rollback config for jobs'), key);
    }
  }
  if (
    service.deploy?.mode &&
    !['replicated', 'global', 'replicated-job', 'global-job'].includes(service.deploy.mode)
  ) {
    report(
      ['deploy', 'mode'],
      err('modes are replicated, global, replicated-job, global-job'),
      `deploy.mode "${service.deploy.mode}"`,
      'value',
    );
  }
  const endpointMode = service.deploy?.endpoint_mode;
  if (endpointMode && endpointMode !== 'vip' && endpointMode !== 'dnsrr') {
    report(
      ['deploy', 'endpoint_mode'],
      err('endpoint modes are vip and dnsrr'),
      `endpoint_mode "${endpointMode}"`,
      'value',
    );
  }
  if (service.deploy?.resources?.reservations?.devices?.length) {
    report(
      ['deploy', 'resources', 'reservations', 'devices'],
      err('Swarm has no device requests', 'use generic_resources with nodes that advertise them'),
      'device reservations',
    );
  }
  for (const key of ['limits', 'reservations'] as const) {
    const r = service.deploy?.resources?.[key];
    if (key === 'reservations' && r?.pids !== undefined)
      report(['deploy', 'resources', key, 'pids'], warn('Swarm reserves no pids'), 'pids reservation');
    if (key === 'limits' && r?.generic_resources?.length)
      report(
        ['deploy', 'resources', key, 'generic_resources'],
        warn('generic resources are reserved, not limited'),
        'generic_resources limit',
      );
  }
  if (service.healthcheck?.start_interval !== undefined) {
    report(
      ['healthcheck', 'start_interval'],
      warn('Healthcheck.StartInterval needs Engine API 1.44'),
      'start_interval',
    );
  }
  (service.ports ?? []).forEach((p, i) => {
    if (p.published?.includes('-')) {
      report(
        ['ports', i],
        err('Swarm publishes one port per target, not a range', 'name one published port'),
        'a published port range',
        'value',
      );
    }
    if (p.host_ip)
      report(['ports', i, 'host_ip'], warn('Swarm publishes on every address of a node'), 'host_ip');
    if (p.app_protocol)
      report(['ports', i, 'app_protocol'], warn('Swarm has no application protocol'), 'app_protocol');
    if (p.mode === 'ingress' && endpointMode === 'dnsrr') {
      report(
        ['ports', i],
        err(
          'ingress ports need a virtual IP (endpoint_mode: vip)',
          'publish it with mode: host, or use endpoint_mode: vip',
        ),
        'an ingress port with endpoint_mode dnsrr',
        'value',
      );
    }
  });
  (service.volumes ?? []).forEach((v, i) => {
    if (v.type !== 'bind' && v.type !== 'volume' && v.type !== 'tmpfs') {
      report(
        ['volumes', i],
        err(`Swarm mounts bind, volume and tmpfs, not ${v.type}`),
        `a ${v.type} mount`,
        'value',
      );
    }
    if (v.type === 'bind') {
      report(
        ['volumes', i],
        warn(
          'a bind mount needs its host path on every node a task can land on',
          'add a placement constraint, or use a named volume',
        ),
        'a bind mount',
        'value',
      );
      if (v.bind?.create_host_path === false || v.bind?.selinux)
        report(
          ['volumes', i, 'bind'],
          warn('Swarm has no create_host_path or selinux relabel option'),
          'bind options',
        );
    }
    if (v.volume?.subpath)
      report(['volumes', i, 'volume', 'subpath'], warn('volume subpaths need Engine API 1.45'), 'subpath');
  });
  (service.tmpfs ?? []).forEach((entry, i) => {
    if (entry.includes(':'))
      report(
        ['tmpfs', i],
        warn('tmpfs options in the short form are not read; use a tmpfs volume with tmpfs.size'),
        'tmpfs options',
        'value',
      );
  });
  for (const [key, attachment] of Object.entries(service.networks ?? {})) {
    if (!attachment) continue;
    for (const field of [
      'ipv4_address',
      'ipv6_address',
      'link_local_ips',
      'mac_address',
      'gw_priority',
    ] as const) {
      if (!isSet(attachment[field])) continue;
      report(
        ['networks', key, field],
        warn(
          field === 'gw_priority'
            ? 'Swarm picks the gateway network itself'
            : 'Swarm assigns addresses on overlay networks',
        ),
        field,
      );
    }
  }
}

function isSet(v: unknown): boolean {
  if (v === undefined || v === null) return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object') return Object.keys(v as object).length > 0;
  return true;
}
