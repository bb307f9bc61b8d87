import type { Command } from 'commander';
import type { DaemonEvent } from '../client/types.js';
import { findProject } from './project.js';
import { handler } from './util.js';

/** `2024-01-02T03:04:05Z container start demo-web-1 (reason)`, one line per event. */
export function eventLine(e: DaemonEvent): string {
  const who = e.container ?? e.service ?? e.project;
  const attrs = Object.entries(e.attributes ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
  return `${e.time} ${e.type} ${e.action} ${who}${attrs ? ` (${attrs})` : ''}${e.reason ? `: ${e.reason}` : ''}`;
}

export function registerEvents(program: Command): Command {
  return program
    .command('events')
    .description('receive real time events: lifecycle, health, restarts, repairs, operations')
    .option('--json', 'output events as a stream of JSON objects')
    .option('--all', 'events of every project, not only this one')
    .action(
      handler<[], { json?: boolean; all?: boolean }>(async (ctx, f) => {
        const client = await ctx.connect();
        const project = f.all ? undefined : (await findProject(ctx, client)).name;
        const stop = new AbortController();
        const onInterrupt = () => stop.abort();
        process.once('SIGINT', onInterrupt);
        try {
          for await (const e of client.events(project, stop.signal)) {
            ctx.stdout.write(`${f.json ? JSON.stringify(e) : eventLine(e)}\n`);
          }
        } finally {
          process.off('SIGINT', onInterrupt);
        }
      }),
    );
}
