import type { Command } from 'commander';
import { usageError } from '../errors.js';
import { envTrue } from '../globals.js';
import { followOperation } from '../render/operation.js';
import { handler, seconds } from './util.js';

interface DownFlags {
  volumes?: boolean;
  removeOrphans?: boolean;
  rmi?: string;
  timeout?: number;
  force?: boolean;
}

export function registerDown(program: Command): Command {
  return program
    .command('down')
    .description('stop and remove containers and networks (named volumes stay unless -v)')
    .option('-v, --volumes', 'also remove named volumes declared in the file and anonymous volumes')
    .option('--remove-orphans', 'remove containers for services not defined in the compose file')
    .option('--rmi <type>', 'remove images used by services: "local" (no custom tag) or "all"')
    .option('-t, --timeout <seconds>', 'shutdown timeout', seconds('-t'))
    .option('--force', 'take the project down even though another live orc daemon keeps it')
    .action(
      handler<[], DownFlags>(async (ctx, flags) => {
        if (flags.rmi !== undefined && flags.rmi !== 'all' && flags.rmi !== 'local') {
          throw usageError(`--rmi ${flags.rmi}: expected "local" or "all"`);
        }
        const client = await ctx.connect();
        const body = {
          ...(flags.volumes ? { volumes: true } : {}),
          ...(flags.removeOrphans || envTrue(ctx.env.COMPOSE_REMOVE_ORPHANS) ? { removeOrphans: true } : {}),
          ...(flags.rmi ? { rmi: flags.rmi } : {}),
          ...(flags.timeout !== undefined ? { timeoutSeconds: flags.timeout } : {}),
          ...(flags.force ? { force: true } : {}),
        };
        await followOperation(ctx, client, await client.action(ctx.target(), 'down', body));
      }),
    );
}
