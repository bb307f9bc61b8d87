import type { Command } from 'commander';
import type { ContainerTop } from '../client/api.js';
import { table } from '../render/table.js';
import { findProject } from './project.js';
import { handler } from './util.js';

/** compose's layout: the container's name, then its process table; a blank line between containers. */
export function renderTop(containers: ContainerTop[]): string {
  return containers.map((c) => `${c.container}\n${table(c.titles, c.processes)}\n`).join('\n');
}

export function registerTop(program: Command): Command {
  return program
    .command('top')
    .description('display the running processes')
    .argument('[services...]')
    .action(
      handler<[string[]], object>(async (ctx, _f, services) => {
        const client = await ctx.connect();
        const { name } = await findProject(ctx, client);
        ctx.stdout.write(renderTop(await client.top(name, services)));
      }),
    );
}
