/**
 * Container exits as the daemon sees them in the engine's `die` events, for an attached `up`.
 *
 * Polling the project's states misses a container that a restart policy brings back quickly (between two
 * polls it is `running` or `restarting` again): `--abort-on-container-exit` would wait for ever. The
 * engine says `die` for every exit, and the daemon forwards it with the exit code. Events are lossy (a
 * stream can break), so the caller keeps its poll as the check after a gap, and the feed resubscribes.
 */
import type { Api } from '../client/api.js';
import type { DaemonEvent } from '../client/types.js';

export interface ExitEvent {
  /** The container's full name (`<project>-<service>-<n>`). */
  container: string;
  service: string;
  exitCode: number;
}

export interface ExitFeed {
  /** Hands `project`'s exits to `onExit`: the ones seen since the feed opened, then each new one. */
  follow(project: string, onExit: (e: ExitEvent) => void): void;
  close(): void;
}

/** The exit a daemon event reports, if it is one (a `die` of a service's container). */
export function exitOf(e: DaemonEvent): (ExitEvent & { project: string }) | undefined {
  if (e.type !== 'container' || e.action !== 'die' || !e.container || !e.service) return undefined;
  const code = Number(e.attributes?.exitCode ?? '0');
  return {
    project: e.project,
    container: e.container,
    service: e.service,
    exitCode: Number.isInteger(code) ? code : 0,
  };
}

/**
 * Opens the daemon's event stream now (before `up` starts anything, so that an exit right after a start is
 * not lost) for every project, since the project's name is known only once `up` answers. The exits seen
 * before `follow` are kept and replayed.
 */
export function openExitFeed(client: Api, retryMs = 1000): ExitFeed {
  const stop = new AbortController();
  const early: Array<ExitEvent & { project: string }> = [];
  let followed: { project: string; onExit: (e: ExitEvent) => void } | undefined;
  const deliver = (e: ExitEvent & { project: string }) => {
    if (!followed) early.push(e);
    else if (e.project === followed.project) followed.onExit(e);
  };
  const run = async () => {
    while (!stop.signal.aborted) {
      try {
        for await (const event of client.events(undefined, stop.signal)) {
          const exit = exitOf(event);
          if (exit) deliver(exit);
        }
      } catch {
        // A broken stream: the poll covers the gap; subscribe again.
      }
      if (stop.signal.aborted) return;
      await new Promise((resolve) => setTimeout(resolve, retryMs).unref());
    }
  };
  void run();
  return {
    follow(project, onExit) {
      followed = { project, onExit };
      for (const e of early.splice(0)) if (e.project === project) onExit(e);
    },
    close() {
      stop.abort();
    },
  };
}
