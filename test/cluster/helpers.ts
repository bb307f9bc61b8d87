import { daemonLog, type OrcEnv, orc } from '../e2e/orc.js';

/** The daemon autostarts within 10 s; on a loaded 2-core machine it may take longer: retried here. */
export async function warmUp(o: OrcEnv, cwd: string): Promise<void> {
  for (let i = 0; i < 5; i++) {
    if ((await orc(o, ['ls'], { cwd })).code === 0) return;
  }
  throw new Error(`the orc daemon did not start:\n${daemonLog(o)}`);
}

/** Polls `cond` every 500 ms until it holds; throws after `timeoutMs`. */
export async function until(cond: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 500));
  }
}
