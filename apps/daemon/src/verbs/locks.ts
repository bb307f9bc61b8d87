/**
 * Per-key serialisation: one project's operations run one after another, different projects in
 * parallel. A failed task does not poison the queue of its key.
 */
export interface KeyedLock {
  run<T>(key: string, task: () => Promise<T>): Promise<T>;
  /** Whether a task for the key is running or queued. */
  busy(key: string): boolean;
  /** Resolves when every queued task has finished. */
  idle(): Promise<void>;
}

export function createKeyedLock(): KeyedLock {
  const tails = new Map<string, Promise<unknown>>();
  return {
    run(key, task) {
      const prev = tails.get(key) ?? Promise.resolve();
      const next = prev.then(task, task);
      const tail = next.catch(() => undefined);
      tails.set(key, tail);
      void tail.then(() => {
        if (tails.get(key) === tail) tails.delete(key);
      });
      return next;
    },
    busy: (key) => tails.has(key),
    async idle() {
      while (tails.size) await Promise.all([...tails.values()]);
    },
  };
}
