/**
 * The engine's one-line status (`Up 5 minutes (healthy)`), made from a container's state and times.
 * The list's own text is true only when it was read: a container kept in memory (observe/cache.ts) must
 * say its age at the time it is shown, as `docker ps` would.
 */
import type { ObservedContainer } from './types.js';

/** The engine's rounding of an age (go-units `HumanDuration`, which `docker ps` prints). */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < 1) return 'Less than a second';
  if (seconds === 1) return '1 second';
  if (seconds < 60) return `${seconds} seconds`;
  const minutes = Math.floor(ms / 60_000);
  if (minutes === 1) return 'About a minute';
  if (minutes < 60) return `${minutes} minutes`;
  const hours = Math.round(ms / 3_600_000);
  if (hours === 1) return 'About an hour';
  if (hours < 48) return `${hours} hours`;
  if (hours < 24 * 7 * 2) return `${Math.floor(hours / 24)} days`;
  if (hours < 24 * 30 * 2) return `${Math.floor(hours / 24 / 7)} weeks`;
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24 / 30)} months`;
  return `${Math.floor(ms / 3_600_000 / 24 / 365)} years`;
}

const healthText: Record<string, string> = {
  starting: ' (health: starting)',
  healthy: ' (healthy)',
  unhealthy: ' (unhealthy)',
};

type Timed = Pick<ObservedContainer, 'state' | 'health' | 'exitCode' | 'startedAt' | 'finishedAt'>;

/** What the engine's list would say of `c` at `now` (ms since the epoch). */
export function statusText(c: Timed, now: number): string {
  const since = (iso: string) => humanDuration(Math.max(0, now - Date.parse(iso)));
  switch (c.state) {
    case 'running':
      return `Up ${since(c.startedAt)}${c.health ? (healthText[c.health] ?? '') : ''}`;
    case 'paused':
      return `Up ${since(c.startedAt)} (Paused)`;
    case 'restarting':
      return `Restarting (${c.exitCode}) ${since(c.finishedAt)} ago`;
    case 'removing':
      return 'Removal In Progress';
    case 'dead':
      return 'Dead';
    default:
      if (!c.startedAt) return 'Created';
      if (!c.finishedAt) return '';
      return `Exited (${c.exitCode}) ${since(c.finishedAt)} ago`;
  }
}
