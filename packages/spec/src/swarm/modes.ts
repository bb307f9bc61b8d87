import type { Project, Service } from '../model/project.js';
import type { SwarmServiceMode } from '../model/swarm.js';

/** Services another waits on to complete (`service_completed_successfully`): they run as jobs. */
export function completedDependencies(project: Project): Set<string> {
  const out = new Set<string>();
  for (const service of Object.values(project.services)) {
    for (const [dep, d] of Object.entries(service.depends_on ?? {})) {
      if (d.condition === 'service_completed_successfully' && dep in project.services) out.add(dep);
    }
  }
  return out;
}

/** `deploy.mode`; a service waited on to complete is a replicated job unless it says otherwise. */
export function swarmMode(service: Service, waitedToComplete: boolean): SwarmServiceMode {
  const mode = service.deploy?.mode;
  if (mode === 'global' || mode === 'replicated-job' || mode === 'global-job') return mode;
  if (mode === 'replicated') return 'replicated';
  return waitedToComplete ? 'replicated-job' : 'replicated';
}
