/**
 * Exponential restart backoff: `delay`, `2·delay`, `4·delay`, ... capped. The floor keeps a service with
 * `delay: 0` from making the daemon spin (bounded restarts per second); the cap never goes below `delay`,
 * so consecutive restarts are always at least `delay` apart.
 */
export interface BackoffOptions {
  /** Smallest wait before a restart, whatever the service asks (ms). */
  floorMs: number;
  /** Largest wait between two restarts, unless the service's own delay is larger (ms). */
  capMs: number;
  /** A container that ran at least this long before it stopped starts the backoff over (ms). */
  resetAfterMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { floorMs: 100, capMs: 60_000, resetAfterMs: 10_000 };

/** Wait before restart number `consecutive` (1 = the first restart after a good run). */
export function backoffDelay(
  baseMs: number,
  consecutive: number,
  opts: BackoffOptions = DEFAULT_BACKOFF,
): number {
  const base = Math.max(baseMs, opts.floorMs);
  const cap = Math.max(opts.capMs, base);
  const exponent = Math.max(0, consecutive - 1);
  // 2 ** 60 overflows nothing in a double, but there is no point computing past the cap.
  if (exponent > 40) return cap;
  return Math.min(cap, base * 2 ** exponent);
}

/** `8s`, `1.5s`, `250ms`, `2m`: how a wait is shown in `ps` and in events. */
export function formatDelay(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) {
    const s = ms / 1000;
    return `${Number.isInteger(s) ? s : s.toFixed(1)}s`;
  }
  const m = Math.floor(ms / 60_000);
  const s = Math.round((ms % 60_000) / 1000);
  return s === 0 ? `${m}m` : `${m}m${s}s`;
}
