/**
 * `orc stats [SERVICE...]`: compose's stats: `docker stats`' columns for the project's containers, one
 * sample with `--no-stream`, else refreshed in place until Ctrl-C.
 */
import type { Command } from 'commander';
import type { ContainerStats } from '../client/types.js';
import { usageError } from '../errors.js';
import { table } from '../render/table.js';
import { findProject } from './project.js';
import { handler } from './util.js';

const HEAD = ['CONTAINER ID', 'NAME', 'CPU %', 'MEM USAGE / LIMIT', 'MEM %', 'NET I/O', 'BLOCK I/O', 'PIDS'];

/** Binary units, as docker stats prints memory (`1.504MiB`). */
export function binarySize(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(3).replace(/\.?0+$/, '')}${units[i]}`;
}

/** Decimal units, as docker stats prints network and block I/O (`1.05kB`, `0B`). */
export function decimalSize(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let v = bytes;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${i === 0 ? v : Number(v.toPrecision(3))}${units[i]}`;
}

export function renderStats(rows: ContainerStats[], trunc = true): string {
  return table(
    HEAD,
    rows.map((r) => [
      trunc ? r.id.slice(0, 12) : r.id,
      r.container,
      `${r.cpuPercent.toFixed(2)}%`,
      `${binarySize(r.memUsage)} / ${binarySize(r.memLimit)}`,
      `${r.memPercent.toFixed(2)}%`,
      `${decimalSize(r.netRx)} / ${decimalSize(r.netTx)}`,
      `${decimalSize(r.blockRead)} / ${decimalSize(r.blockWrite)}`,
      String(r.pids),
    ]),
  );
}

interface StatsFlags {
  stream: boolean;
  /** False for `--no-trunc`. */
  trunc: boolean;
  all?: boolean;
  format: string;
}

export function registerStats(program: Command): Command {
  return program
    .command('stats')
    .description('display a live stream of the containers’ resource usage')
    .argument('[services...]')
    .option('-a, --all', 'show all containers (default shows running ones)')
    .option('--no-stream', 'print one sample and exit')
    .option('--no-trunc', 'do not truncate output (full container IDs)')
    .option('--format <format>', 'table or json', 'table')
    .action(
      handler<[string[]], StatsFlags>(async (ctx, flags, services) => {
        if (flags.format !== 'table' && flags.format !== 'json') {
          throw usageError(`--format ${flags.format}: expected table or json`);
        }
        const client = await ctx.connect();
        const { name } = await findProject(ctx, client);
        const print = (rows: ContainerStats[]) =>
          flags.format === 'json'
            ? rows.map((r) => JSON.stringify(r)).join('\n')
            : renderStats(rows, flags.trunc);
        if (!flags.stream) {
          ctx.stdout.write(`${print(await client.stats(name, services, flags.all ?? false))}\n`);
          return;
        }
        // Live: each sample takes the engine about a second (it waits for a second CPU reading).
        let stop = false;
        const onInterrupt = () => {
          stop = true;
        };
        process.once('SIGINT', onInterrupt);
        try {
          while (!stop) {
            const rows = await client.stats(name, services, flags.all ?? false);
            // Clear the screen and home the cursor, as docker stats does on a terminal.
            ctx.stdout.write(`${ctx.stdout.isTTY ? '\x1b[2J\x1b[H' : ''}${print(rows)}\n`);
          }
        } finally {
          process.off('SIGINT', onInterrupt);
        }
      }),
    );
}
