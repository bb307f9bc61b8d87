import type { Command } from 'commander';
import { usageError } from '../errors.js';
import { filterContainers, psJson, psTable, swarmPsTable } from '../render/ps.js';
import { findProject } from './project.js';
import { handler, repeat } from './util.js';
import { watchLine } from './watch.js';

const STATES = ['paused', 'restarting', 'removing', 'running', 'dead', 'created', 'exited'];

interface PsFlags {
  all?: boolean;
  quiet?: boolean;
  services?: boolean;
  status?: string[];
  format: string;
}

export function registerPs(program: Command): Command {
  return program
    .command('ps')
    .description('list containers of the project')
    .argument('[services...]')
    .option('-a, --all', 'show all containers, stopped ones included')
    .option('-q, --quiet', 'only display IDs')
    .option('--services', 'display services')
    .option('--status <status>', `filter by status (repeatable): ${STATES.join(', ')}`, repeat)
    .option('--format <format>', 'table or json', 'table')
    .action(
      handler<[string[]], PsFlags>(async (ctx, f, services) => {
        if (f.format !== 'table' && f.format !== 'json') {
          throw usageError(`--format ${f.format}: expected table or json`);
        }
        for (const s of f.status ?? []) {
          if (!STATES.includes(s)) throw usageError(`--status ${s}: expected one of ${STATES.join(', ')}`);
        }
        const client = await ctx.connect();
        const { project } = await findProject(ctx, client);
        const swarm = (project as { target?: string } | undefined)?.target === 'swarm';
        const containers = filterContainers(project?.containers ?? [], {
          // A swarm project's rows are its tasks: those starting, failed or rejected say the most.
          all: f.all === true || swarm,
          status: f.status ?? [],
          services,
        });
        if (f.quiet) {
          if (containers.length) ctx.stdout.write(`${containers.map((c) => c.ID).join('\n')}\n`);
        } else if (f.services) {
          const names = [...new Set(containers.map((c) => c.Service))].sort();
          if (names.length) ctx.stdout.write(`${names.join('\n')}\n`);
        } else if (f.format === 'json') {
          // Standing in for compose: its line-per-container JSON (nothing at all when there is none).
          const asCompose = Boolean(ctx.env.ORC_AS_COMPOSE);
          if (!asCompose || containers.length) ctx.stdout.write(`${psJson(containers, asCompose)}\n`);
        } else {
          ctx.stdout.write(`${swarm ? swarmPsTable(containers) : psTable(containers, Date.now())}\n`);
          // On stderr: the table stays compose's for scripts that parse it.
          if (project?.watch) ctx.stderr.write(`${watchLine(project.watch)}\n`);
        }
      }),
    );
}
