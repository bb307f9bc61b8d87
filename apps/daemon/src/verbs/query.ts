/** The read-only verbs: ps/ls (project summaries), config, logs, exec, top, images, health. */
import { formatProblem, Labels, type LoadResult, loadProject, problemsFor } from '@orc/spec';
import { OrcError } from '../contract/errors.js';
import type { ProjectSource, ProjectSummary } from '../contract/types.js';
import { openExec } from '../engine/exec.js';
import { followProjectLogs } from '../logs/container-logs.js';
import { observeProject } from '../observe/observe.js';
import type { ObservedContainer } from '../observe/types.js';
import type { ProjectRecord } from '../store/store.js';
import type { Restarter } from '../supervise/restarter.js';
import { projectGetArchive, projectPutArchive, projectStatPath } from './archive.js';
import type { VerbContext } from './context.js';
import { trackLastChanges } from './last-change.js';
import { groupByProject } from './project-list.js';
import { selectionFailure } from './selection.js';
import { projectSummary } from './summary.js';
import { projectAttach, projectExport, projectImages, projectStats, projectTop } from './top.js';
import type { Core, ProjectTarget } from './types.js';

type Queries = Pick<
  Core,
  | 'health'
  | 'listProjects'
  | 'getProject'
  | 'config'
  | 'logs'
  | 'exec'
  | 'top'
  | 'stats'
  | 'exportContainer'
  | 'statPath'
  | 'getArchive'
  | 'putArchive'
  | 'attach'
  | 'images'
>;

export function createQueries(ctx: VerbContext, restarter: Pick<Restarter, 'annotate'>): Queries {
  const { engine, store, bus } = ctx;
  const lastChanges = trackLastChanges(bus);

  /** A project's summary from its record and its containers (listed, or inspected with `detail`). */
  const summarise = async (
    name: string,
    record: ProjectRecord | undefined,
    containers: ObservedContainer[],
    detail: boolean,
  ): Promise<ProjectSummary> => {
    const watch = ctx.watches?.info(name);
    const lastChange =
      lastChanges.get(name) ??
      (record ? { time: record.updatedAt, what: 'applied (record written)' } : undefined);
    const summary = await restarter.annotate(
      {
        ...projectSummary({
          name,
          containers,
          registered: Boolean(record),
          ...(record?.desired ? { desired: record.desired } : {}),
          ...(record ? { runState: record.runState } : {}),
        }),
        ...(lastChange ? { lastChange } : {}),
      },
      // The last probe's output costs an inspect per healthchecked container: the detailed views only.
      { probes: detail },
    );
    return watch ? { ...summary, watch } : summary;
  };

  const getProject = async (
    target: ProjectTarget,
    opts: { detail?: boolean } = {},
  ): Promise<ProjectSummary | undefined> => {
    let name: string;
    try {
      name = (await ctx.resolveName(target)).name;
    } catch (err) {
      if (err instanceof OrcError && err.code === 'INVALID_REQUEST') return undefined;
      throw err;
    }
    const detail = opts.detail !== false;
    // Kept fresh from the events, details included; it lists (and inspects with `detail`) while it cannot be.
    const [record, observed] = await Promise.all([store.get(name), ctx.observed.read(name, { detail })]);
    if (!record && observed.containers.length === 0) return undefined;
    return summarise(name, record, observed.containers, detail);
  };

  /** The old list: a project view each (an inspect per container). `GET /v1/projects?detail=true`. */
  const listDetailed = async (): Promise<ProjectSummary[]> => {
    const [records, containers] = await Promise.all([
      store.list(),
      engine.listContainers({ label: [Labels.project] }),
    ]);
    const names = new Set([
      ...records.map((r) => r.name),
      ...containers.map((c) => c.Labels?.[Labels.project] ?? ''),
    ]);
    names.delete('');
    const summaries = await Promise.all([...names].sort().map((name) => getProject({ name })));
    return summaries.filter((s): s is ProjectSummary => s !== undefined);
  };

  return {
    async health() {
      // A health check answers within a second, whatever state the engine is in.
      const v = await engine.version(900);
      return { engineVersion: v.Version, engineApiVersion: v.ApiVersion };
    },
    getProject,
    async listProjects(opts = {}) {
      if (opts.detail) return listDetailed();
      // One engine list for every project, no inspect: 100 projects cost one call, not 100 lists and
      // an inspect per container (issue 19).
      const [records, listed] = await Promise.all([
        store.list(),
        engine.listContainers({ label: [Labels.project] }),
      ]);
      const byProject = groupByProject(listed);
      const recordOf = new Map(records.map((r) => [r.name, r]));
      const names = [...new Set([...recordOf.keys(), ...byProject.keys()])].sort();
      return Promise.all(
        names.map((name) => summarise(name, recordOf.get(name), byProject.get(name) ?? [], false)),
      );
    },
    async config(source, opts = {}) {
      // `--no-consistency`: the model as written, cross-reference problems kept as warnings (compose skips them).
      const loaded = opts.consistency === false ? await relaxedLoad(source) : await ctx.load(source);
      if (!loaded.ok) return { code: 'INVALID_PROJECT', errors: loaded.errors, warnings: loaded.warnings };
      // compose's `config` validates every service; `config --hash a` only the services it prints.
      const { serviceProblems: _problems, ...project } = loaded.project;
      const selected = opts.services?.length ? opts.services : Object.keys(project.services);
      const problem = selectionFailure(loaded.project, selected, loaded.warnings);
      if (problem) return problem;
      // The desired state of every service, for its hash: most of the cost of a kept load's answer.
      const d = opts.hashes === false ? undefined : ctx.toDesired(project, {});
      const hashes = !d
        ? undefined
        : 'desired' in d
          ? Object.fromEntries(d.desired.services.map((x) => [x.name, x.hash]))
          : {};
      return {
        ok: true,
        project,
        warnings: loaded.warnings,
        ...(hashes ? { hashes } : {}),
        ...(loaded.variables ? { variables: loaded.variables } : {}),
        ...(opts.environment && loaded.environment ? { environment: loaded.environment } : {}),
      };
    },
    async *logs(target, o, signal) {
      const { name } = await ctx.resolveName(target);
      yield* followProjectLogs(engine, name, o, signal, bus);
    },
    async exec(target, o) {
      const { name } = await ctx.resolveName(target);
      const observed = await observeProject(engine, name);
      const index = o.index ?? 1;
      const c = observed.containers.find((x) => x.service === o.service && x.number === index && !x.oneoff);
      if (!c) {
        throw new OrcError(
          'NOT_FOUND',
          `service ${o.service} of project ${name} has no container number ${index}`,
        );
      }
      if (c.state !== 'running') {
        throw new OrcError(
          'CONFLICT',
          `container ${c.name} is ${c.state}, not running; start it first (orc start ${o.service})`,
        );
      }
      return openExec(engine, c.id, o);
    },
    top: async (target, services) => projectTop(engine, (await ctx.resolveName(target)).name, services),
    attach: async (target, service, index, stdin) =>
      projectAttach(engine, (await ctx.resolveName(target)).name, service, index ?? 1, stdin ?? false),
    exportContainer: async (target, service, index) =>
      projectExport(engine, (await ctx.resolveName(target)).name, service, index ?? 1),
    statPath: async (target, service, index, path) =>
      projectStatPath(engine, (await ctx.resolveName(target)).name, service, index, path),
    getArchive: async (target, service, index, path, follow) =>
      projectGetArchive(engine, (await ctx.resolveName(target)).name, service, index, path, follow),
    putArchive: async (target, service, where, path, tar, copyUIDGID) =>
      projectPutArchive(engine, (await ctx.resolveName(target)).name, service, where, path, tar, copyUIDGID),
    stats: async (target, services, all) =>
      projectStats(engine, (await ctx.resolveName(target)).name, services, all ?? false),
    images: async (target, services) => projectImages(engine, (await ctx.resolveName(target)).name, services),
  };
}

/**
 * Loads twice when needed: strictly, and without the consistency check, whose errors become warnings. A
 * container_name clash is a consistency problem kept on the strict Project (it fails only the commands
 * selecting both services): the relaxed load has none, and the strict one's becomes a warning too.
 */
async function relaxedLoad(source: ProjectSource): Promise<LoadResult> {
  const strict = await loadProject(source);
  if (strict.ok && !strict.project.serviceProblems) return strict;
  const relaxed = await loadProject({ ...source, skipConsistencyCheck: true });
  if (!relaxed.ok) return relaxed;
  if (!strict.ok) return { ...relaxed, warnings: [...relaxed.warnings, ...strict.errors] };
  const all = (p: typeof strict.project) => problemsFor(p, Object.keys(p.services));
  const kept = new Set(all(relaxed.project).map(formatProblem));
  const skipped = all(strict.project).filter((p) => !kept.has(formatProblem(p)));
  return { ...relaxed, warnings: [...relaxed.warnings, ...skipped] };
}
