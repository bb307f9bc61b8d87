/**
 * The daemon's own restarts (`deploy.restart_policy`, restart-on-unhealthy) as plans: the restarter decides
 * when (supervise/), the executor performs, like every other change to the engine. A one-operation plan
 * still gets the executor's daemon-wide bound on engine calls, its progress and its error mapping.
 */
import type { Plan } from './types.js';

export interface DaemonRestart {
  project: string;
  service: string;
  /** Container name (the engine takes names and ids alike). */
  name: string;
  containerId: string;
  /** `exit`: it stopped, start it; `unhealthy`: it runs, restart it (stop with the grace period, start). */
  trigger: 'exit' | 'unhealthy';
  /** The restarter's reason, the operation's cause (`exited with code 3; restart 1 of 5 after 100ms`). */
  cause: string;
  timeoutSeconds: number;
}

export function planDaemonRestart(r: DaemonRestart): Plan {
  const base = { after: [], cause: r.cause, service: r.service };
  const operation =
    r.trigger === 'exit'
      ? { ...base, kind: 'start-container' as const, id: `start-container:${r.name}`, name: r.name }
      : {
          ...base,
          kind: 'restart-container' as const,
          id: `restart-container:${r.name}`,
          name: r.name,
          containerId: r.containerId,
          timeoutSeconds: r.timeoutSeconds,
        };
  return { project: r.project, operations: [operation], warnings: [], errors: [] };
}
