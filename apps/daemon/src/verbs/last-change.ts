/**
 * When a project last changed and why, for `ls` summaries (the status page's project list): the last
 * daemon event about one of its resources (recreated because…, restarted by…, repaired after…), kept in
 * memory. After a daemon restart, until an event comes, the time its record was last written stands in.
 */
import type { EventBus } from '../contract/event-bus.js';
import type { DaemonEvent } from '../contract/types.js';

export interface LastChange {
  time: string;
  what: string;
}

export function trackLastChanges(bus: Pick<EventBus, 'on'>): Map<string, LastChange> {
  const last = new Map<string, LastChange>();
  bus.on((e) => {
    // An operation's own events say that it ran (a dry run too), not what changed: its resources' events do.
    if (e.project && e.type !== 'operation') last.set(e.project, { time: e.time, what: describeEvent(e) });
  });
  return last;
}

/** `recreate web (demo-web-1): config hash differs: environment.X`. */
export function describeEvent(e: DaemonEvent): string {
  const subject = [e.service, e.container ? `(${e.container})` : ''].filter(Boolean).join(' ');
  const head = [e.type === e.action ? e.type : `${e.type} ${e.action}`, subject].filter(Boolean).join(' ');
  return e.reason ? `${head}: ${e.reason}` : head;
}
