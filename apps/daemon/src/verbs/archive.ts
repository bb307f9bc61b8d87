/**
 * `orc cp` (compose's `cp`): a path of a service container as a tar (the engine's `GET …/archive`), a tar
 * unpacked into a directory of one or every replica (`PUT …/archive`), and a path's stat so that the CLI
 * can apply docker cp's destination rules. The tar is streamed both ways, never held whole.
 */
import { PassThrough } from 'node:stream';
import { OrcError } from '../contract/errors.js';
import type { Engine } from '../engine/engine.js';
import {
  getArchive,
  isDirMode,
  isSymlinkMode,
  type PathStat,
  putArchive,
  statPath,
} from '../engine/oneoff.js';
import type { ObservedContainer } from '../observe/types.js';
import { serviceContainer, serviceContainers } from './top.js';

export type { PathStat } from '../engine/oneoff.js';

const missing = (path: string, c: ObservedContainer) =>
  new OrcError('NOT_FOUND', `no such file or directory in container ${c.name}: ${path}`);

/** The stat of a path in the service's container number `index`; `undefined` when it does not exist. */
export async function projectStatPath(
  engine: Engine,
  project: string,
  service: string,
  index: number,
  path: string,
): Promise<{ container: string; stat: PathStat | undefined }> {
  const c = await serviceContainer(engine, project, service, index);
  return { container: c.name, stat: await statPath(engine, c.id, path) };
}

/**
 * The tar of a path (`follow`: a symlink's target rather than the link, as `docker cp -L`; the archive's
 * root entry then carries the target's name and the CLI renames it).
 */
export async function projectGetArchive(
  engine: Engine,
  project: string,
  service: string,
  index: number,
  path: string,
  follow: boolean,
): Promise<{ container: string; stat: PathStat; tar: NodeJS.ReadableStream }> {
  const c = await serviceContainer(engine, project, service, index);
  let source = path;
  const stat = await statPath(engine, c.id, path);
  if (!stat) throw missing(path, c);
  if (follow && isSymlinkMode(stat.mode) && stat.linkTarget) source = stat.linkTarget;
  const got = await getArchive(engine, c.id, source);
  return { container: c.name, stat: got.stat ?? stat, tar: got.tar };
}

/**
 * Unpacks a tar into the directory `path` of the service's container number `index`, or of every replica
 * (`all`): one source stream piped to each engine request, so it is never buffered whole (the slowest
 * replica sets the pace). The directory must exist (the engine's rule).
 */
export async function projectPutArchive(
  engine: Engine,
  project: string,
  service: string,
  target: { index: number; all: boolean },
  path: string,
  tar: NodeJS.ReadableStream,
  copyUIDGID: boolean,
): Promise<{ containers: string[] }> {
  const mine = await serviceContainers(engine, project, [service]);
  const chosen = target.all ? mine : [await serviceContainer(engine, project, service, target.index)];
  for (const c of chosen) {
    const stat = await statPath(engine, c.id, path);
    if (!stat) throw missing(path, c);
    if (!isDirMode(stat.mode)) {
      throw new OrcError('INVALID_REQUEST', `${path} in container ${c.name} is not a directory`);
    }
  }
  // A client gone before the end of its tar: the engine's requests are aborted, not left waiting for
  // the rest of a chunked body that will never come.
  const abort = new AbortController();
  let ended = false;
  tar.on('end', () => {
    ended = true;
  });
  tar.on('error', () => abort.abort());
  tar.on('close', () => {
    if (!ended) abort.abort();
  });
  const opts = { copyUIDGID, signal: abort.signal };
  if (chosen.length === 1) {
    const [only] = chosen as [ObservedContainer];
    await putArchive(engine, only.id, path, tar, opts);
    return { containers: [only.name] };
  }
  const branches = chosen.map(() => new PassThrough());
  for (const b of branches) tar.pipe(b);
  tar.on('error', (err) => {
    for (const b of branches) b.destroy(err);
  });
  await Promise.all(chosen.map((c, i) => putArchive(engine, c.id, path, branches[i] as PassThrough, opts)));
  return { containers: chosen.map((c) => c.name) };
}
