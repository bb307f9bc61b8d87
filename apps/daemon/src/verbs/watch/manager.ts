/**
 * The daemon's watches (`orc watch`, `up --watch`): one per project, living in the daemon, which runs on the
 * same host as the files. A change is matched to its rules (match.ts), batched (batch.ts), then acted on in
 * order, one batch at a time per project: `sync` copies what changed (sync.ts), `sync+restart` then restarts
 * the service, `sync+exec` then runs `exec.command` in each container, `restart` restarts, `rebuild` builds
 * and recreates the service through the normal `up` (a plan). Each action is an event (`type: watch`) that
 * names the files that caused it. A detached watch is written in the project's record, so the next daemon
 * resumes it; a foreground one ends with its client's stream.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isSyncAction, type Project, type WatchRule } from '@orc/spec';
import { OrcError } from '../../contract/errors.js';
import type { ProjectSource, WatchInfo } from '../../contract/types.js';
import { parseIgnoreFile } from '../../images/context.js';
import { observeProject } from '../../observe/observe.js';
import type { VerbContext } from '../context.js';
import type { ServiceActionVerb } from '../service-action.js';
import type { OperationHandle } from '../types.js';
import type { Up } from '../up.js';
import { createBatcher, WATCH_MAX_MS, WATCH_QUIET_MS } from './batch.js';
import { type RuleMatcher, ruleMatcher } from './match.js';
import { containerPath, execChecked, listTree, type SyncResult, syncToContainers } from './sync.js';
import { type TreeWatch, watchTree } from './tree.js';

export interface WatchRequest {
  services?: string[];
  /** Kept after the client has gone, and recorded so that a restarted daemon resumes it. */
  detach: boolean;
}

export interface WatchManager {
  start(source: ProjectSource, req: WatchRequest): Promise<WatchInfo & { project: string }>;
  /** Ends a project's watch (and forgets it in the record); false when there was none. */
  stop(name: string): Promise<boolean>;
  /** Ends a foreground watch when its client goes, unless it became detached since. */
  release(name: string, since: string): Promise<void>;
  info(name: string): WatchInfo | undefined;
  /** The detached watches of the records (daemon start). */
  resume(): Promise<void>;
  close(): void;
}

interface Running {
  info: WatchInfo;
  tree: TreeWatch;
  cancel(): void;
}

export interface WatchDeps {
  up: Up;
  serviceAction: ServiceActionVerb;
  quietMs?: number;
  maxMs?: number;
}

export function createWatchManager(ctx: VerbContext, deps: WatchDeps): WatchManager {
  const { engine, bus, store, log } = ctx;
  const running = new Map<string, Running>();
  const quietMs = deps.quietMs ?? WATCH_QUIET_MS;
  const maxMs = deps.maxMs ?? WATCH_MAX_MS;

  const say = (
    project: string,
    action: string,
    reason: string,
    extra: { service?: string; container?: string; attributes?: Record<string, string> } = {},
  ) => bus.publish({ type: 'watch', project, action, reason, ...extra });

  const end = (name: string) => {
    const r = running.get(name);
    if (!r) return false;
    r.cancel();
    r.tree.close();
    running.delete(name);
    return true;
  };

  const start: WatchManager['start'] = async (source, req) => {
    const loaded = await ctx.load(source);
    if (!loaded.ok) {
      const first = loaded.errors[0];
      throw new OrcError('INVALID_PROJECT', `invalid compose project: ${first?.message ?? 'unknown error'}`, {
        errors: loaded.errors,
      });
    }
    const project = loaded.project;
    const name = project.name;
    const matchers = await matchersOf(project, req.services);
    const current = running.get(name);
    // A foreground `orc watch` on a project the daemon already watches detached follows that watch: its
    // client going away must not end what `up -d --watch` asked to keep.
    if (current?.info.detached && !req.detach) return { project: name, ...current.info };
    end(name);
    const since = new Date().toISOString();
    const services = [...new Set(matchers.map((m) => m.service))].sort();
    let queue: Promise<void> = Promise.resolve();
    const batcher = createBatcher(
      (paths) => {
        queue = queue.then(() =>
          act(name, source, matchers, paths).catch((err) => say(name, 'failed', (err as Error).message)),
        );
      },
      quietMs,
      maxMs,
    );
    const tree = watchTree({
      roots: [...new Set(matchers.map((m) => m.rule.path))],
      skipDir: (dir) =>
        matchers.every((m) => m.rule.path !== dir && (m.relative(dir) === undefined || m.skipsDir(dir))),
      onChange: (path) => {
        if (matchers.some((m) => m.matches(path))) batcher.add(path);
      },
      onProblem: (message) => {
        log.warn('watch', { project: name, message });
        say(name, 'warning', message);
      },
    });
    const info: WatchInfo = { services, detached: req.detach, since, rules: matchers.length, dirs: 0 };
    running.set(name, { info, tree, cancel: () => batcher.cancel() });
    await tree.ready;
    info.dirs = tree.dirs;
    if (req.detach)
      await remember(name, { ...(req.services?.length ? { services: req.services } : {}), since });
    say(
      name,
      'started',
      `watching ${matchers.length} rule(s) of ${services.join(', ')} in ${tree.dirs} director${tree.dirs === 1 ? 'y' : 'ies'} (batches: ${quietMs} ms quiet, ${maxMs} ms at most)${req.detach ? ', in the daemon until `orc watch --stop` or `down`' : ''}`,
      { attributes: { services: services.join(','), dirs: String(tree.dirs) } },
    );
    // initial_sync: the whole path once, before the first change.
    for (const m of matchers.filter((x) => x.rule.initial_sync && isSyncAction(x.rule.action))) {
      const files = await listTree(
        m.rule.path,
        (p) => m.matches(p),
        (d) => m.skipsDir(d),
      );
      queue = queue.then(() =>
        syncRule(name, m, files, 'initial sync').then(
          () => undefined,
          (err) => say(name, 'failed', (err as Error).message, { service: m.service }),
        ),
      );
    }
    await queue;
    return { project: name, ...info };
  };

  async function remember(name: string, watch: { services?: string[]; since: string } | undefined) {
    const record = await store.get(name);
    if (!record) return;
    const { watch: _old, ...rest } = record;
    await store.put({ ...rest, ...(watch ? { watch } : {}), updatedAt: new Date().toISOString() });
  }

  async function containersOf(name: string, service: string) {
    const observed = await observeProject(engine, name);
    return observed.containers
      .filter((c) => c.service === service && !c.oneoff && c.state === 'running')
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  async function syncRule(name: string, m: RuleMatcher, paths: string[], why: string): Promise<SyncResult> {
    const target = m.rule.target ?? '/';
    const files = paths.map((host) => ({ host, container: containerPath(target, m.relative(host) ?? '') }));
    const containers = await containersOf(name, m.service);
    if (containers.length === 0) {
      say(name, 'skipped', `${m.service} has no running container to sync ${describe(m, paths)} into`, {
        service: m.service,
      });
      return { copied: [], removed: [], skipped: paths };
    }
    const result = await syncToContainers(engine, { files, containers });
    say(
      name,
      'sync',
      `${why}: ${describe(m, paths)} → ${target} in ${containers.map((c) => c.name).join(', ')} (${result.copied.length} copied, ${result.removed.length} removed)`,
      {
        service: m.service,
        attributes: {
          rule: String(m.index),
          files: paths.map((p) => m.relative(p) || '.').join(','),
          copied: String(result.copied.length),
          removed: String(result.removed.length),
        },
      },
    );
    return result;
  }

  async function act(name: string, source: ProjectSource, matchers: RuleMatcher[], paths: string[]) {
    const hits = new Map<string, Map<RuleMatcher, string[]>>();
    for (const path of paths) {
      for (const m of matchers) {
        if (!m.matches(path)) continue;
        const byRule = hits.get(m.service) ?? new Map<RuleMatcher, string[]>();
        byRule.set(m, [...(byRule.get(m) ?? []), path]);
        hits.set(m.service, byRule);
      }
    }
    for (const [service, byRule] of hits) {
      const rebuild = [...byRule].find(([m]) => m.rule.action === 'rebuild');
      if (rebuild) {
        // The new image has the files: a rebuild makes the service's syncs of this batch moot.
        const [m, files] = rebuild;
        say(
          name,
          'rebuild',
          `${describe(m, files)} changed: rebuilding ${service} and recreating its containers`,
          {
            service,
            attributes: { rule: String(m.index), files: files.map((p) => m.relative(p) || '.').join(',') },
          },
        );
        const handle = await deps.up(source, { services: [service], build: true, noDeps: true });
        await settle(name, service, 'rebuild', handle);
        continue;
      }
      let restart: string[] | undefined;
      for (const [m, files] of byRule) {
        if (isSyncAction(m.rule.action)) await syncRule(name, m, files, 'changed');
        if (m.rule.action === 'sync+restart' || m.rule.action === 'restart')
          restart = files.map((p) => m.relative(p) || '.');
        if (m.rule.action === 'sync+exec' && m.rule.exec?.command) {
          await runExec(
            name,
            service,
            m.rule,
            files.map((p) => m.relative(p) || '.'),
          );
        }
      }
      if (restart) {
        say(name, 'restart', `${restart.join(', ')} changed: restarting ${service}`, {
          service,
          attributes: { files: restart.join(',') },
        });
        const handle = await deps.serviceAction({ name }, 'restart', { services: [service] });
        await settle(name, service, 'restart', handle);
      }
    }
  }

  async function runExec(name: string, service: string, rule: WatchRule, files: string[]) {
    const exec = rule.exec;
    if (!exec?.command) return;
    const env = Object.entries(exec.environment ?? {})
      .filter((e): e is [string, string] => e[1] !== null)
      .map(([k, v]) => `${k}=${v}`);
    for (const c of await containersOf(name, service)) {
      await execChecked(engine, c, exec.command, {
        ...(env.length ? { env } : {}),
        ...(exec.user ? { user: exec.user } : {}),
        ...(exec.working_dir ? { workdir: exec.working_dir } : {}),
        ...(exec.privileged ? { privileged: true } : {}),
      });
      say(name, 'exec', `${files.join(', ')} changed: ran ${exec.command.join(' ')} in ${c.name}`, {
        service,
        container: c.name,
        attributes: { files: files.join(',') },
      });
    }
  }

  async function settle(
    name: string,
    service: string,
    what: string,
    handle: OperationHandle | { code: 'INVALID_PROJECT'; errors: Array<{ message: string }> },
  ) {
    if (!('done' in handle)) {
      say(
        name,
        'failed',
        `${what} of ${service}: ${handle.errors[0]?.message ?? 'the project does not load'}`,
        {
          service,
        },
      );
      return;
    }
    const record = await handle.done;
    if (record.state === 'failed') {
      say(name, 'failed', `${what} of ${service} failed: ${record.error?.message ?? 'unknown error'}`, {
        service,
      });
    } else
      say(name, `${what} done`, `${service} ${what === 'rebuild' ? 'rebuilt and recreated' : 'restarted'}`, {
        service,
      });
  }

  return {
    start,
    async stop(name) {
      const had = end(name);
      await remember(name, undefined);
      if (had) say(name, 'stopped', 'the watch ended');
      return had;
    },
    async release(name, since) {
      const r = running.get(name);
      if (!r || r.info.detached || r.info.since !== since) return;
      end(name);
      say(name, 'stopped', 'the client that watched has gone');
    },
    info: (name) => running.get(name)?.info,
    async resume() {
      for (const record of await store.list()) {
        if (!record.watch || record.released) continue;
        try {
          await start(record.source, {
            ...(record.watch.services ? { services: record.watch.services } : {}),
            detach: true,
          });
        } catch (err) {
          log.warn('cannot resume a watch', { project: record.name, error: (err as Error).message });
          say(record.name, 'failed', `cannot resume the watch: ${(err as Error).message}`);
        }
      }
    },
    close() {
      for (const name of [...running.keys()]) end(name);
    },
  };
}

function describe(m: RuleMatcher, paths: string[]): string {
  const rels = paths.map((p) => m.relative(p) || '.');
  return rels.length > 5 ? `${rels.slice(0, 5).join(', ')} and ${rels.length - 5} more` : rels.join(', ');
}

/** The rules of the services asked for (all with `develop.watch` when none is named), with their ignores. */
async function matchersOf(project: Project, only: string[] | undefined): Promise<RuleMatcher[]> {
  for (const s of only ?? []) {
    if (!project.services[s]) {
      throw new OrcError(
        'SERVICE_NOT_FOUND',
        `no such service: ${s} (project ${project.name} has ${Object.keys(project.services).join(', ')})`,
      );
    }
  }
  const names = only?.length ? only : Object.keys(project.services).sort();
  const out: RuleMatcher[] = [];
  for (const service of names) {
    const svc = project.services[service];
    const rules = svc?.develop?.watch ?? [];
    if (rules.length === 0 && only?.length) {
      throw new OrcError('INVALID_REQUEST', `service ${service} has no develop.watch rules`, {
        hint: 'add `develop: {watch: [{path: ./src, action: sync, target: /app/src}]}` to the service',
      });
    }
    const context = svc?.build ? await contextIgnore(svc.build.context) : undefined;
    rules.forEach((rule, index) => {
      out.push(ruleMatcher({ service, index, rule, ...(context ? { context } : {}) }));
    });
  }
  if (out.length === 0) {
    throw new OrcError(
      'INVALID_REQUEST',
      'none of the selected services is configured for watch: add a `develop.watch` section to a service',
    );
  }
  return out;
}

async function contextIgnore(dir: string): Promise<{ dir: string; patterns: string[] } | undefined> {
  try {
    return { dir, patterns: parseIgnoreFile(await readFile(join(dir, '.dockerignore'), 'utf8')) };
  } catch {
    return { dir, patterns: [] };
  }
}
