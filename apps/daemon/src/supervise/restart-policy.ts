/**
 * The decision behind `deploy.restart_policy` (and restart-on-unhealthy), as Swarm's restart supervisor
 * makes it: a condition (`none` | `on-failure` | `any`), a delay before each restart, and at most
 * `max_attempts` restarts within `window` (all restarts when no window). Unlike Swarm, the delay grows
 * exponentially while the container keeps failing quickly (see backoff.ts). Pure: the caller keeps the history.
 */
import type { DesiredService } from '@orc/spec';
import { type BackoffOptions, backoffDelay, DEFAULT_BACKOFF, formatDelay } from './backoff.js';

export type RestartPolicySpec = NonNullable<DesiredService['restart_policy']>;

/** What the daemon remembers of one container's restarts. */
export interface RestartHistory {
  /** When each restart the daemon made happened (ms since epoch), oldest first. */
  restarts: number[];
  /** Restarts in a row after short runs (drives the backoff); 0 after a good run. */
  consecutive: number;
}

export const emptyHistory = (): RestartHistory => ({ restarts: [], consecutive: 0 });

/** Why the container stopped being what it should be. */
export type Trigger =
  | { kind: 'exit'; exitCode: number; oomKilled?: boolean; ranMs: number }
  | { kind: 'unhealthy'; output?: string; ranMs: number };

export type RestartDecision =
  | { kind: 'restart'; delayMs: number; attempt: number; reason: string }
  | { kind: 'stay-down'; reason: string }
  | { kind: 'give-up'; reason: string };

export function describeTrigger(trigger: Trigger): string {
  if (trigger.kind === 'unhealthy') {
    const out = trigger.output?.trim().replace(/\s+/g, ' ');
    return out ? `unhealthy (last probe: ${truncate(out, 120)})` : 'unhealthy';
  }
  return trigger.oomKilled
    ? `exited with code ${trigger.exitCode} (out of memory)`
    : `exited with code ${trigger.exitCode}`;
}

/** Restarts counted against `max_attempts`: those within the window, or all of them without one. */
export function attemptsInWindow(policy: RestartPolicySpec, history: RestartHistory, now: number): number {
  if (!policy.window_ms) return history.restarts.length;
  const since = now - policy.window_ms;
  return history.restarts.filter((t) => t > since).length;
}

export function decideRestart(
  policy: RestartPolicySpec,
  history: RestartHistory,
  trigger: Trigger,
  now: number,
  backoff: BackoffOptions = DEFAULT_BACKOFF,
): RestartDecision {
  const what = describeTrigger(trigger);
  if (trigger.kind === 'exit') {
    if (policy.condition === 'none') return { kind: 'stay-down', reason: `${what}; restart condition none` };
    if (policy.condition === 'on-failure' && trigger.exitCode === 0) {
      return { kind: 'stay-down', reason: `${what}; restart condition on-failure` };
    }
  }
  // Swarm: max_attempts 0 (or absent) means no limit.
  const max = policy.max_attempts ?? 0;
  const used = attemptsInWindow(policy, history, now);
  if (max > 0 && used >= max) {
    const window = policy.window_ms ? ` within ${formatDelay(policy.window_ms)}` : '';
    return {
      kind: 'give-up',
      reason: `${what}; gave up after ${used} restarts${window} (max_attempts ${max})`,
    };
  }
  const consecutive = trigger.ranMs >= backoff.resetAfterMs ? 1 : history.consecutive + 1;
  const delayMs = backoffDelay(policy.delay_ms, consecutive, backoff);
  const attempt = used + 1;
  const of = max > 0 ? ` of ${max}` : '';
  return {
    kind: 'restart',
    delayMs,
    attempt,
    reason: `${what}; restart ${attempt}${of} after ${formatDelay(delayMs)} (${policy.condition})`,
  };
}

/** The history after a restart the daemon made at `now` (old entries beyond any window are dropped). */
export function recordRestart(
  policy: RestartPolicySpec,
  history: RestartHistory,
  now: number,
  ranMs: number,
  backoff: BackoffOptions = DEFAULT_BACKOFF,
): RestartHistory {
  // Only what max_attempts can count is kept: a container restarted forever must not grow the history.
  const restarts = policy.window_ms
    ? [...history.restarts.filter((t) => t > now - (policy.window_ms ?? 0)), now]
    : [...history.restarts, now].slice(-Math.max(1, policy.max_attempts ?? 0));
  const consecutive = ranMs >= backoff.resetAfterMs ? 1 : history.consecutive + 1;
  return { restarts, consecutive };
}

function truncate(s: string, n: number): string {
  return s.length <= n ? s : `${s.slice(0, n - 1)}…`;
}
