/**
 * Watches the rules' paths with one non-recursive `fs.watch` (inotify) per directory, walked by us so that
 * ignored trees (`.git`, what `ignore`/.dockerignore exclude, e.g. `node_modules/`) are skipped before a
 * watch is put on them, and the number of directories is bounded. Node 20's `recursive: true` on Linux
 * walks and watches every directory, ignored or not, and its early versions lost events in new
 * directories (docs/watch.md). A directory created later is walked when its event arrives, and the files
 * already in it are reported (they were written before the watch on it existed).
 */
import { type FSWatcher, watch } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';

export const MAX_WATCHED_DIRS = 10_000;

export interface TreeWatch {
  /** Directories watched now. */
  readonly dirs: number;
  /** Resolves when the first walk of every root is done (each watch is in place). */
  ready: Promise<void>;
  close(): void;
}

export interface TreeOptions {
  roots: string[];
  /** A directory not to watch nor walk (its whole tree is ignored). */
  skipDir(dir: string): boolean;
  onChange(path: string): void;
  /** Said once when the bound is reached, or a root cannot be watched. */
  onProblem(message: string): void;
  maxDirs?: number;
}

export function watchTree(o: TreeOptions): TreeWatch {
  const maxDirs = o.maxDirs ?? MAX_WATCHED_DIRS;
  const watchers = new Map<string, FSWatcher>();
  let closed = false;
  let warned = false;
  // A root that is a file: its directory is watched for events on that name only.
  const fileRoots = new Map<string, Set<string>>();

  const watchDir = (dir: string, only?: Set<string>): boolean => {
    if (closed || watchers.has(dir)) return false;
    if (watchers.size >= maxDirs) {
      if (!warned) o.onProblem(`watching ${maxDirs} directories already; ${dir} and others are not watched`);
      warned = true;
      return false;
    }
    let w: FSWatcher;
    try {
      w = watch(dir, { persistent: false }, (_event, name) => {
        if (!name) return;
        const path = join(dir, name.toString());
        if (only && !only.has(path)) return;
        o.onChange(path);
        if (!only) void maybeNewDir(path);
      });
    } catch (err) {
      o.onProblem(`cannot watch ${dir}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
      return false;
    }
    // A removed directory ends its watch.
    w.on('error', () => {
      w.close();
      watchers.delete(dir);
    });
    watchers.set(dir, w);
    return true;
  };

  const walk = async (dir: string, report: boolean): Promise<void> => {
    if (o.skipDir(dir) || !watchDir(dir)) return;
    let entries: import('node:fs').Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const path = join(dir, e.name);
      if (e.isDirectory()) await walk(path, report);
      else if (report) o.onChange(path);
    }
  };

  const maybeNewDir = async (path: string) => {
    if (watchers.has(path)) return;
    try {
      if ((await lstat(path)).isDirectory()) await walk(path, true);
    } catch {
      // gone again, or a file: nothing to watch
    }
  };

  const start = async () => {
    for (const root of o.roots) {
      try {
        const st = await lstat(root);
        if (st.isDirectory()) await walk(root, false);
        else {
          const dir = dirname(root);
          const names = fileRoots.get(dir) ?? new Set<string>();
          names.add(root);
          fileRoots.set(dir, names);
        }
      } catch {
        o.onProblem(`${root} does not exist: it is not watched`);
      }
    }
    for (const [dir, names] of fileRoots) watchDir(dir, names);
  };

  return {
    get dirs() {
      return watchers.size;
    },
    ready: start(),
    close() {
      closed = true;
      for (const w of watchers.values()) w.close();
      watchers.clear();
    },
  };
}
