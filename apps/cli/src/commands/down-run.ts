/** `down`'s flags and what it does with them (commander's part, the flags' definitions, is in down.ts). */
import type { Context } from '../context.js';
import { usageError } from '../errors.js';
import { envTrue } from '../globals.js';
import { followOperation } from '../render/operation.js';

export interface DownFlags {
  volumes?: boolean;
  removeOrphans?: boolean;
  rmi?: string;
  timeout?: number;
  force?: boolean;
}

export async function downCommand(ctx: Context, flags: DownFlags): Promise<void> {
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
}
