import type { Command } from 'commander';
import type { Context } from '../context.js';
import { followOperation } from '../render/operation.js';
import { handler } from './util.js';

/** build and pull: long operations on the project's images, progress like `up`'s. */
async function imageOperation(
  ctx: Context,
  action: 'build' | 'pull',
  body: Record<string, unknown>,
  title: string,
): Promise<void> {
  const client = await ctx.connect();
  // The daemon loads the files (a name alone does not say what to build or pull).
  const target = { name: ctx.globals.projectName ?? '-', source: ctx.source() };
  await followOperation(ctx, client, await client.action(target, action, body), title);
}

/** `-q`: the operation's progress is not shown (failures still are), as `--progress quiet` does. */
function quietly(ctx: Context, quiet: boolean | undefined): Context {
  return quiet ? { ...ctx, globals: { ...ctx.globals, progress: 'quiet' } } : ctx;
}

export function registerBuild(program: Command): void {
  program
    .command('build')
    .description('build or rebuild services')
    .argument('[services...]')
    .option('--no-cache', 'do not use cache when building the image')
    .option('--pull', 'always attempt to pull a newer version of the base image')
    .option('-q, --quiet', 'do not print the build progress')
    .action(
      handler<[string[]], { cache: boolean; pull?: boolean; quiet?: boolean }>((ctx, f, services) =>
        imageOperation(
          quietly(ctx, f.quiet),
          'build',
          {
            ...(services.length ? { services } : {}),
            ...(f.cache ? {} : { noCache: true }),
            ...(f.pull ? { pull: true } : {}),
          },
          'Building',
        ),
      ),
    );

  program
    .command('pull')
    .description('pull service images')
    .argument('[services...]')
    .option('--ignore-pull-failures', 'pull what it can and ignore images with pull failures')
    .option('-q, --quiet', 'pull without printing progress information')
    .action(
      handler<[string[]], { ignorePullFailures?: boolean; quiet?: boolean }>((ctx, f, services) =>
        imageOperation(
          quietly(ctx, f.quiet),
          'pull',
          {
            ...(services.length ? { services } : {}),
            ...(f.ignorePullFailures ? { ignorePullFailures: true } : {}),
          },
          'Pulling',
        ),
      ),
    );
}
