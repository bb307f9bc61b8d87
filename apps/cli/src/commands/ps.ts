import type { Command } from 'commander';
import { goBool } from './filters.js';
import { type PsFlags, ps, STATES } from './ps-run.js';
import { handler, repeat } from './util.js';

export function registerPs(program: Command): Command {
  return program
    .command('ps')
    .description('list containers of the project')
    .argument('[services...]')
    .option('-a, --all', 'show all containers, stopped ones included')
    .option('-q, --quiet', 'only display IDs')
    .option('--services', 'display services')
    .option('--status <status>', `filter by status (repeatable): ${STATES.join(', ')}`, repeat)
    .option('--filter <KEY=VAL>', 'filter services by a property (supported filters: status)')
    .option('--format <format>', 'table or json', 'table')
    .option('--no-trunc', "don't truncate output (the COMMAND column)")
    .option(
      '--orphans [bool]',
      'include orphaned services, not declared by the project (default: true; --orphans=false leaves them out)',
      goBool('--orphans'),
    )
    .action(handler<[string[]], PsFlags>(async (ctx, f, services) => ps(ctx, f, services)));
}
