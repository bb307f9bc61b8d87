import type { Command } from 'commander';
import type { ActionName } from '../client/api.js';
import type { Context } from '../context.js';
import { followOperation } from '../render/operation.js';
import { handler, scaleArg, seconds } from './util.js';

async function runAction(
  ctx: Context,
  action: ActionName,
  services: string[],
  body: Record<string, unknown>,
  title: string,
): Promise<void> {
  const client = await ctx.connect();
  const full = services.length ? { services, ...body } : body;
  await followOperation(ctx, client, await client.action(ctx.target(services), action, full), title);
}

const timeoutBody = (t: number | undefined) => (t !== undefined ? { timeoutSeconds: t } : {});

/** start, stop, restart, kill, pause, unpause, rm, scale: one route each, the same shape. */
export function registerLifecycle(program: Command): void {
  program
    .command('start')
    .description('start existing containers')
    .argument('[services...]')
    .action(
      handler<[string[]], object>((ctx, _f, services) => runAction(ctx, 'start', services, {}, 'Starting')),
    );

  program
    .command('stop')
    .description('stop running containers without removing them')
    .argument('[services...]')
    .option('-t, --timeout <seconds>', 'shutdown timeout', seconds('-t'))
    .action(
      handler<[string[]], { timeout?: number }>((ctx, f, services) =>
        runAction(ctx, 'stop', services, timeoutBody(f.timeout), 'Stopping'),
      ),
    );

  program
    .command('restart')
    .description('restart service containers')
    .argument('[services...]')
    .option('-t, --timeout <seconds>', 'shutdown timeout', seconds('-t'))
    .option('--no-deps', "don't restart dependent services (those with `depends_on: {restart: true}`)")
    .action(
      handler<[string[]], { timeout?: number; deps: boolean }>((ctx, f, services) =>
        runAction(
          ctx,
          'restart',
          services,
          { ...timeoutBody(f.timeout), ...(f.deps === false ? { noDeps: true } : {}) },
          'Restarting',
        ),
      ),
    );

  program
    .command('kill')
    .description('force stop service containers')
    .argument('[services...]')
    .option('-s, --signal <signal>', 'signal to send to the containers', 'SIGKILL')
    .option('--remove-orphans', 'also kill the containers of services not defined in the compose file')
    .action(
      handler<[string[]], { signal: string; removeOrphans?: boolean }>((ctx, f, services) =>
        runAction(
          ctx,
          'kill',
          services,
          { signal: f.signal, ...(f.removeOrphans ? { removeOrphans: true } : {}) },
          'Killing',
        ),
      ),
    );

  program
    .command('pause')
    .description('pause services')
    .argument('[services...]')
    .action(
      handler<[string[]], object>((ctx, _f, services) => runAction(ctx, 'pause', services, {}, 'Pausing')),
    );

  program
    .command('unpause')
    .description('unpause services')
    .argument('[services...]')
    .action(
      handler<[string[]], object>((ctx, _f, services) =>
        runAction(ctx, 'unpause', services, {}, 'Unpausing'),
      ),
    );

  program
    .command('rm')
    .description('remove stopped service containers')
    .argument('[services...]')
    .option('-f, --force', 'do not ask for confirmation (orc never asks)')
    .option('-s, --stop', 'stop the containers first, if running')
    .option('-v, --volumes', 'remove anonymous volumes attached to the containers')
    .action(
      handler<[string[]], { stop?: boolean; volumes?: boolean }>((ctx, f, services) =>
        runAction(
          ctx,
          'rm',
          services,
          { ...(f.stop ? { stop: true } : {}), ...(f.volumes ? { volumes: true } : {}) },
          'Removing',
        ),
      ),
    );

  program
    .command('scale')
    .description('scale services: orc scale web=3 worker=2')
    .argument('<service=n...>')
    .option('--no-deps', "don't start linked services (by default their dependencies are started too)")
    .action(
      handler<[string[]], { deps: boolean }>(async (ctx, f, pairs) => {
        const replicas = pairs.reduce<Record<string, number>>((acc, p) => scaleArg(p, acc), {});
        const dependencies = f.deps === false ? {} : { dependencies: true };
        await runAction(ctx, 'scale', [], { replicas, ...dependencies }, 'Scaling');
      }),
    );
}
