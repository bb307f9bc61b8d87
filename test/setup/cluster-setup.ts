import type { TestProject } from 'vitest/node';
import { lab, labIsUp, parseLabEnv } from '../support/swarm-lab.js';

/**
 * The `cluster` project's lab: a 3-node swarm of private dockerds (scripts/swarm-lab.sh), never the shared
 * engine. A lab that is already up is reused and left running (ORC_LAB_KEEP=1 keeps the one made here too).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const reuse = await labIsUp();
  const started = Date.now();
  if (!reuse) await lab('up', '3');
  const env = parseLabEnv(await lab('env'));
  console.log(`swarm lab: ${reuse ? 'reused' : `up in ${((Date.now() - started) / 1000).toFixed(1)} s`}`);
  project.provide('swarmLab', env);
  return async () => {
    if (reuse || process.env.ORC_LAB_KEEP === '1') return;
    await lab('down');
  };
}
