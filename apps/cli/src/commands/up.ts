import type { Command } from 'commander';
import type { Api, UpOptions } from '../client/api.js';
import type { Context } from '../context.js';
import { usageError } from '../errors.js';
import { envTrue } from '../globals.js';
import { followOperation } from '../render/operation.js';
import { attachLogs } from './attach.js';
import { handler, scaleArg, seconds } from './util.js';

interface UpFlags {
  detach?: boolean;
  wait?: boolean;
  waitTimeout?: number;
  build?: boolean;
  pull?: UpOptions['pull'];
  forceRecreate?: boolean;
  recreate?: boolean;
  deps?: boolean;
  removeOrphans?: boolean;
  scale?: Record<string, number>;
  timeout?: number;
  dryRun?: boolean;
  force?: boolean;
}

/** Flags → the daemon's UpOptions (only what was said, so the daemon's defaults apply otherwise). */
export function upOptions(flags: UpFlags, services: string[]): UpOptions {
  if (flags.forceRecreate && flags.recreate === false) {
    throw usageError('--force-recreate and --no-recreate cannot be used together');
  }
  if (flags.detach === false && flags.wait) throw usageError('--wait cannot be combined with --attach');
  const opts: UpOptions = {};
  if (services.length) opts.services = services;
  if (flags.forceRecreate) opts.forceRecreate = true;
  if (flags.recreate === false) opts.noRecreate = true;
  if (flags.deps === false) opts.noDeps = true;
  if (flags.removeOrphans) opts.removeOrphans = true;
  if (flags.scale) opts.scale = flags.scale;
  if (flags.build === true) opts.build = true;
  if (flags.build === false) opts.noBuild = true;
  if (flags.pull) opts.pull = flags.pull;
  if (flags.timeout !== undefined) opts.timeoutSeconds = flags.timeout;
  if (flags.dryRun) opts.dryRun = true;
  if (flags.force) opts.force = true;
  if (flags.wait) opts.wait = true;
  if (flags.waitTimeout !== undefined) opts.waitTimeoutSeconds = flags.waitTimeout;
  return opts;
}

async function up(ctx: Context, flags: UpFlags, services: string[]): Promise<void> {
  const options = upOptions(flags, services);
  if (envTrue(ctx.env.COMPOSE_REMOVE_ORPHANS)) options.removeOrphans = true;
  const client: Api = await ctx.connect();
  const accepted = await client.up(ctx.source(services), options);
  const final = await followOperation(ctx, client, accepted);
  if (flags.dryRun) {
    const plan = final.plan ?? [];
    ctx.stdout.write(plan.length ? `${plan.join('\n')}\n` : 'nothing to do: the project is up to date\n');
    return;
  }
  // --wait implies detached, as in compose.
  if (flags.detach || flags.wait) return;
  await attachLogs(ctx, client, final.project, services, final.startedAt, flags.timeout);
}

export function registerUp(program: Command): Command {
  return program
    .command('up')
    .description('create and start containers (and keep them converged)')
    .argument('[services...]', 'services to start (and their dependencies)')
    .option('-d, --detach', 'run in the background; print nothing but the progress')
    .option('--wait', 'wait for services to be running|healthy (implies --detach)')
    .option('--wait-timeout <seconds>', 'maximum time to wait with --wait', seconds('--wait-timeout'))
    .option('--build', 'build images before starting containers')
    .option('--no-build', 'do not build an image, even if it is missing')
    .option('--pull <policy>', 'pull images before running: always, missing, never, policy')
    .option('--force-recreate', 'recreate containers even if their configuration has not changed')
    .option('--no-recreate', 'do not recreate containers that exist')
    .option('--no-deps', 'do not start linked services')
    .option('--remove-orphans', 'remove containers for services not defined in the compose file')
    .option('--scale <service=n>', 'scale SERVICE to NUM instances (repeatable)', scaleArg)
    .option(
      '-t, --timeout <seconds>',
      'shutdown timeout for replaced (and, attached, stopped) containers',
      seconds('-t'),
    )
    .option('--dry-run', 'print the plan (with the reason of each step) and change nothing')
    .option(
      '--force',
      'act even when the project name is already used by a project in another folder (takes it over)',
    )
    .action(
      handler<[string[]], UpFlags>(async (ctx, flags, services) => {
        if (flags.pull && !['always', 'missing', 'never', 'policy'].includes(flags.pull)) {
          throw usageError(`--pull ${flags.pull}: expected always, missing, never or policy`);
        }
        await up(ctx, flags, services);
      }),
    );
}
