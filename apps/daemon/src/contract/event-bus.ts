import { createChannel } from './channel.js';
import type { DaemonEvent } from './types.js';

/** Fan-out of daemon events to any number of live subscribers (`orc events`, the API's SSE). */
export interface EventBus {
  publish(event: Omit<DaemonEvent, 'time'> & { time?: string }): void;
  subscribe(filter: { project?: string }, signal: AbortSignal): AsyncIterable<DaemonEvent>;
  /** In-process listeners (the supervisor, tests). Returns an unsubscribe function. */
  on(listener: (event: DaemonEvent) => void): () => void;
}

export function createEventBus(): EventBus {
  const listeners = new Set<(event: DaemonEvent) => void>();
  return {
    publish(partial) {
      const event: DaemonEvent = {
        ...partial,
        time: partial.time ?? new Date().toISOString(),
      } as DaemonEvent;
      for (const l of listeners) l(event);
    },
    on(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    subscribe(filter, signal) {
      const ch = createChannel<DaemonEvent>(10_000);
      const off = this.on((e) => {
        if (!filter.project || e.project === filter.project) ch.push(e);
      });
      signal.addEventListener(
        'abort',
        () => {
          off();
          ch.close();
        },
        { once: true },
      );
      return ch.iterate(signal);
    },
  };
}
