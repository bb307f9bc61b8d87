/**
 * `orc wait SERVICE...`: compose's `wait`. Blocks until the first container of the named services is not
 * running any more (one that has already stopped counts at once) and exits with its exit code; with
 * `--down-project`, takes the project down first.
 */
import type { Command } from 'commander';
import type { Api } from '../client/api.js';
import type { ContainerSummary } from '../client/types.js';
import { CliError, type ExitCodeValue, usageError } from '../errors.js';
import { followOperation } from '../render/operation.js';
import { handler } from './util.js';

const NOT_STOPPED = new Set(['running', 'restarting', 'paused', 'created']);

/** The first stopped container of `services` (by name, for a stable answer), if any. */
export function firstStopped(
  containers: ContainerSummary[],
  services: string[],
): ContainerSummary | undefined {
  return containers
    .filter((c) => services.includes(c.Service) && !NOT_STOPPED.has(c.State))
    .sort((a, b) => (a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : 0))[0];
}

async function waitFor(
  client: Api,
  project: string,
  services: string[],
  pollMs: number,
): Promise<ContainerSummary> {
  for (;;) {
    const summary = await client.getProject(project);
    const mine = summary.containers.filter((c) => services.includes(c.Service));
    if (mine.length === 0) {
      throw new CliError(
        `no container of ${services.join(', ')} in project ${project}: nothing to wait for`,
        1,
      );
    }
    const stopped = firstStopped(mine, services);
    if (stopped) return stopped;
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

export function registerWait(program: Command): Command {
  return program
    .command('wait')
    .description('block until the first container of the services stops; exit with its exit code')
    .argument('<services...>', 'services to wait for')
    .option('--down-project', 'take the project down when the first container stops')
    .action(
      handler<[string[]], { downProject?: boolean }>(async (ctx, flags, services) => {
        if (services.length === 0) throw usageError('wait needs at least one service');
        const client = await ctx.connect();
        const project = await ctx.projectName(client);
        const stopped = await waitFor(client, project, services, 500);
        if (flags.downProject)
          await followOperation(ctx, client, await client.action(ctx.target(), 'down', {}));
        // The container's own exit code, as compose's wait returns it (0 exits 0).
        if (stopped.ExitCode !== 0) throw new CliError('', stopped.ExitCode as ExitCodeValue);
      }),
    );
}
