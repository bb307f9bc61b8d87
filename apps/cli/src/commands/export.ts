/** `orc export SERVICE [-o FILE] [--index N]`: compose's export, a service container's filesystem as tar. */
import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { Command } from 'commander';
import { usageError } from '../errors.js';
import { findProject } from './project.js';
import { count, handler } from './util.js';

export function registerExport(program: Command): Command {
  return program
    .command('export')
    .description('export a service container’s filesystem as a tar archive')
    .argument('<service>')
    .option('-o, --output <file>', 'write to a file instead of stdout')
    .option('--index <n>', 'index of the container if the service has several replicas', count('--index'), 1)
    .action(
      handler<[string], { output?: string; index: number }>(async (ctx, flags, service) => {
        // A terminal is no place for a tar stream (docker export refuses it too).
        if (!flags.output && ctx.stdout.isTTY) {
          throw usageError('refusing to write a tar archive to a terminal: use -o FILE or redirect stdout');
        }
        const client = await ctx.connect();
        const { name } = await findProject(ctx, client);
        const tar = await client.exportContainer(name, service, flags.index);
        await pipeline(tar, flags.output ? createWriteStream(flags.output) : ctx.stdout);
      }),
    );
}
