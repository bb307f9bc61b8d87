/** `orc volumes [SERVICE...]`: compose v2's `volumes`, the project's volumes (DRIVER, VOLUME NAME). */
import type { Command } from 'commander';
import type { ProjectVolume } from '../client/types.js';
import { usageError } from '../errors.js';
import { table } from '../render/table.js';
import { findProject } from './project.js';
import { handler } from './util.js';

/** A volume as docker's formatter names its fields (`{{.Name}}`, `--format json`). */
export function volumeFields(v: ProjectVolume): Record<string, string> {
  return {
    Driver: v.driver,
    Labels: Object.entries(v.labels)
      .map(([k, val]) => `${k}=${val}`)
      .sort()
      .join(','),
    Mountpoint: v.mountpoint,
    Name: v.name,
    Scope: 'local',
  };
}

/** `{{.Name}}`-style fields of a Go template (`\t` and `\n` as docker reads them); others are refused. */
export function renderTemplate(template: string, fields: Record<string, string>): string {
  return template
    .replace(/\{\{\s*\.(\w+)\s*\}\}/g, (whole, name: string) => {
      const value = fields[name];
      if (value === undefined) {
        throw usageError(
          `--format ${template}: unknown field ${whole}`,
          `fields: ${Object.keys(fields).join(', ')}`,
        );
      }
      return value;
    })
    .replace(/\\t/g, '\t')
    .replace(/\\n/g, '\n');
}

/** The lines `volumes` prints for a format: `table` (default), `json`, `table TEMPLATE` or `TEMPLATE`. */
export function renderVolumes(volumes: ProjectVolume[], format: string, quiet: boolean): string[] {
  if (quiet) return volumes.map((v) => v.name);
  if (format === 'json') return volumes.map((v) => JSON.stringify(volumeFields(v)));
  if (format === 'table') {
    return [
      table(
        ['DRIVER', 'VOLUME NAME'],
        volumes.map((v) => [v.driver, v.name]),
      ),
    ];
  }
  if (format.startsWith('table ')) {
    const template = format.slice('table '.length);
    const names = [...template.matchAll(/\{\{\s*\.(\w+)\s*\}\}/g)].map((m) => m[1] ?? '');
    const headers = names.map((n) => (n === 'Name' ? 'VOLUME NAME' : n.toUpperCase()));
    const rows = volumes.map((v) => names.map((n) => renderTemplate(`{{.${n}}}`, volumeFields(v))));
    return [table(headers, rows)];
  }
  return volumes.map((v) => renderTemplate(format, volumeFields(v)));
}

/** The project's keys of the volumes that the named services mount (from `config`'s services). */
export function volumeKeysOf(services: Record<string, unknown>, named: string[]): Set<string> {
  const keys = new Set<string>();
  for (const name of named) {
    const svc = services[name];
    const mounts = isObject(svc) && Array.isArray(svc.volumes) ? svc.volumes : [];
    for (const m of mounts) {
      if (isObject(m) && m.type === 'volume' && typeof m.source === 'string') keys.add(m.source);
    }
  }
  return keys;
}

export function registerVolumes(program: Command): Command {
  return program
    .command('volumes')
    .description('list the project’s volumes')
    .argument('[services...]', 'only the volumes these services mount')
    .option('-q, --quiet', 'only display volume names')
    .option('--format <format>', "table, json, 'table TEMPLATE' or a Go-style TEMPLATE ({{.Name}})", 'table')
    .action(
      handler<[string[]], { quiet?: boolean; format: string }>(async (ctx, f, services) => {
        const client = await ctx.connect();
        const { name } = await findProject(ctx, client);
        let volumes = await client.volumes(name);
        if (services.length) {
          const answer = await client.config(ctx.source(services), 'json', false);
          const project = isObject(answer) && isObject(answer.project) ? answer.project : {};
          const all = isObject(project.services) ? project.services : {};
          for (const s of services) {
            if (!(s in all)) throw usageError(`no such service: ${s}`);
          }
          const keys = volumeKeysOf(all, services);
          volumes = volumes.filter((v) => v.key !== undefined && keys.has(v.key));
        }
        const lines = renderVolumes(volumes, f.format, f.quiet === true);
        if (lines.length && lines.join('') !== '') ctx.stdout.write(`${lines.join('\n')}\n`);
      }),
    );
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
