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

/** docker's sizes: decimal units, three significant digits (`4.26MB`). */
export function humanSize(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${Number(value.toPrecision(3))}${units[unit]}`;
}

/** `sha256:abcdef…` → the 12 characters docker shows. */
export function shortId(id: string): string {
  return id.replace(/^sha256:/, '').slice(0, 12);
}

export function registerImages(program: Command): Command {
  return program
    .command('images')
    .description('list images used by the project’s containers')
    .argument('[services...]')
    .option('-q, --quiet', 'only display image IDs')
    .option('--format <format>', 'table or json', 'table')
    .action(
      handler<[string[]], { quiet?: boolean; format: string }>(async (ctx, f, services) => {
        const client = await ctx.connect();
        const { name, project } = await findProject(ctx, client);
        if (!project) return;
        const images = (await client.images(name, services)).sort((a, b) =>
          a.container.localeCompare(b.container),
        );
        if (f.quiet) {
          const ids = [...new Set(images.map((i) => i.id))];
          if (ids.length) ctx.stdout.write(`${ids.join('\n')}\n`);
          return;
        }
        if (f.format === 'json') {
          const json = images.map((i) => {
            const [repository, tag] = splitReference(i.image);
            return { ID: i.id, ContainerName: i.container, Repository: repository, Tag: tag, Size: i.size };
          });
          ctx.stdout.write(`${JSON.stringify(json)}\n`);
          return;
        }
        const rows = images.map((i) => [
          i.container,
          ...splitReference(i.image),
          shortId(i.id),
          humanSize(i.size),
        ]);
        ctx.stdout.write(`${table(['CONTAINER', 'REPOSITORY', 'TAG', 'IMAGE ID', 'SIZE'], rows)}\n`);
      }),
    );
}
