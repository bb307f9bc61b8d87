/** What `ps` does with its flags (commander's part, the flags' definitions, is in ps.ts). */
import { ApiError } from '../client/http.js';
import type { PsTable } from '../client/types.js';
import type { Context } from '../context.js';
import { usageError } from '../errors.js';
import { filterContainers, type PsRow, psJson, psTable, swarmPsTable } from '../render/ps.js';
import { psFilterStatus } from './filters.js';
import { findProject } from './project.js';
import { watchLine } from './watch.js';

export const STATES = ['paused', 'restarting', 'removing', 'running', 'dead', 'created', 'exited'];

export interface PsFlags {
  all?: boolean;
  quiet?: boolean;
  services?: boolean;
  status?: string[];
  format: string;
  filter?: string;
  /** `--no-trunc` sets it false. */
  trunc?: boolean;
  orphans?: boolean;
}

export async function ps(ctx: Context, f: PsFlags, services: string[]): Promise<void> {
  if (f.format !== 'table' && f.format !== 'json') {
    throw usageError(`--format ${f.format}: expected table or json`);
  }
  const status = [...(f.status ?? []), ...psFilterStatus(f.filter)];
  for (const s of status) {
    if (!STATES.includes(s)) throw usageError(`status ${s}: expected one of ${STATES.join(', ')}`);
  }
  const client = await ctx.connect();
  // The plain table, of a project named by -p or by its files: the daemon's table view, a third of the
  // summary's bytes at 200 containers (issue 17, item 6). Every other form reads the summary.
  const target = ctx.target();
  if (f.format === 'table' && !f.quiet && !f.services && f.orphans !== false) {
    let project: PsTable | undefined;
    if (target.source) project = (await client.lookupTable(target.source)).project;
    else {
      try {
        project = await client.psTable(target.name);
      } catch (err) {
        if (!(err instanceof ApiError && err.status === 404)) throw err;
      }
    }
    const swarm = project?.target === 'swarm';
    const rows = filterContainers(project?.containers ?? [], {
      all: f.all === true || swarm,
      status,
      services,
    });
    return printTable(ctx, f, project, rows);
  }
  // Only the JSON shows what takes an inspect of each container (RestartCount).
  const json = f.format === 'json' && !f.quiet && !f.services;
  const { project } = await findProject(ctx, client, json);
  const swarm = (project as { target?: string } | undefined)?.target === 'swarm';
  const containers = filterContainers(project?.containers ?? [], {
    // A swarm project's rows are its tasks: those starting, failed or rejected say the most.
    all: f.all === true || swarm,
    status,
    services,
    // compose: without names, `--orphans=false` keeps the services the project declares.
    ...(f.orphans === false && services.length === 0 && project
      ? { declared: project.services.map((s) => s.name) }
      : {}),
  });
  if (f.quiet) {
    if (containers.length) ctx.stdout.write(`${containers.map((c) => c.ID).join('\n')}\n`);
  } else if (f.services) {
    const names = [...new Set(containers.map((c) => c.Service))].sort();
    if (names.length) ctx.stdout.write(`${names.join('\n')}\n`);
  } else if (f.format === 'json') {
    // Standing in for compose: its line-per-container JSON (nothing at all when there is none).
    const asCompose = Boolean(ctx.env.ORC_AS_COMPOSE);
    if (!asCompose || containers.length) ctx.stdout.write(`${psJson(containers, asCompose)}\n`);
  } else printTable(ctx, f, project, containers);
}

/** The table of the rows kept (or of none), as compose prints it; the project's watch is said on stderr. */
function printTable(ctx: Context, f: PsFlags, project: PsTable | undefined, containers: PsRow[]): void {
  const swarm = project?.target === 'swarm';
  ctx.stdout.write(
    `${swarm ? swarmPsTable(containers) : psTable(containers, Date.now(), f.trunc !== false)}\n`,
  );
  // On stderr: the table stays compose's for scripts that parse it.
  if (project?.watch) ctx.stderr.write(`${watchLine(project.watch)}\n`);
}
