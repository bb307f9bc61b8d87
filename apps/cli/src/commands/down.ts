import type { Command } from 'commander';
import { type DownFlags, downCommand } from './down-run.js';
import { handler, seconds } from './util.js';

export function registerDown(program: Command): Command {
  return program
    .command('down')
    .description('stop and remove containers and networks (named volumes stay unless -v)')
    .option('-v, --volumes', 'also remove named volumes declared in the file and anonymous volumes')
    .option('--remove-orphans', 'remove containers for services not defined in the compose file')
    .option('--rmi <type>', 'remove images used by services: "local" (no custom tag) or "all"')
    .option('-t, --timeout <seconds>', 'shutdown timeout', seconds('-t'))
    .option('--force', 'take the project down even though another live orc daemon keeps it')
    .action(handler<[], DownFlags>((ctx, flags) => downCommand(ctx, flags)));
}
