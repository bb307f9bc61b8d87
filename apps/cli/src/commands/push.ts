/** `orc push [SERVICE...]`: compose's push, the images of the services that have `build:` and `image:`. */
import type { Command } from 'commander';
import { followOperation } from '../render/operation.js';
import { handler } from './util.js';

interface PushFlags {
  includeDeps?: boolean;
  ignorePushFailures?: boolean;
  quiet?: boolean;
}

export function registerPush(program: Command): Command {
  return program
    .command('push')
    .description('push service images')
    .argument('[services...]')
    .option('--include-deps', 'also push the images of the services the named ones depend on')
    .option('--ignore-push-failures', 'push what it can and ignore images with push failures')
    .option('-q, --quiet', 'push without printing progress information')
    .action(
      handler<[string[]], PushFlags>(async (ctx, f, services) => {
        // `-q`: the progress is not shown (failures still are), as `--progress quiet` does.
        const quiet = f.quiet ? { ...ctx, globals: { ...ctx.globals, progress: 'quiet' as const } } : ctx;
        const client = await ctx.connect();
        // The daemon loads the files (a name alone does not say what to push).
        const target = { name: ctx.globals.projectName ?? '-', source: ctx.source() };
        const body = {
          ...(services.length ? { services } : {}),
          ...(f.includeDeps ? { includeDeps: true } : {}),
          ...(f.ignorePushFailures ? { ignorePushFailures: true } : {}),
        };
        await followOperation(quiet, client, await client.action(target, 'push', body), 'Pushing');
      }),
    );
}
