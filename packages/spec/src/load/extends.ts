import { dirname, isAbsolute, resolve } from 'node:path';
import type { PathProblem } from '../normalize/context.js';
import { type Dict, isDict } from '../normalize/context.js';
import { isRemoteContext } from '../normalize/paths.js';
import { isHostPath } from '../normalize/volumes.js';
import { closest } from '../validate/suggest.js';
import { mergeService } from './deps.js';

/** A file that `extends.file` names, read and interpolated (or the problems found doing so). */
export type ExtendsFileLoader = (absPath: string) => { services: Dict } | undefined;

export interface ExtendsInput {
  services: Dict;
  /** Directory of the file that declared each service's `extends` (its `file:` resolves there). */
  dirOf: (service: string) => string;
  /** The project directory: relative paths in services of this project resolve there later. */
  projectDir: string;
  loadFile: ExtendsFileLoader;
  report: (p: PathProblem) => void;
  /**
   * Paths (below the service) that the project's files mark `!reset` or `!override` for a service: they
   * are taken out of what the service inherits, as compose-go does, so the marker applies to the base too.
   */
  tagged?: (service: string) => ReadonlyArray<readonly string[]>;
}

/** `dict` without the values at `paths`; copies only along the paths (never mutates `dict`). */
export function withoutPaths(dict: Dict, paths: ReadonlyArray<readonly string[]>): Dict {
  if (paths.length === 0) return dict;
  const out: Dict = { ...dict };
  const byHead = new Map<string, Array<readonly string[]>>();
  for (const [head, ...rest] of paths) {
    if (head === undefined || !Object.hasOwn(out, head)) continue;
    if (rest.length === 0) delete out[head];
    else byHead.set(head, [...(byHead.get(head) ?? []), rest]);
  }
  for (const [head, rest] of byHead) {
    const v = out[head];
    if (isDict(v)) out[head] = withoutPaths(v, rest);
  }
  return out;
}

interface Frame {
  file: string | undefined;
  service: string;
}

/** Resolves `extends` (same file, other files, chains); reports unknown bases and cycles. */
export function resolveExtends(input: ExtendsInput): Dict {
  const out: Dict = {};
  const done = new Map<string, Dict>();
  const names = Object.keys(input.services);

  // `file` undefined = the merged project; otherwise an absolute path read through loadFile.
  const resolveOne = (frame: Frame, stack: Frame[], origin: string): Dict | undefined => {
    const id = `${frame.file ?? ''}#${frame.service}`;
    const cached = done.get(id);
    if (cached) return cached;
    const at = stack.findIndex((f) => `${f.file ?? ''}#${f.service}` === id);
    if (at >= 0) {
      const cycle = [...stack.slice(at), frame].map((f) => f.service).join(' -> ');
      input.report({
        code: 'EXTENDS',
        path: ['services', origin, 'extends'],
        message: `extends cycle: ${cycle}`,
        hint: 'a service cannot extend itself, directly or through others',
      });
      return undefined;
    }
    const pool = frame.file === undefined ? input.services : input.loadFile(frame.file)?.services;
    if (!pool) return undefined;
    const raw = pool[frame.service];
    if (!isDict(raw) && raw !== null) {
      if (frame.file !== undefined && !(frame.service in pool)) {
        const guess = closest(frame.service, Object.keys(pool));
        input.report({
          code: 'EXTENDS',
          path: ['services', origin, 'extends'],
          message: `cannot extend service "${frame.service}": ${frame.file} has no such service`,
          ...(guess ? { hint: `did you mean "${guess}"?` } : {}),
        });
      }
      return undefined;
    }
    let svc: Dict = isDict(raw) ? { ...raw } : {};
    if (frame.file !== undefined) svc = rebasePaths(svc, dirname(frame.file), input.projectDir);
    const ext = svc.extends;
    delete svc.extends;
    if (ext !== undefined && ext !== null) {
      const baseName = typeof ext === 'string' ? ext : isDict(ext) ? ext.service : undefined;
      const baseFile = isDict(ext) && typeof ext.file === 'string' ? ext.file : undefined;
      if (typeof baseName !== 'string') return svc;
      const dir = frame.file !== undefined ? dirname(frame.file) : input.dirOf(frame.service);
      const file =
        baseFile !== undefined ? (isAbsolute(baseFile) ? baseFile : resolve(dir, baseFile)) : frame.file;
      if (file === undefined && !(baseName in input.services)) {
        const guess = closest(baseName, names);
        input.report({
          code: 'EXTENDS',
          path: ['services', origin, 'extends'],
          message: `cannot extend undefined service "${baseName}"`,
          ...(guess ? { hint: `did you mean "${guess}"?` } : {}),
        });
        return undefined;
      }
      const base = resolveOne({ file, service: baseName }, [...stack, frame], origin);
      if (!base) return undefined;
      const tagged = frame.file === undefined ? (input.tagged?.(frame.service) ?? []) : [];
      svc = mergeService(withoutPaths(base, tagged), svc) as Dict;
    }
    done.set(id, svc);
    return svc;
  };

  for (const name of names) {
    const raw = input.services[name];
    if (!isDict(raw) || raw.extends === undefined) {
      out[name] = raw;
      continue;
    }
    const resolved = resolveOne({ file: undefined, service: name }, [], name);
    out[name] = resolved ?? { ...raw, extends: undefined };
    if (!resolved) delete (out[name] as Dict).extends;
  }
  return out;
}

/**
 * A service taken from another directory keeps pointing at its own files: relative paths are made
 * absolute against the directory of the file it was written in.
 */
export function rebasePaths(svc: Dict, fromDir: string, projectDir: string): Dict {
  if (resolve(fromDir) === resolve(projectDir)) return svc;
  const abs = (p: string) => (isAbsolute(p) || p.startsWith('~') ? p : resolve(fromDir, p));
  const out: Dict = { ...svc };
  if (typeof out.build === 'string' && !isRemoteContext(out.build)) out.build = abs(out.build);
  else if (isDict(out.build)) {
    const ctx = typeof out.build.context === 'string' ? out.build.context : '.';
    out.build = { ...out.build, context: isRemoteContext(ctx) ? ctx : abs(ctx) };
  }
  if (Array.isArray(out.volumes)) {
    out.volumes = out.volumes.map((v) => {
      if (typeof v === 'string') {
        const [src, ...rest] = v.split(':');
        return rest.length > 0 && src && src.startsWith('.') ? [abs(src), ...rest].join(':') : v;
      }
      if (isDict(v) && v.type === 'bind' && typeof v.source === 'string' && isHostPath(v.source)) {
        return { ...v, source: abs(v.source) };
      }
      return v;
    });
  }
  // develop.watch paths, as compose-go resolves them (`services.*.develop.watch.*.path`).
  if (isDict(out.develop) && Array.isArray(out.develop.watch)) {
    out.develop = {
      ...out.develop,
      watch: out.develop.watch.map((r) =>
        isDict(r) && typeof r.path === 'string' ? { ...r, path: abs(r.path) } : r,
      ),
    };
  }
  for (const key of ['env_file', 'label_file']) {
    const v = out[key];
    if (typeof v === 'string') out[key] = abs(v);
    else if (Array.isArray(v)) {
      out[key] = v.map((e) =>
        typeof e === 'string'
          ? abs(e)
          : isDict(e) && typeof e.path === 'string'
            ? { ...e, path: abs(e.path) }
            : e,
      );
    }
  }
  return out;
}
