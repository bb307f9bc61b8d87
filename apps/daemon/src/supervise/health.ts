/** Healthcheck probe results, as the engine keeps them (the last 5 probes in `State.Health.Log`). */
import type { Engine } from '../engine/engine.js';
import type { EngineContainerDetails } from '../engine/types.js';

/** Output of the last probe, trimmed; undefined when the container has no healthcheck or no probe ran yet. */
export function lastProbeOutput(d: EngineContainerDetails): string | undefined {
  const log = d.State.Health?.Log;
  const last = log && log.length > 0 ? log[log.length - 1] : undefined;
  return last ? last.Output.trim() : undefined;
}

/** For health events: the last probe output of a container, never throwing (it may be gone already). */
export function probeOutputReader(engine: Engine): (containerId: string) => Promise<string | undefined> {
  return async (id) => {
    try {
      const d = await engine.inspectContainer(id);
      return d ? lastProbeOutput(d) : undefined;
    } catch {
      return undefined;
    }
  };
}
