import { networkEngineName } from '../desired/resources.js';
import type { Project } from '../model/project.js';

/** `PROJECT_SERVICE`, as `docker stack deploy` names a stack's services. */
export function swarmServiceName(project: string, service: string): string {
  return `${project}_${service}`;
}

/** `PROJECT_KEY` (`PROJECT_default` for the default network), or `name:` as given. */
export function swarmNetworkName(project: Project, key: string): string {
  return networkEngineName(project, key);
}

/** Swarm refuses names longer than this (secrets, configs, services). */
export const SWARM_NAME_MAX = 64;

/**
 * A secret's or config's versioned name: its engine name and the first 12 hex digits of its value's
 * hash, so a changed value is a new object (Swarm's secrets and configs are immutable) and the services
 * using it roll to it. A long base is cut so the whole stays within Swarm's 64 characters.
 */
export function versionedName(base: string, hash: string): string {
  const suffix = `_${hash.slice(0, 12)}`;
  return `${base.slice(0, SWARM_NAME_MAX - suffix.length)}${suffix}`;
}
