/**
 * `orc cp SERVICE:SRC DEST` and `orc cp SRC SERVICE:DEST`: compose's `cp`, through the daemon's
 * `/projects/:name/archive` routes (the engine's tar archives, streamed). `-` as DEST writes the tar to
 * stdout, `-` as SRC reads one from stdin, as docker cp does.
 *
 * Local paths become tars and tars become local files through the system `tar` binary (GNU tar, present
 * on every Linux this runs on), spawned rather than a tar library added as a dependency. The destination
 * follows docker cp's rules: onto an existing directory the source goes inside it; onto a path that does
 * not exist it takes that name; `SRC/.` copies a directory's contents.
 */
import { lstat, mkdir, mkdtemp, readdir, realpath, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, posix, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Command } from 'commander';
import { loadChildProcess } from '../builtin.js';
import { type Api, isDirMode } from '../client/api.js';
import { failure, usageError } from '../errors.js';
import { findProject } from './project.js';
import { count, handler } from './util.js';

interface CpFlags {
  /** Absent: container number 1 to copy from, every replica to copy to (compose's rule). */
  index?: number;
  archive?: boolean;
  followLink?: boolean;
  all?: boolean;
}

interface Remote {
  service: string;
  path: string;
}

/** `SERVICE:PATH`, docker's way: a path starting with `/` or `.` is local even with a `:` in it. */
export function remote(arg: string): Remote | undefined {
  if (arg.startsWith('/') || arg.startsWith('.')) return undefined;
  const colon = arg.indexOf(':');
  if (colon <= 0) return undefined;
  const path = arg.slice(colon + 1);
  // Container paths are relative to the container's root, as docker cp takes them.
  return { service: arg.slice(0, colon), path: path.startsWith('/') ? path : `/${path}` };
}

/** `SRC/.`: the directory's contents rather than the directory. */
const contentsOf = (path: string) => path === '.' || path.endsWith('/.');

export function registerCp(program: Command): Command {
  return program
    .command('cp')
    .description('copy files or folders between a service container and the local filesystem')
    .usage('[options] SERVICE:SRC_PATH DEST_PATH|-\n       orc cp [options] SRC_PATH|- SERVICE:DEST_PATH')
    .argument('<src>')
    .argument('<dest>')
    .option('--index <n>', 'index of the container if the service has several replicas', count('--index'))
    .option('-a, --archive', 'archive mode (copy all uid/gid information)')
    .option('-L, --follow-link', 'always follow a symbolic link in SRC_PATH')
    .option('--all', 'copy to every replica of the service (the default without --index)')
    .action(
      handler<[string, string], CpFlags>(async (ctx, flags, src, dest) => {
        const from = remote(src);
        const to = remote(dest);
        if (from && to) throw usageError('copying between services is not supported');
        if (!from && !to) throw usageError('one of SRC and DEST must be SERVICE:PATH');
        if (from && flags.all)
          throw usageError('--all copies to containers: it cannot be used with SERVICE:SRC');
        const client = await ctx.connect();
        const { name } = await findProject(ctx, client);
        if (from) {
          if (dest === '-' && ctx.stdout.isTTY) {
            throw usageError('refusing to write a tar archive to a terminal: redirect stdout');
          }
          // resolve() drops a trailing `/`, which says "a directory" to docker cp's rules: kept.
          const local = resolve(ctx.cwd, dest) + (dest.endsWith('/') ? '/' : '');
          await copyFrom(client, name, from, dest === '-' ? ctx.stdout : local, flags);
        } else if (to) {
          await copyTo(client, name, src === '-' ? process.stdin : resolve(ctx.cwd, src), src, to, flags);
        }
      }),
    );
}

/** Runs `tar` with the given input/output streams; rejects with its stderr when it fails. */
async function runTar(
  args: string[],
  io: { input?: NodeJS.ReadableStream; onOutput?: (out: NodeJS.ReadableStream) => Promise<unknown> },
): Promise<void> {
  // Loaded when first needed, as autostart does: commands that never spawn do not pay for it.
  const { spawn } = loadChildProcess();
  const child = spawn('tar', args, {
    stdio: [io.input ? 'pipe' : 'ignore', io.onOutput ? 'pipe' : 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
  });
  const exited = new Promise<void>((ok, ko) => {
    child.on('error', (err) => ko(failure(`cannot run tar: ${err.message}`)));
    child.on('close', (code) =>
      code === 0 ? ok() : ko(failure(`tar failed: ${stderr.trim() || `exit ${code}`}`)),
    );
  });
  const work: Array<Promise<unknown>> = [exited];
  if (io.input && child.stdin) work.push(pipeline(io.input, child.stdin));
  if (io.onOutput && child.stdout) {
    work.push(
      io.onOutput(child.stdout).catch((err: unknown) => {
        child.kill();
        throw err;
      }),
    );
  }
  await Promise.all(work);
}

const exists = (path: string) =>
  stat(path).then(
    (s) => s,
    () => undefined,
  );

/** Container to local: the tar goes to stdout, or is unpacked where docker cp would put it. */
async function copyFrom(
  client: Api,
  project: string,
  from: Remote,
  dest: string | NodeJS.WritableStream,
  flags: CpFlags,
): Promise<void> {
  const { stat: srcStat, tar } = await client.getArchive(
    project,
    from.service,
    flags.index ?? 1,
    from.path,
    flags.followLink ?? false,
  );
  if (typeof dest !== 'string') {
    await pipeline(tar, dest);
    return;
  }
  const srcIsDir = srcStat ? isDirMode(srcStat.mode) : false;
  const owner = flags.archive ? '--same-owner' : '--no-same-owner';
  const untar = (dir: string, strip: boolean) =>
    runTar(['-x', '-p', owner, '-f', '-', '-C', dir, ...(strip ? ['--strip-components=1'] : [])], {
      input: tar,
    });
  const destStat = await exists(dest);
  if (destStat && !destStat.isDirectory() && srcIsDir) {
    throw failure(`cannot copy a directory to a file: ${dest}`);
  }
  // SRC/. onto a directory (made when missing): the contents land in it.
  if (srcIsDir && contentsOf(from.path)) {
    if (!destStat) await mkdir(dest);
    await untar(dest, true);
    return;
  }
  if (!destStat && !srcIsDir && /[/\\]$/.test(dest)) {
    throw failure(`destination directory ${dest} does not exist`);
  }
  const final = destStat?.isDirectory() ? join(dest, posix.basename(from.path)) : dest;
  const finalStat = await exists(final);
  if (finalStat?.isDirectory()) {
    if (!srcIsDir) throw failure(`cannot overwrite directory ${final} with a file`);
    await untar(final, true); // a directory onto a directory: merged, as docker cp does
    return;
  }
  if (finalStat && srcIsDir) throw failure(`cannot overwrite file ${final} with a directory`);
  // Unpacked beside the destination, then renamed: the archive's root entry takes the destination's name.
  const parent = dirname(final);
  if (!(await exists(parent))) throw failure(`destination directory ${parent} does not exist`);
  const staging = await mkdtemp(join(parent, '.orc-cp-'));
  try {
    await untar(staging, false);
    const [root] = await readdir(staging);
    if (!root) throw failure(`the archive of ${from.path} is empty`);
    await rename(join(staging, root), final);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** A basic regular expression (GNU tar's --transform) matching `text` literally; `,` is the delimiter. */
export const literalRe = (text: string) => text.replace(/[.[\]*^$\\,]/g, '\\$&');
const literalReplacement = (text: string) => text.replace(/[\\&,]/g, '\\$&');

/** Local to container: a tar of SRC (or stdin's) unpacked into the directory docker cp's rules choose. */
async function copyTo(
  client: Api,
  project: string,
  src: string | NodeJS.ReadableStream,
  srcArg: string,
  to: Remote,
  flags: CpFlags,
): Promise<void> {
  const where = { index: flags.index ?? 1, all: (flags.all ?? false) || flags.index === undefined };
  const copyUIDGID = flags.archive ?? false;
  if (typeof src !== 'string') {
    // `-`: a tar from stdin, unpacked into DEST, which must be an existing directory.
    await client.putArchive(project, to.service, where, to.path, src, copyUIDGID);
    return;
  }
  const local = await lstat(src).catch(() => undefined);
  if (!local) throw failure(`no such file or directory: ${srcArg}`);
  const real = flags.followLink && local.isSymbolicLink() ? await realpath(src) : src;
  const srcIsDir = (real === src ? local : await stat(real)).isDirectory();
  let destPath = to.path;
  let remoteDest = await client.statPath(project, to.service, flags.index ?? 1, destPath);
  // A destination that is a symlink is followed (docker cp does too): `/var/run` is a directory.
  if (remoteDest.stat && (remoteDest.stat.mode & (1 << 27)) !== 0 && remoteDest.stat.linkTarget) {
    destPath = remoteDest.stat.linkTarget;
    remoteDest = await client.statPath(project, to.service, flags.index ?? 1, destPath);
  }
  const destIsDir = remoteDest.stat ? isDirMode(remoteDest.stat.mode) : false;
  if (remoteDest.exists && !destIsDir && srcIsDir) {
    throw failure(`cannot copy a directory to a file: ${to.service}:${to.path}`);
  }
  if (!remoteDest.exists && !srcIsDir && to.path.endsWith('/')) {
    throw failure(`destination directory ${to.service}:${to.path} does not exist`);
  }
  const owner = flags.archive ? [] : ['--owner=0', '--group=0'];
  const base = ['-c', '-f', '-', '--numeric-owner', ...owner];
  let args: string[];
  let into: string;
  if (remoteDest.exists && destIsDir) {
    into = destPath;
    if (srcIsDir && contentsOf(srcArg)) {
      const children = await readdir(real);
      if (children.length === 0) return; // an empty directory's contents: nothing to copy
      args = [...base, '-C', real, '--', ...children.map((c) => `./${c}`)];
    } else {
      args = [...base, '-C', dirname(real), ...rebase(basename(real), basename(src)), '--', basename(real)];
    }
  } else {
    // Missing (or a file, replaced by a file): unpacked into its parent under the destination's name.
    into = posix.dirname(destPath.replace(/\/+$/, '')) || '/';
    const target = posix.basename(destPath.replace(/\/+$/, ''));
    args = [...base, '-C', dirname(real), ...rebase(basename(real), target), '--', basename(real)];
  }
  await runTar(args, {
    onOutput: (out) => client.putArchive(project, to.service, where, into, out, copyUIDGID),
  });
}

/** `--transform` renaming the archive's root entry (symlink targets left alone: the `S` flag). */
function rebase(from: string, to: string): string[] {
  return from === to ? [] : ['--transform', `s,^${literalRe(from)},${literalReplacement(to)},S`];
}
