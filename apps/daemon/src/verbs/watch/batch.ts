/**
 * Batches edits made in quick succession: a batch is flushed once no change came for `quietMs`, or
 * `maxMs` after its first change at the latest (a stream of writes still syncs). compose waits 500 ms;
 * orc's default is 200 ms quiet / 1 s at most (an editor's save-all, a `git checkout`, land as one batch).
 */
export const WATCH_QUIET_MS = 200;
export const WATCH_MAX_MS = 1000;

export interface Batcher {
  add(path: string): void;
  /** Drops what is pending (the watch stops). */
  cancel(): void;
}

export function createBatcher(
  flush: (paths: string[]) => void,
  quietMs = WATCH_QUIET_MS,
  maxMs = WATCH_MAX_MS,
): Batcher {
  let pending = new Set<string>();
  let quiet: NodeJS.Timeout | undefined;
  let max: NodeJS.Timeout | undefined;
  const fire = () => {
    clearTimeout(quiet);
    clearTimeout(max);
    quiet = max = undefined;
    const paths = [...pending].sort();
    pending = new Set();
    if (paths.length) flush(paths);
  };
  return {
    add(path) {
      pending.add(path);
      clearTimeout(quiet);
      quiet = setTimeout(fire, quietMs);
      max ??= setTimeout(fire, maxMs);
    },
    cancel() {
      clearTimeout(quiet);
      clearTimeout(max);
      quiet = max = undefined;
      pending = new Set();
    },
  };
}
