/**
 * `develop:` (compose's watch). Each `watch` rule is checked as compose checks it, with each problem on its
 * key: the action is one of compose's, a sync action has an absolute `target`, `sync+exec` has an `exec`
 * with a `command`, `rebuild` needs the service's `build:`. Paths resolve from the project directory.
 */
import { posix } from 'node:path';
import type { KeyPath } from '../load/path.js';
import type { Develop, WatchAction, WatchRule } from '../model/project.js';
import { stringList } from './collections.js';
import { isDict, type NormalizeContext, scalarString, toBool } from './context.js';
import { hook } from './hooks.js';
import { resolveHostPath } from './paths.js';

const ACTIONS: readonly WatchAction[] = ['rebuild', 'restart', 'sync', 'sync+restart', 'sync+exec'];
const SYNCS = new Set<WatchAction>(['sync', 'sync+restart', 'sync+exec']);

export function isSyncAction(action: WatchAction): boolean {
  return SYNCS.has(action);
}

export function normalizeDevelop(
  value: unknown,
  path: KeyPath,
  ctx: NormalizeContext,
  hasBuild: boolean,
): Develop | undefined {
  if (!isDict(value)) return undefined;
  const watch: WatchRule[] = [];
  const rules = value.watch;
  if (rules == null) return { watch };
  if (!Array.isArray(rules)) {
    ctx.report({
      code: 'INVALID_VALUE',
      path: [...path, 'watch'],
      message: 'develop.watch must be a list of rules',
    });
    return { watch };
  }
  rules.forEach((raw, i) => {
    const at: KeyPath = [...path, 'watch', i];
    const rule = isDict(raw) ? watchRule(raw, at, ctx, hasBuild) : undefined;
    if (!isDict(raw)) {
      ctx.report({
        code: 'INVALID_VALUE',
        path: at,
        message: 'a watch rule is a mapping with `path` and `action`',
      });
    }
    if (rule) watch.push(rule);
  });
  return { watch };
}

function watchRule(
  raw: Record<string, unknown>,
  at: KeyPath,
  ctx: NormalizeContext,
  hasBuild: boolean,
): WatchRule | undefined {
  const bad = (key: string, message: string, hint?: string, where: 'key' | 'value' = 'value') =>
    ctx.report({ code: 'INVALID_VALUE', path: [...at, key], at: where, message, ...(hint ? { hint } : {}) });
  const path = scalarString(raw.path);
  const action = scalarString(raw.action) as WatchAction | undefined;
  if (!path) {
    ctx.report({
      code: 'INVALID_VALUE',
      path: at,
      message: 'a watch rule needs a `path`',
      hint: 'name the directory or file to watch, relative to the project directory',
    });
    return undefined;
  }
  if (!action || !ACTIONS.includes(action)) {
    if (action)
      bad('action', `unknown watch action ${JSON.stringify(action)}`, `use one of ${ACTIONS.join(', ')}`);
    else
      ctx.report({
        code: 'INVALID_VALUE',
        path: at,
        message: 'a watch rule needs an `action`',
        hint: `use one of ${ACTIONS.join(', ')}`,
      });
    return undefined;
  }
  const rule: WatchRule = { path: resolveHostPath(path, ctx.workingDir, ctx.env), action };
  const target = scalarString(raw.target);
  if (isSyncAction(action)) {
    if (!target) {
      ctx.report({
        code: 'INVALID_VALUE',
        path: at,
        message: `the ${action} action needs a \`target\` (where the files go in the container)`,
        hint: 'add e.g. `target: /app/src`',
      });
      return undefined;
    }
    if (!target.startsWith('/')) {
      bad(
        'target',
        `target ${JSON.stringify(target)} must be an absolute path in the container`,
        'start it with /',
      );
      return undefined;
    }
    rule.target = posix.normalize(target);
  } else if (target) {
    ctx.report({
      code: 'INVALID_VALUE',
      severity: 'warning',
      path: [...at, 'target'],
      at: 'key',
      message: `target is ignored by the ${action} action (only the sync actions copy files)`,
    });
  }
  if (action === 'rebuild' && !hasBuild) {
    bad(
      'action',
      'the rebuild action needs the service to have `build:`',
      'add `build:` to the service, or use sync',
    );
    return undefined;
  }
  if (raw.ignore != null) rule.ignore = patterns(raw.ignore, [...at, 'ignore'], ctx);
  if (raw.include != null) rule.include = patterns(raw.include, [...at, 'include'], ctx);
  if (raw.initial_sync != null) {
    const b = toBool(raw.initial_sync);
    if (b === undefined) bad('initial_sync', 'initial_sync must be true or false');
    else if (b && !isSyncAction(action)) {
      ctx.report({
        code: 'INVALID_VALUE',
        severity: 'warning',
        path: [...at, 'initial_sync'],
        at: 'key',
        message: `initial_sync is ignored by the ${action} action (only the sync actions copy files)`,
      });
    } else if (b) rule.initial_sync = true;
  }
  if (action === 'sync+exec') {
    if (!isDict(raw.exec)) {
      ctx.report({
        code: 'INVALID_VALUE',
        path: at,
        message: 'the sync+exec action needs `exec:` with a `command`',
        hint: 'add e.g. `exec: { command: app reload }`',
      });
      return undefined;
    }
    const exec = hook(raw.exec, [...at, 'exec'], ctx);
    if (!exec.command?.length) {
      bad('exec', 'exec needs a `command`', 'add e.g. `command: app reload`', 'key');
      return undefined;
    }
    rule.exec = exec;
  } else if (raw.exec != null) {
    ctx.report({
      code: 'INVALID_VALUE',
      severity: 'warning',
      path: [...at, 'exec'],
      at: 'key',
      message: `exec is used only by the sync+exec action, not by ${action}`,
    });
  }
  return rule;
}

function patterns(value: unknown, path: KeyPath, ctx: NormalizeContext): string[] {
  const list = typeof value === 'string' ? [value] : stringList(value, path, ctx);
  return list.map((p) => p.trim()).filter((p) => p !== '');
}
