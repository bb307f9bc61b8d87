import type { Command } from 'commander';
import type { Api } from '../client/api.js';
import type { WatchInfo } from '../client/types.js';
import type { Context } from '../context.js';
import { usageError } from '../errors.js';
import { followOperation } from '../render/operation.js';
import { eventLine } from './events.js';
import { handler } from './util.js';

interface WatchFlags {
  /** False for `--no-up`. */
  up?: boolean;
  detach?: boolean;
  stop?: boolean;
  quiet?: boolean;
}

/** `watching web, api (3 rules, 12 directories) in the daemon: …` */
export function watchLine(w: WatchInfo & { project?: string }): string {
  const where = w.detached
    ? 'in the daemon, after this command too (`orc watch --stop` or `orc down` end it)'
    : 'until Ctrl-C';
  return `watching ${w.services.join(', ')} (${w.rules} rule${w.rules === 1 ? '' : 's'}, ${w.dirs} director${w.dirs === 1 ? 'y' : 'ies'}) ${where}`;
}

/** Streams the watch's events (one line each) until Ctrl-C or the signal; the daemon ends the watch then. */
export async function followWatch(
  ctx: Context,
  client: Api,
  services: string[],
  signal?: AbortSignal,
): Promise<void> {
  const stop = new AbortController();
  const onInterrupt = () => stop.abort();
  process.once('SIGINT', onInterrupt);
  signal?.addEventListener('abort', onInterrupt, { once: true });
  try {
    for await (const e of client.watch(ctx.source(services), services, stop.signal)) {
      ctx.stdout.write(`${eventLine(e)}\n`);
    }
  } finally {
    process.off('SIGINT', onInterrupt);
  }
}

export function registerWatch(program: Command): Command {
  return program
    .command('watch')
    .description('watch the files of develop.watch rules and sync, restart or rebuild the services')
    .argument('[services...]', 'services to watch (default: every service with develop.watch)')
    .option('--no-up', 'do not build and start the services before watching')
    .option(
      '-d, --detach',
      'keep watching in the daemon after this command exits (and after a daemon restart)',
    )
    .option('--stop', 'end the project’s watch (a detached one too)')
    .option('--quiet', 'print nothing but errors')
    .action(
      handler<[string[]], WatchFlags>(async (ctx, flags, services) => {
        const client = await ctx.connect();
        if (flags.stop) {
          if (services.length) throw usageError('--stop ends the whole project’s watch: name no services');
          const r = await client.stopWatch(ctx.target());
          if (!flags.quiet)
            ctx.stderr.write(
              r.stopped ? `${r.project}: watch stopped\n` : `${r.project}: nothing was watched\n`,
            );
          return;
        }
        if (flags.up !== false) {
          const accepted = await client.up(ctx.source(services), services.length ? { services } : {});
          await followOperation(ctx, client, accepted);
        }
        if (flags.detach) {
          const w = await client.watchDetached(ctx.source(services), services);
          if (!flags.quiet) ctx.stderr.write(`${w.project}: ${watchLine(w)}\n`);
          return;
        }
        await followWatch(ctx, client, services);
      }),
    );
}
