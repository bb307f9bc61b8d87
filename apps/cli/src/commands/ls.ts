import type { Command } from 'commander';
import { usageError } from '../errors.js';
import { table } from '../render/table.js';
import { lsFilter, matchesLsFilter } from './filters.js';
import { handler, repeat } from './util.js';

export function registerLs(program: Command): Command {
  return program
    .command('ls')
    .description('list the projects the daemon keeps (and those it finds on the engine)')
    .option('-a, --all', 'show all projects, stopped ones included')
    .option('-q, --quiet', 'only display project names')
    .option('--format <format>', 'table (compose: pretty) or json', 'table')
    .option('--filter <name=VAL>', 'filter output based on conditions provided (repeatable): name', repeat)
    .action(
      handler<[], { all?: boolean; quiet?: boolean; format: string; filter?: string[] }>(async (ctx, f) => {
        const filter = lsFilter(f.filter);
        // compose calls the table `pretty`.
        if (f.format === 'pretty') f.format = 'table';
        if (f.format !== 'table' && f.format !== 'json')
          throw usageError(`--format ${f.format}: expected table (pretty) or json`);
        const client = await ctx.connect();
        const projects = (await client.listProjects())
          .filter((p) => f.all || p.registered || /running|restarting|paused/.test(p.status))
          .filter((p) => matchesLsFilter(filter, p.name))
          .sort((a, b) => a.name.localeCompare(b.name));
        if (f.quiet) {
          if (projects.length) ctx.stdout.write(`${projects.map((p) => p.name).join('\n')}\n`);
        } else if (f.format === 'json') {
          const rows = projects.map((p) => ({
            Name: p.name,
            Status: p.status,
            ConfigFiles: p.configFiles.join(','),
            Registered: p.registered,
            ...(p.watch ? { Watch: p.watch.services } : {}),
          }));
          ctx.stdout.write(`${JSON.stringify(rows)}\n`);
        } else {
          const rows = projects.map((p) => [
            p.name,
            p.status || '-',
            p.configFiles.join(','),
            p.registered ? 'yes' : 'no',
            // Watched by the daemon (`up -d --watch`, `watch`): the services, `-` otherwise.
            p.watch ? p.watch.services.join(',') : '-',
          ]);
          ctx.stdout.write(`${table(['NAME', 'STATUS', 'CONFIG FILES', 'KEPT', 'WATCH'], rows)}\n`);
        }
      }),
    );
}
