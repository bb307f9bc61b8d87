import type { KeyPath } from '../load/path.js';
import type { LifecycleHook, PreStartHook, ServiceVolume } from '../model/project.js';
import { extraHosts, listOrDict } from './collections.js';
import { type Dict, isDict, type NormalizeContext, scalarString, toBool } from './context.js';
import { splitShellWords } from './shellwords.js';

/** `post_start` / `pre_stop`: a list of hooks run in the service's container. */
export function normalizeHooks(value: unknown, path: KeyPath, ctx: NormalizeContext): LifecycleHook[] {
  return hookItems(value, path, ctx).map(([raw, at]) => hook(raw, at, ctx));
}

/** The service normaliser's readers a step shares (passed in: the service module imports this one). */
export interface StepReaders {
  volumes(value: unknown, path: KeyPath, ctx: NormalizeContext): ServiceVolume[];
  envFiles(value: unknown, path: KeyPath, ctx: NormalizeContext): Record<string, string>;
}

/** `pre_start`: a list of init-container steps, each shaped after the service with its own keys on top. */
export function normalizePreStart(
  value: unknown,
  path: KeyPath,
  ctx: NormalizeContext,
  read: StepReaders,
): PreStartHook[] {
  return hookItems(value, path, ctx).map(([raw, at]) => {
    const out: PreStartHook = hook(raw, at, ctx);
    const image = scalarString(raw.image);
    if (image) out.image = image;
    const entrypoint = words(raw.entrypoint, [...at, 'entrypoint'], ctx);
    if (entrypoint) out.entrypoint = entrypoint;
    if (raw.env_file != null) {
      // Files first, the step's own environment wins, as for a service.
      const fromFiles = read.envFiles(raw.env_file, [...at, 'env_file'], ctx);
      if (Object.keys(fromFiles).length > 0) out.environment = { ...fromFiles, ...(out.environment ?? {}) };
    }
    if (raw.volumes != null) out.volumes = read.volumes(raw.volumes, [...at, 'volumes'], ctx);
    if (raw.extra_hosts != null) out.extra_hosts = extraHosts(raw.extra_hosts, [...at, 'extra_hosts'], ctx);
    if (toBool(raw.per_replica)) {
      out.per_replica = true;
      ctx.report({
        code: 'NOT_SUPPORTED',
        severity: 'warning',
        path: [...at, 'per_replica'],
        at: 'key',
        message: '"per_replica" is not supported by orc yet: the step runs once for the service',
      });
    }
    return out;
  });
}

function hookItems(value: unknown, path: KeyPath, ctx: NormalizeContext): Array<[Dict, KeyPath]> {
  if (value == null) return [];
  if (!Array.isArray(value)) {
    ctx.report({ code: 'INVALID_VALUE', path, message: 'expected a list of hooks' });
    return [];
  }
  const out: Array<[Dict, KeyPath]> = [];
  value.forEach((item, i) => {
    if (isDict(item)) out.push([item, [...path, i]]);
    else
      ctx.report({ code: 'INVALID_VALUE', path: [...path, i], message: 'expected a mapping with `command`' });
  });
  return out;
}

/** One hook mapping (`command`, `user`, `privileged`, `working_dir`, `environment`); also `develop.watch[].exec`. */
export function hook(raw: Dict, at: KeyPath, ctx: NormalizeContext): LifecycleHook {
  const out: LifecycleHook = {};
  const command = words(raw.command, [...at, 'command'], ctx);
  if (command) out.command = command;
  const user = scalarString(raw.user);
  if (user) out.user = user;
  const workingDir = scalarString(raw.working_dir);
  if (workingDir) out.working_dir = workingDir;
  if (toBool(raw.privileged)) out.privileged = true;
  const environment = listOrDict(raw.environment, [...at, 'environment'], ctx);
  // `KEY` alone takes the client's value, as the service's own environment does.
  for (const [k, v] of Object.entries(environment)) {
    if (v === null && Object.hasOwn(ctx.env, k)) environment[k] = ctx.env[k]!;
  }
  if (Object.keys(environment).length > 0) out.environment = environment;
  return out;
}

function words(value: unknown, path: KeyPath, ctx: NormalizeContext): string[] | undefined {
  if (value == null) return undefined;
  if (Array.isArray(value)) return value.map((w) => scalarString(w) ?? '');
  const s = scalarString(value);
  const split = s === undefined ? undefined : splitShellWords(s);
  if (!split) {
    ctx.report({
      code: 'INVALID_VALUE',
      path,
      message:
        s === undefined ? 'expected a string or a list of strings' : 'the command has an unclosed quote',
      hint: 'close the quote, or write the command as a list',
    });
  }
  return split;
}
