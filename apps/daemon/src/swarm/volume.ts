/**
 * `down -v` on the manager: a task's container outlives its task by a moment (the manager forgets the
 * task once its node reports it shut down; the node removes the container after that), and a volume it
 * mounted is "in use" until then. Retried for a short while on that conflict only; any other error, or
 * a volume still held when the time is up (someone else's container), fails as the engine said.
 */
import { isOrcError } from '../contract/errors.js';

export const VOLUME_RELEASE_MS = 20_000;
const STEP_MS = 250;

export async function removeVolumeWhenReleased(
  remove: (name: string) => Promise<void>,
  name: string,
  opts: { timeoutMs?: number; stepMs?: number; signal?: AbortSignal } = {},
): Promise<void> {
  const deadline = Date.now() + (opts.timeoutMs ?? VOLUME_RELEASE_MS);
  for (;;) {
    try {
      await remove(name);
      return;
    } catch (err) {
      const inUse = isOrcError(err) && err.code === 'CONFLICT' && /in use/i.test(err.message);
      if (!inUse || Date.now() >= deadline || opts.signal?.aborted) throw err;
      await new Promise((r) => setTimeout(r, opts.stepMs ?? STEP_MS));
    }
  }
}
