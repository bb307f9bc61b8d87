import type { Command } from 'commander';
import type { Context } from '../context.js';
import { usageError } from '../errors.js';
import { followOperation } from '../render/operation.js';
import { handler, repeat } from './util.js';

const UNITS: Record<string, number> = {
  '': 1,
  k: 1024,
  m: 1024 ** 2,
  g: 1024 ** 3,
  t: 1024 ** 4,
  p: 1024 ** 5,
};

/** docker's RAMInBytes: `512m`, `1g`, `1.5GiB`, `1048576` (binary units, case-insensitive). */
export function memoryBytes(value: string): number {
  const m = /^(\d+(?:\.\d+)?) ?([kmgtp]?)i?b?$/i.exec(value.trim());
  const unit = UNITS[(m?.[2] ?? '').toLowerCase()];
  const bytes = m && unit ? Math.floor(Number(m[1]) * unit) : Number.NaN;
  if (!Number.isFinite(bytes) || bytes < 1)
    throw usageError(`-m ${value}: expected a size such as 512m or 1g`, 'units: b, k, m, g, t, p (binary)');
  return bytes;
}

/** `pull --policy`: the two policies compose's pull takes. */
export function pullPolicy(value: string): string {
  if (value !== 'missing' && value !== 'always')
    throw usageError(`--policy ${value}: invalid pull policy`, 'expected missing or always');
  return value;
}

interface BuildFlags {
  cache: boolean;
  pull?: boolean;
  quiet?: boolean;
  buildArg?: string[];
  memory?: number;
  withDependencies?: boolean;
  push?: boolean;
}

/** build and pull: long operations on the project's images, progress like `up`'s. */
async function imageOperation(
  ctx: Context,
  action: 'build' | 'pull' | 'push',
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
    .option(
      '--build-arg <KEY=VAL>',
      'set build-time variables for services (repeatable; a bare KEY takes its value from the environment)',
      repeat,
    )
    .option('-m, --memory <bytes>', 'memory limit for the build container (e.g. 512m, 1g)', memoryBytes)
    .option('--with-dependencies', 'also build dependencies (transitively)')
    .option('--push', 'push service images once they are built')
    .action(
      handler<[string[]], BuildFlags>(async (ctx, f, services) => {
        await imageOperation(
          quietly(ctx, f.quiet),
          'build',
          {
            ...(services.length ? { services } : {}),
            ...(f.cache ? {} : { noCache: true }),
            ...(f.pull ? { pull: true } : {}),
            ...(f.buildArg?.length ? { buildArgs: f.buildArg } : {}),
            ...(f.memory ? { memory: f.memory } : {}),
            ...(f.withDependencies ? { withDependencies: true } : {}),
          },
          'Building',
        );
        // compose's --push: the same services' images (those with build: and image:) once all are built;
        // a failed build has already thrown, so nothing half-built is pushed.
        if (f.push)
          await imageOperation(
            quietly(ctx, f.quiet),
            'push',
            {
              ...(services.length ? { services } : {}),
              ...(f.withDependencies ? { includeDeps: true } : {}),
            },
            'Pushing',
          );
      }),
    );

  program
    .command('pull')
    .description('pull service images')
    .argument('[services...]')
    .option('--ignore-pull-failures', 'pull what it can and ignore images with pull failures')
    .option('-q, --quiet', 'pull without printing progress information')
    .option('--ignore-buildable', 'ignore images that can be built')
    .option('--include-deps', 'also pull services declared as dependencies')
    .option('--policy <policy>', 'apply pull policy: missing or always', pullPolicy)
    .action(
      handler<
        [string[]],
        {
          ignorePullFailures?: boolean;
          quiet?: boolean;
          ignoreBuildable?: boolean;
          includeDeps?: boolean;
          policy?: string;
        }
      >((ctx, f, services) =>
        imageOperation(
          quietly(ctx, f.quiet),
          'pull',
          {
            ...(services.length ? { services } : {}),
            ...(f.ignorePullFailures ? { ignorePullFailures: true } : {}),
            ...(f.ignoreBuildable ? { ignoreBuildable: true } : {}),
            ...(f.includeDeps ? { includeDeps: true } : {}),
            ...(f.policy ? { policy: f.policy } : {}),
          },
          'Pulling',
        ),
      ),
    );
}
