/**
 * At start: projects whose lease names this daemon but which it has no record of (deleted by hand, or
 * set aside as untrustworthy). The labels say it kept them, and they say where the files are. The
 * daemon loads those files again and re-adopts the project only when that gives exactly what runs (every
 * container's config hash matches its service's): the labels do not carry the client environment the
 * files were first interpolated with, so a match is the proof that nothing depended on it. Otherwise it
 * says so, with the command that keeps the project again. It never guesses.
 */
import { Labels } from '@orc/spec';
import { readoptCommand, type VerbContext } from './context.js';
import { leasedWithoutRecord } from './lease.js';
import { selectionFailure } from './selection.js';

export async function readoptLeasedProjects(ctx: VerbContext): Promise<void> {
  const { engine, store, bus, log } = ctx;
  const recorded = new Set((await store.list()).map((r) => r.name));
  for (const project of await leasedWithoutRecord(engine, await ctx.identity(), recorded)) {
    const why = await tryReadopt(ctx, project);
    if (why === undefined) {
      log.info('project re-adopted', { project });
      bus.publish({
        type: 'store',
        project,
        action: 're-adopted',
        reason: 'no record, but its lease names this daemon and its files give exactly what runs: kept again',
      });
      continue;
    }
    const command = await readoptCommand(engine, project);
    const reason =
      `this daemon kept ${project} (its lease says so) but has no record of it, and cannot rebuild one: ${why}; ` +
      `it is not converged until kept again${command ? `: ${command}` : ''}`;
    log.warn('project record missing', { project, why, ...(command ? { command } : {}) });
    bus.publish({ type: 'store', project, action: 'record-missing', reason });
  }
}

/** Undefined when re-adopted; else why not. */
async function tryReadopt(ctx: VerbContext, project: string): Promise<string | undefined> {
  const containers = (await ctx.engine.listContainers({ label: [`${Labels.project}=${project}`] })).filter(
    (c) => c.Labels?.[Labels.oneoff] !== 'True',
  );
  const labels = containers.map((c) => c.Labels ?? {}).find((l) => l[Labels.workingDir]);
  if (!labels) return 'none of its containers says where its files are';
  const files = (labels[Labels.configFiles] ?? '').split(',').filter(Boolean);
  const source = { workingDir: labels[Labels.workingDir] ?? '/', files, projectName: project, env: {} };
  const loaded = await ctx.load(source);
  if (!loaded.ok)
    return `its files do not load without the original environment (${loaded.errors[0]?.message})`;
  const counts: Record<string, number> = {};
  for (const c of containers) {
    const s = c.Labels?.[Labels.service];
    if (s) counts[s] = (counts[s] ?? 0) + 1;
  }
  // The services it would keep converged are those running: their env_file and container_name problems.
  const problem = selectionFailure(loaded.project, Object.keys(counts), loaded.warnings);
  if (problem) return `its files do not load for the services it runs (${problem.errors[0]?.message})`;
  const d = ctx.toDesired(loaded.project, counts);
  if (!('desired' in d)) return 'its files do not give a desired state';
  const hashOf = new Map(d.desired.services.map((s) => [s.name, s.hash]));
  const differs = containers.find(
    (c) => hashOf.get(c.Labels?.[Labels.service] ?? '') !== c.Labels?.[Labels.configHash],
  );
  if (differs)
    return `its files now give another definition of ${differs.Labels?.[Labels.service]} than the one running`;
  const now = new Date().toISOString();
  await ctx.remember({
    name: project,
    source,
    runState: {},
    scale: counts,
    services: Object.keys(counts).sort(),
    desired: d.desired,
    leased: true,
    createdAt: now,
    updatedAt: now,
  });
  return undefined;
}
