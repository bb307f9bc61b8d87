/**
 * The sync step of a watch rule: the changed files that exist are sent as one tar through the engine's
 * archive API (`PUT /containers/{id}/archive`, unpacked at `/`, so the engine creates missing parent
 * directories), the ones that are gone are removed with one `rm -rf` exec. Only what changed travels.
 * Files land as root:root with their host mode, as `docker cp` leaves them.
 */
import type { Dirent } from 'node:fs';
import { lstat, readdir, readFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { OrcError } from '../../contract/errors.js';
import { frameReader } from '../../contract/frames.js';
import type { Engine } from '../../engine/engine.js';
import { openExec } from '../../engine/exec.js';
import { putArchive } from '../../engine/oneoff.js';
import { type TarEntry, tarArchive } from '../../execute/tar.js';

/** What one sync did, for the event. */
export interface SyncResult {
  copied: string[];
  removed: string[];
  skipped: string[];
}

export interface SyncInput {
  /** Host path → container path (absolute). */
  files: Array<{ host: string; container: string }>;
  containers: Array<{ id: string; name: string }>;
}

/** Splits the batch into what to copy (files and directories that exist) and what to remove. */
export async function syncEntries(
  files: SyncInput['files'],
): Promise<{ entries: TarEntry[]; removed: string[]; skipped: string[] }> {
  const entries: TarEntry[] = [];
  const removed: string[] = [];
  const skipped: string[] = [];
  for (const f of files) {
    let st: Awaited<ReturnType<typeof lstat>>;
    try {
      st = await lstat(f.host);
    } catch {
      removed.push(f.container);
      continue;
    }
    const path = f.container.replace(/^\/+/, '');
    if (st.isDirectory()) entries.push({ path, type: 'dir', mode: st.mode, uid: 0, gid: 0 });
    else if (st.isFile()) {
      try {
        entries.push({ path, type: 'file', mode: st.mode, uid: 0, gid: 0, content: await readFile(f.host) });
      } catch {
        removed.push(f.container);
      }
    } else skipped.push(f.host); // symlinks, sockets, FIFOs: not synced
  }
  return { entries, removed, skipped };
}

export async function syncToContainers(engine: Engine, input: SyncInput): Promise<SyncResult> {
  const { entries, removed, skipped } = await syncEntries(input.files);
  const tar = entries.length ? tarArchive(entries) : undefined;
  for (const c of input.containers) {
    if (tar) await putArchive(engine, c.id, '/', tar);
    if (removed.length) await execChecked(engine, c, ['rm', '-rf', '--', ...removed]);
  }
  return { copied: entries.map((e) => `/${e.path}`), removed, skipped };
}

/** Runs a command in a container; a non-zero exit is an error naming the container and the output's end. */
export async function execChecked(
  engine: Engine,
  c: { id: string; name: string },
  cmd: string[],
  o: { env?: string[]; user?: string; workdir?: string; privileged?: boolean } = {},
): Promise<void> {
  const session = await openExec(engine, c.id, { service: '', cmd, ...o });
  let tail = '';
  session.stream.on(
    'data',
    frameReader((_type, payload) => {
      tail = (tail + payload.toString('utf8')).slice(-1024);
    }),
  );
  session.stream.resume();
  const code = await session.exitCode();
  if (code !== 0) {
    throw new OrcError(
      'HOOK_FAILED',
      `${cmd.join(' ')} in ${c.name} exited with code ${code}${tail.trim() ? `: ${tail.trim().split('\n').slice(-3).join(' | ')}` : ''}`,
      { code },
    );
  }
}

/** Every file under `root` a rule keeps (initial sync), skipping ignored trees. */
export async function listTree(
  root: string,
  keep: (path: string) => boolean,
  skipDir: (dir: string) => boolean,
  limit = 100_000,
): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string) => {
    if (skipDir(dir) || out.length >= limit) return;
    let entries: Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const path = join(dir, e.name);
      if (e.isDirectory()) await walk(path);
      else if (keep(path)) out.push(path);
    }
  };
  try {
    if ((await lstat(root)).isDirectory()) await walk(root);
    else if (keep(root)) out.push(root);
  } catch {
    // a path that does not exist has nothing to sync
  }
  return out;
}

/** Where a host file goes: the rule's target plus its path below the rule's path. */
export function containerPath(target: string, rel: string): string {
  return rel === '' ? target : posix.join(target, rel);
}
