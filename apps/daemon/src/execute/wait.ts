import { OrcError } from '../contract/errors.js';
import type { Engine } from '../engine/engine.js';
import type { EngineContainerDetails } from '../engine/types.js';

export type WaitUntil = 'running' | 'healthy' | 'exited-0';

export interface WaitOptions {
  /** For messages: `service db`. */
  service?: string;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Resolves early when something about the container may have changed (an engine event). */
  nudge?: (containerName: string) => Promise<void>;
}

/**
 * Waits for a container to reach a condition. Polls inspect (cheap, and the truth) with a short backoff;
 * `nudge` lets the caller wake it on engine events so a healthy container is noticed without waiting
 * out a poll interval.
 */
export async function waitForContainer(
  engine: Engine,
  name: string,
  until: WaitUntil,
  opts: WaitOptions,
): Promise<void> {
  const deadline = Date.now() + opts.timeoutMs;
  const who = opts.service ? `service ${opts.service} (container ${name})` : `container ${name}`;
  let delay = 50;
  let last: EngineContainerDetails | undefined;
  for (;;) {
    if (opts.signal?.aborted) throw new OrcError('CANCELLED', `waiting for ${who} was cancelled`);
    last = await engine.inspectContainer(name);
    if (!last) throw new OrcError('NOT_FOUND', `${who} disappeared while waiting for it to be ${until}`);
    const verdict = judge(last, until, who);
    if (verdict === 'done') return;
    if (verdict instanceof OrcError) throw verdict;
    if (Date.now() >= deadline) throw timeoutError(last, until, who, opts.timeoutMs);
    const wait = Math.min(delay, Math.max(0, deadline - Date.now()));
    await Promise.race([sleep(wait), opts.nudge?.(name) ?? new Promise(() => undefined)]);
    delay = Math.min(500, delay * 2);
  }
}

function judge(d: EngineContainerDetails, until: WaitUntil, who: string): 'done' | 'pending' | OrcError {
  const s = d.State;
  if (until === 'exited-0') {
    if (s.Running || s.Restarting || s.Status === 'created') return 'pending';
    if (s.ExitCode === 0) return 'done';
    return new OrcError(
      'CONTAINER_EXITED',
      `${who} exited with code ${s.ExitCode}; its dependents need it to complete successfully (exit 0)`,
      { exitCode: s.ExitCode },
    );
  }
  if (s.Status === 'exited' || s.Status === 'dead') {
    return new OrcError('CONTAINER_EXITED', `${who} exited with code ${s.ExitCode} instead of running`, {
      exitCode: s.ExitCode,
    });
  }
  if (until === 'running') return s.Running ? 'done' : 'pending';
  const health = s.Health?.Status;
  if (!health || health === 'none') {
    return new OrcError(
      'UNHEALTHY',
      `${who} has no healthcheck, so it can never be healthy; add one or depend on service_started`,
    );
  }
  if (health === 'healthy') return 'done';
  if (health === 'unhealthy') {
    return new OrcError('UNHEALTHY', `${who} is unhealthy${probeText(d)}`, { lastProbe: lastProbe(d) });
  }
  return 'pending';
}

function lastProbe(d: EngineContainerDetails) {
  const log = d.State.Health?.Log ?? [];
  return log[log.length - 1];
}

function probeText(d: EngineContainerDetails): string {
  const p = lastProbe(d);
  if (!p) return '; no health probe has run yet';
  const out = p.Output.trim().slice(-500);
  return `; last health probe exited ${p.ExitCode}${out ? `: ${out}` : ' with no output'}`;
}

function timeoutError(d: EngineContainerDetails, until: WaitUntil, who: string, timeoutMs: number): OrcError {
  const secs = Math.round(timeoutMs / 100) / 10;
  const goal = until === 'exited-0' ? 'complete' : until === 'healthy' ? 'become healthy' : 'start';
  const extra = until === 'healthy' ? probeText(d) : `; it is ${d.State.Status}`;
  return new OrcError('WAIT_TIMEOUT', `${who} did not ${goal} within ${secs}s${extra}`, {
    lastProbe: lastProbe(d),
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
