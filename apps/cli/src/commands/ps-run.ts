/** What `ps` does with its flags (commander's part, the flags' definitions, is in ps.ts). */
import type { Context } from '../context.js';
import { usageError } from '../errors.js';
import { filterContainers, psJson, psTable, swarmPsTable } from '../render/ps.js';
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
  } else {
    ctx.stdout.write(
      `${swarm ? swarmPsTable(containers) : psTable(containers, Date.now(), f.trunc !== false)}\n`,
    );
    // On stderr: the table stays compose's for scripts that parse it.
    if (project?.watch) ctx.stderr.write(`${watchLine(project.watch)}\n`);
  }
}
