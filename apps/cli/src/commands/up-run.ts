/** `up`'s flags and what it does with them (commander's part, the flags' definitions, is in up.ts). */
import type { Api, UpOptions } from '../client/api.js';
import type { ProjectSource } from '../client/types.js';
import type { Context } from '../context.js';
import { CliError, type ExitCodeValue, usageError } from '../errors.js';
import { envTrue } from '../globals.js';
import { followStream } from '../render/operation.js';
import { attachedServices, attachLogs } from './attach.js';
import { type ExitFeed, openExitFeed } from './up-exits.js';
import { watchBesideUp } from './watch.js';

export interface UpFlags {
  detach?: boolean;
  wait?: boolean;
  waitTimeout?: number;
  build?: boolean;
  pull?: UpOptions['pull'];
  forceRecreate?: boolean;
  recreate?: boolean;
  deps?: boolean;
  removeOrphans?: boolean;
  scale?: Record<string, number>;
  timeout?: number;
  dryRun?: boolean;
  force?: boolean;
  abortOnContainerExit?: boolean;
  abortOnContainerFailure?: boolean;
  attachDependencies?: boolean;
  exitCodeFrom?: string;
  attach?: string[];
  noAttach?: string[];
  /** False for `--no-start`. */
  start?: boolean;
  renewAnonVolumes?: boolean;
  alwaysRecreateDeps?: boolean;
  timestamps?: boolean;
  /** False for `--no-log-prefix`. */
  logPrefix?: boolean;
  /** False for `--no-color`. */
  color?: boolean;
  yes?: boolean;
  watch?: boolean;
  quietPull?: boolean;
  target?: 'local' | 'swarm';
}

/** `orc up`'s action (commander's in up.ts, or the hot path's parse in hot.ts). */
export async function upCommand(ctx: Context, flags: UpFlags, services: string[]): Promise<void> {
  if (flags.watch && flags.start === false) throw usageError('--watch cannot be combined with --no-start');
  if (flags.pull && !['always', 'missing', 'never', 'policy'].includes(flags.pull)) {
    throw usageError(`--pull ${flags.pull}: expected always, missing, never or policy`);
  }
  await up(ctx, flags, services);
}

/** Refuses the combinations compose refuses (before anything is sent to the daemon). */
export function checkUpFlags(flags: UpFlags, services: string[]): void {
  if (flags.forceRecreate && flags.recreate === false) {
    throw usageError('--force-recreate and --no-recreate cannot be used together');
  }
  if (flags.alwaysRecreateDeps && flags.recreate === false) {
    throw usageError('--always-recreate-deps and --no-recreate cannot be used together');
  }
  // compose: --exit-code-from implies --abort-on-container-exit, unless --abort-on-container-failure.
  if (flags.abortOnContainerExit && flags.abortOnContainerFailure) {
    throw usageError('--abort-on-container-failure cannot be combined with --abort-on-container-exit');
  }
  if (flags.attachDependencies && flags.attach?.length) {
    throw usageError('--attach-dependencies cannot be combined with --attach');
  }
  const following =
    flags.abortOnContainerExit ||
    flags.abortOnContainerFailure ||
    flags.attachDependencies ||
    flags.exitCodeFrom !== undefined ||
    flags.attach?.length;
  const named =
    '--abort-on-container-exit, --abort-on-container-failure, --exit-code-from, --attach or --attach-dependencies';
  if (flags.wait && following) throw usageError(`--wait cannot be combined with ${named}`);
  if (flags.detach && following) throw usageError(`-d cannot be combined with ${named}`);
  if (flags.start === false && (following || flags.wait)) {
    // Nothing starts, so there is nothing to follow, abort on or wait for.
    throw usageError(`--no-start cannot be combined with --wait, ${named}`);
  }
  const from = flags.exitCodeFrom;
  if (from !== undefined) {
    if (services.length && !services.includes(from)) {
      throw usageError(`--exit-code-from ${from}: not among the services to start (${services.join(', ')})`);
    }
    if (flags.noAttach?.includes(from)) {
      throw usageError(`--exit-code-from ${from} cannot be combined with --no-attach ${from}`);
    }
  }
}

/** Flags → the daemon's UpOptions (only what was said, so the daemon's defaults apply otherwise). */
export function upOptions(flags: UpFlags, services: string[]): UpOptions {
  checkUpFlags(flags, services);
  const opts: UpOptions = {};
  if (services.length) opts.services = services;
  if (flags.forceRecreate) opts.forceRecreate = true;
  if (flags.recreate === false) opts.noRecreate = true;
  if (flags.deps === false) opts.noDeps = true;
  if (flags.removeOrphans) opts.removeOrphans = true;
  if (flags.scale) opts.scale = flags.scale;
  if (flags.build === true) opts.build = true;
  if (flags.build === false) opts.noBuild = true;
  if (flags.pull) opts.pull = flags.pull;
  if (flags.timeout !== undefined) opts.timeoutSeconds = flags.timeout;
  if (flags.dryRun) opts.dryRun = true;
  if (flags.force) opts.force = true;
  if (flags.wait) opts.wait = true;
  if (flags.waitTimeout !== undefined) opts.waitTimeoutSeconds = flags.waitTimeout;
  if (flags.start === false) opts.noStart = true;
  if (flags.alwaysRecreateDeps) opts.alwaysRecreateDeps = true;
  if (flags.renewAnonVolumes) opts.renewAnonVolumes = true;
  if (flags.target) opts.target = flags.target;
  return opts;
}

export async function up(ctx: Context, flags: UpFlags, services: string[]): Promise<void> {
  const options = upOptions(flags, services);
  if (envTrue(ctx.env.COMPOSE_REMOVE_ORPHANS)) options.removeOrphans = true;
  const client: Api = await ctx.connect();
  const named = [...(flags.attach ?? []), ...(flags.noAttach ?? [])];
  if (flags.exitCodeFrom !== undefined) named.push(flags.exitCodeFrom);
  // compose refuses an unknown service before it creates anything; so do we.
  const project =
    named.length || (flags.attachDependencies && services.length)
      ? await loadServices(client, ctx.source(services))
      : undefined;
  if (project) assertServices(project, named);
  // Opened before anything starts: an exit right after a start (a restart policy brings the container
  // back at once) is seen in the events, never by a poll.
  const aborting =
    flags.abortOnContainerExit || flags.abortOnContainerFailure || flags.exitCodeFrom !== undefined;
  const attached = !(flags.detach || flags.wait || flags.start === false || flags.dryRun);
  const exits = aborting && attached ? openExitFeed(client) : undefined;
  try {
    await upAndFollow(ctx, client, flags, services, options, project, exits);
  } finally {
    exits?.close();
  }
}

async function upAndFollow(
  ctx: Context,
  client: Api,
  flags: UpFlags,
  services: string[],
  options: UpOptions,
  project: Services | undefined,
  exits: ExitFeed | undefined,
): Promise<void> {
  const final = await followStream(ctx, client, client.upStream(ctx.source(services), options), 'Running', {
    ...(flags.quietPull ? { quietPull: true } : {}),
  });
  if (flags.dryRun) {
    const plan = final.plan ?? [];
    ctx.stdout.write(plan.length ? `${plan.join('\n')}\n` : 'nothing to do: the project is up to date\n');
    return;
  }
  const endWatch = flags.watch ? await watchBesideUp(ctx, client, services, flags) : undefined;
  // --wait implies detached, as in compose; --no-start has nothing to follow.
  if (flags.detach || flags.wait || flags.start === false) return;
  // The service whose code we report is followed even when --attach left it out.
  const from = flags.exitCodeFrom;
  // --attach-dependencies: the services named and what they depend on (compose attaches the named only).
  const withDeps = flags.attachDependencies && project ? dependencyClosure(project, services) : undefined;
  const attach =
    withDeps ??
    (from !== undefined && flags.attach?.length && !flags.attach.includes(from)
      ? [...flags.attach, from]
      : flags.attach);
  const code = await attachLogs(ctx, client, final.project, final.startedAt, {
    services,
    attached: attachedServices(services, attach, flags.noAttach),
    logServices: attach?.length ? attach : services,
    ...(flags.timeout !== undefined ? { timeoutSeconds: flags.timeout } : {}),
    ...(flags.abortOnContainerExit ? { abortOnExit: true } : {}),
    ...(flags.abortOnContainerFailure ? { abortOnFailure: true } : {}),
    ...(exits ? { exits } : {}),
    ...(from !== undefined ? { exitCodeFrom: from } : {}),
    ...(flags.timestamps ? { timestamps: true } : {}),
    ...(flags.logPrefix === false ? { prefix: false } : {}),
    ...(flags.color === false ? { color: false } : {}),
  });
  await endWatch?.();
  // The exit code is the container's own (3, 137, ...), like compose's; nothing more to say.
  if (code !== 0) throw new CliError('', code as ExitCodeValue);
}

/** The project's services as `config` renders them (their `depends_on` is what we read). */
type Services = Record<string, unknown>;

async function loadServices(client: Api, source: ProjectSource): Promise<Services> {
  const answer = await client.config(source, 'json', false);
  const project = isObject(answer) && isObject(answer.project) ? answer.project : undefined;
  return project && isObject(project.services) ? project.services : {};
}

/** `services` and every service they depend on, transitively (`depends_on` as a list or a map). */
export function dependencyClosure(project: Services, services: string[]): string[] {
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name)) return;
    seen.add(name);
    const svc = project[name];
    const deps = isObject(svc) ? svc.depends_on : undefined;
    const names = Array.isArray(deps) ? deps.map(String) : isObject(deps) ? Object.keys(deps) : [];
    for (const d of names) visit(d);
  };
  for (const s of services) visit(s);
  return [...seen];
}

function assertServices(project: Services, named: string[]): void {
  const known = Object.keys(project);
  for (const s of named) {
    if (!known.includes(s)) {
      throw usageError(
        `no such service: ${s}`,
        known.length ? `the project has ${known.join(', ')}` : undefined,
      );
    }
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
