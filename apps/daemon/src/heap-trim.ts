/**
 * Gives the heap's start-up and post-operation growth back once the daemon is quiet (issue 17, item 5).
 * V8 keeps the old generation as large as it grew while the daemon loaded its modules, or loaded and
 * converged a project, until a major GC that a quiet daemon may not run for minutes: 10–15 MB of an idle
 * daemon's RSS was heap pages holding garbage. So every few seconds, if the event loop was almost idle
 * and the heap has grown by more than a slack since the last trim, one full GC runs. A busy daemon is left
 * to V8's own heuristics; an idle one pays one GC per growth, not one per tick.
 */
import { performance } from 'node:perf_hooks';
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export interface HeapTrimOptions {
  /** How often the heap and the event loop's utilisation are looked at. */
  everyMs?: number;
  /** Growth of the heap (committed bytes) over its size after the last trim that is worth a full GC. */
  slackBytes?: number;
  /** Event-loop utilisation (0–1) over the last period under which the daemon counts as quiet. */
  quietBelow?: number;
  /**
   * Least time between two trims. The young generation shrinks after a full GC and grows back with the
   * next allocations, so a daemon fed engine events (healthchecks) grows by the slack again within
   * seconds: measured with 200 containers, a trim every ~9 s took idle CPU from 0.43 to 0.76 %.
   */
  minGapMs?: number;
  /** Told after each trim (the daemon logs it at debug level). */
  onTrim?: (before: number, after: number) => void;
  /** Seams for tests; default: V8's. */
  gc?: () => void;
  heapBytes?: () => number;
  utilization?: () => number;
}

export interface HeapTrim {
  stop(): void;
}

/** Pure: whether to collect now. `baseline`: the heap's size after the last trim (0 before the first). */
export function shouldTrim(
  heapBytes: number,
  baseline: number,
  utilization: number,
  o: Required<Pick<HeapTrimOptions, 'slackBytes' | 'quietBelow'>>,
): boolean {
  return utilization < o.quietBelow && heapBytes > baseline + o.slackBytes;
}

export function startHeapTrim(opts: HeapTrimOptions = {}): HeapTrim {
  const everyMs = opts.everyMs ?? 2_000;
  const limits = { slackBytes: opts.slackBytes ?? 4 * 1024 * 1024, quietBelow: opts.quietBelow ?? 0.05 };
  const gc = opts.gc ?? exposedGc();
  const heapBytes = opts.heapBytes ?? (() => getHeapStatistics().total_heap_size);
  const gapMs = opts.minGapMs ?? 30_000;
  let lastTrim = Number.NEGATIVE_INFINITY;
  const utilization = opts.utilization ?? eventLoopUtilization();
  let baseline = 0;
  // The heap's size right after a GC still counts the pages its sweepers are about to free: the size after
  // a trim is read one tick later.
  let trimmedFrom: number | undefined;
  const timer = setInterval(() => {
    const size = heapBytes();
    const quiet = utilization();
    if (trimmedFrom !== undefined) {
      opts.onTrim?.(trimmedFrom, size);
      trimmedFrom = undefined;
      baseline = size;
      return;
    }
    // V8 shrank the heap itself: measure growth from there.
    if (size < baseline) baseline = size;
    if (!shouldTrim(size, baseline, quiet, limits) || Date.now() - lastTrim < gapMs) return;
    lastTrim = Date.now();
    gc();
    trimmedFrom = size;
  }, everyMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

/** The event loop's utilisation since the previous call. */
function eventLoopUtilization(): () => number {
  let last = performance.eventLoopUtilization();
  return () => {
    const now = performance.eventLoopUtilization();
    const delta = performance.eventLoopUtilization(now, last);
    last = now;
    return delta.utilization;
  };
}

/**
 * V8's `gc()`, without starting node with --expose-gc (the daemon is started by the CLI, systemd, or by
 * hand): the flag set at run time exposes it to contexts made afterwards, so a fresh context hands it over
 * and the daemon's own global scope stays as it was.
 */
function exposedGc(): () => void {
  const existing = (globalThis as { gc?: () => void }).gc;
  if (typeof existing === 'function') return existing;
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as unknown;
  if (typeof gc !== 'function') return () => undefined;
  return gc as () => void;
}
