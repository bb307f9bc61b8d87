/** `orc commit SERVICE [REPOSITORY[:TAG]]`: compose's commit, a service container's changes as an image. */
import type { Command } from 'commander';
import { usageError } from '../errors.js';
import { findProject } from './project.js';
import { count, handler, repeat } from './util.js';

/** `registry:5000/app:1.2` → repo and tag; no tag: none (the engine's default); a digest is refused. */
export function splitRepoTag(ref: string): { repo: string; tag?: string } {
  if (ref.includes('@'))
    throw usageError(`${ref}: a commit cannot be named by a digest`, 'use REPOSITORY[:TAG]');
  const slash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  return colon > slash ? { repo: ref.slice(0, colon), tag: ref.slice(colon + 1) } : { repo: ref };
}

/** compose's `-p, --pause` is a bool that defaults to true: `--pause=false` (or `-p false`) turns it off. */
function boolValue(value: string): boolean {
  if (['true', '1'].includes(value)) return true;
  if (['false', '0'].includes(value)) return false;
  throw usageError(`--pause ${value}: expected true or false`);
}

interface CommitFlags {
  author?: string;
  change?: string[];
  message?: string;
  pause: boolean;
  index: number;
}

export function registerCommit(program: Command): Command {
  return program
    .command('commit')
    .description('create a new image from a service container’s changes')
    .argument('<service>')
    .argument('[repository]', 'REPOSITORY[:TAG] of the new image')
    .option('-a, --author <author>', 'author (e.g. "John Hannibal Smith <hannibal@a-team.com>")')
    .option('-c, --change <instruction>', 'apply a Dockerfile instruction to the image (repeatable)', repeat)
    .option('-m, --message <message>', 'commit message')
    .option('-p, --pause [bool]', 'pause the container during commit (default true)', boolValue, true)
    .option('--index <n>', 'index of the container if the service has several replicas', count('--index'), 1)
    .action(
      handler<[string, string | undefined], CommitFlags>(async (ctx, f, service, reference) => {
        if (f.index < 1) throw usageError('--index must be 1 or more');
        const client = await ctx.connect();
        const { name } = await findProject(ctx, client);
        const { id, container } = await client.commit(name, {
          service,
          index: f.index,
          ...(reference ? splitRepoTag(reference) : {}),
          ...(f.author ? { author: f.author } : {}),
          ...(f.message ? { message: f.message } : {}),
          ...(f.change?.length ? { changes: f.change } : {}),
          pause: f.pause,
        });
        // compose reports it on its progress output; the id goes to stdout for scripts, as `docker commit`.
        ctx.stderr.write(`Container ${container} Committed\n`);
        ctx.stdout.write(`${id}\n`);
      }),
    );
}
