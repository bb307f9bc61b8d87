/**
 * A push queue read as an AsyncIterable: producers `push`, one consumer iterates until `close()` or the
 * signal aborts. Unbounded on purpose for short streams (progress); `limit` drops the oldest items for
 * long-lived ones (events) so a slow reader cannot grow the daemon's memory without bound.
 */
export interface Channel<T> {
  push(item: T): void;
  close(): void;
  iterate(signal: AbortSignal): AsyncIterable<T>;
}

export function createChannel<T>(limit = Number.POSITIVE_INFINITY): Channel<T> {
  const items: T[] = [];
  let closed = false;
  let wake: (() => void) | undefined;
  const notify = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  return {
    push(item) {
      if (closed) return;
      items.push(item);
      if (items.length > limit) items.shift();
      notify();
    },
    close() {
      closed = true;
      notify();
    },
    async *iterate(signal) {
      const onAbort = () => notify();
      signal.addEventListener('abort', onAbort, { once: true });
      try {
        for (;;) {
          while (items.length) {
            if (signal.aborted) return;
            yield items.shift() as T;
          }
          if (closed || signal.aborted) return;
          await new Promise<void>((resolve) => {
            wake = resolve;
          });
        }
      } finally {
        signal.removeEventListener('abort', onAbort);
      }
    },
  };
}
