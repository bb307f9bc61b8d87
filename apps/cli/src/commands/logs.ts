import type { Command } from 'commander';
import { logFormatter } from '../render/logs.js';
import { findProject } from './project.js';
import { count, handler } from './util.js';

interface LogsFlags {
  follow?: boolean;
  tail?: string;
  timestamps?: boolean;
  since?: string;
  until?: string;
  color: boolean;
  logPrefix: boolean;
}

export function registerLogs(program: Command): Command {
  return program
    .command('logs')
    .description('view output from containers')
    .argument('[services...]')
    .option('-f, --follow', 'follow log output')
    .option('-n, --tail <lines>', 'number of lines to show from the end of each container’s log ("all")')
    .option('-t, --timestamps', 'show timestamps')
    .option('--since <time>', 'logs since a timestamp (2013-01-02T13:23:37Z) or relative (42m)')
    .option('--until <time>', 'logs before a timestamp or relative time')
    .option('--no-color', 'produce monochrome output')
    .option('--no-log-prefix', 'do not print a prefix in logs')
    .action(
      handler<[string[]], LogsFlags>(async (ctx, f, services) => {
        const tail = f.tail === undefined || f.tail === 'all' ? undefined : count('--tail')(f.tail);
        const client = await ctx.connect();
        const { name, project } = await findProject(ctx, client);
        const palette = f.color ? ctx.out : { ...ctx.out, rotate: (_n: number, s: string) => s };
        const format = logFormatter(
          { project: name, prefix: f.logPrefix, timestamps: f.timestamps === true, palette },
          project?.containers.map((c) => c.Name) ?? [],
        );
        const stop = new AbortController();
        const onInterrupt = () => stop.abort();
        process.once('SIGINT', onInterrupt);
        try {
          const query = {
            ...(services.length ? { services } : {}),
            ...(f.follow ? { follow: true } : {}),
            ...(tail !== undefined ? { tail } : {}),
            ...(f.timestamps ? { timestamps: true } : {}),
            ...(f.since ? { since: relativeTime(f.since, Date.now()) } : {}),
            ...(f.until ? { until: relativeTime(f.until, Date.now()) } : {}),
          };
          for await (const line of client.logs(name, query, stop.signal))
            ctx.stdout.write(`${format(line)}\n`);
        } finally {
          process.off('SIGINT', onInterrupt);
        }
      }),
    );
}

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/** `42m` → unix seconds 42 minutes ago (what docker accepts); anything else passes through. */
export function relativeTime(value: string, now: number): string {
  const m = /^(\d+(?:\.\d+)?)(s|m|h|d)$/.exec(value);
  if (!m?.[1] || !m[2]) return value;
  return String(Math.floor(now / 1000 - Number(m[1]) * (UNITS[m[2]] ?? 1)));
}
