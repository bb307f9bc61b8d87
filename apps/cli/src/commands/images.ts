import type { Command } from 'commander';
import { table } from '../render/table.js';
import { findProject } from './project.js';
import { handler } from './util.js';

/** `registry:5000/app:1.2` → [`registry:5000/app`, `1.2`]; no tag = `latest`; a digest stays whole. */
export function splitReference(ref: string): [string, string] {
  if (ref.includes('@')) return [ref, ''];
  const slash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  return colon > slash ? [ref.slice(0, colon), ref.slice(colon + 1)] : [ref, 'latest'];
}

export function registerImages(program: Command): Command {
  return program
    .command('images')
    .description('list images used by the project’s containers')
    .argument('[services...]')
    .option('-q, --quiet', 'only display image references')
    .option('--format <format>', 'table or json', 'table')
    .action(
      handler<[string[]], { quiet?: boolean; format: string }>(async (ctx, f, services) => {
        const client = await ctx.connect();
        const { project } = await findProject(ctx, client);
        const containers = (project?.containers ?? [])
          .filter((c) => services.length === 0 || services.includes(c.Service))
          .sort((a, b) => a.Name.localeCompare(b.Name));
        if (f.quiet) {
          const refs = [...new Set(containers.map((c) => c.Image))];
          if (refs.length) ctx.stdout.write(`${refs.join('\n')}\n`);
          return;
        }
        const rows = containers.map((c) => [c.Name, ...splitReference(c.Image)]);
        if (f.format === 'json') {
          const json = rows.map(([container, repository, tag]) => ({
            ContainerName: container,
            Repository: repository,
            Tag: tag,
          }));
          ctx.stdout.write(`${JSON.stringify(json)}\n`);
        } else {
          ctx.stdout.write(`${table(['CONTAINER', 'REPOSITORY', 'TAG'], rows)}\n`);
        }
      }),
    );
}
