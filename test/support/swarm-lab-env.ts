import { inject } from 'vitest';
import type { SwarmLab } from './swarm-lab.js';

/** The lab the `cluster` project's setup started (test/setup/cluster-setup.ts); only inside tests. */
export function labEnv(): SwarmLab {
  return inject('swarmLab');
}
