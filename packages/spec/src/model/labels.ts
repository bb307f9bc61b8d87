/** Labels as compose v2 writes them, so `docker compose ps` sees our containers; `dev.orc.*` are ours alone. */
export const Labels = {
  project: 'com.docker.compose.project',
  service: 'com.docker.compose.service',
  containerNumber: 'com.docker.compose.container-number',
  oneoff: 'com.docker.compose.oneoff',
  configHash: 'com.docker.compose.config-hash',
  image: 'com.docker.compose.image',
  dependsOn: 'com.docker.compose.depends_on',
  workingDir: 'com.docker.compose.project.working_dir',
  configFiles: 'com.docker.compose.project.config_files',
  environmentFile: 'com.docker.compose.project.environment_file',
  version: 'com.docker.compose.version',
  network: 'com.docker.compose.network',
  volume: 'com.docker.compose.volume',
  /** compose v2 marks a replacement created under a temporary name with the id of the container it replaces. */
  replace: 'com.docker.compose.replace',
  orcManaged: 'dev.orc.managed',
  orcVersion: 'dev.orc.version',
  orcConfigHash: 'dev.orc.config-hash',
  orcDefinition: 'dev.orc.service-definition',
  /** On a service's containers: the hash of the `pre_start` steps they start after (run once per definition). */
  orcPreStart: 'dev.orc.pre-start',
  /** On an init container: `pre_start`, and which step (`dev.orc.hook-index`, 1-based). */
  orcHook: 'dev.orc.hook',
  orcHookIndex: 'dev.orc.hook-index',
} as const;

/** The compose version we claim in `com.docker.compose.version` (the format compose's own tools parse). */
export const COMPOSE_COMPAT_VERSION = '2.30.0';
export const ORC_VERSION = '0.1.0';

/**
 * Labels of a project's Swarm objects (services, networks, secrets, configs). `docker stack` finds a
 * stack by `com.docker.stack.namespace`; compose's container labels are never put on task containers,
 * so the local target never mistakes a task for one of its containers.
 */
export const SwarmLabels = {
  namespace: 'com.docker.stack.namespace',
  image: 'com.docker.stack.image',
  orcManaged: 'dev.orc.managed',
  orcVersion: 'dev.orc.version',
  /** Always `swarm`. */
  orcTarget: 'dev.orc.target',
  /** On a service: its compose name. */
  orcService: 'dev.orc.service',
  /** On a network, secret or config: its compose key. */
  orcKey: 'dev.orc.key',
  /** Hash of the spec (services, networks) or of the value (secrets, configs). */
  orcConfigHash: 'dev.orc.config-hash',
} as const;
