/**
 * The build context as a tar stream, honouring `.dockerignore` (or `<Dockerfile>.dockerignore` next to the
 * Dockerfile, which wins, as in BuildKit). Ignored files are never opened: the walk below decides from
 * directory listings alone, and tar-fs only opens what the walk kept. Symlinks are sent as links (lstat),
 * never followed, so nothing outside the context can leak into it.
 */
import { createHash } from 'node:crypto';
import type { Dirent } from 'node:fs';
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, posix, relative, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import dockerignore from '@balena/dockerignore';
import type { DesiredBuild } from '@orc/spec';
import { type PackOptions, pack } from 'tar-fs';
import { ImageError } from '../contract/image-errors.js';
import { isRemoteContext } from './reference.js';

export interface BuildContext {
  stream: Readable;
  /** The Dockerfile's path inside the tar (what `POST /build?dockerfile=` wants). */
  dockerfile: string;
  /** Relative paths sent, sorted (directories included): for tests and `--dry-run`-style reports. */
  files: string[];
}

/** Parses .dockerignore text as the docker CLI does: comments, blank lines, leading `/` and `./` dropped. */
export function parseIgnoreFile(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    let line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const negate = line.startsWith('!');
    if (negate) line = line.slice(1).trim();
    line = posix.normalize(line.replace(/^\/+/, '')).replace(/^\.\/+/, '');
    if (line === '.' || line === '') continue;
    out.push(negate ? `!${line}` : line);
  }
  return out;
}

/**
 * An ignored directory may still hold re-included files (`!dir/keep`): walk into it only when an exception
 * pattern could match below it. Conservative: a pattern that starts with a wildcard could match anywhere.
 */
function mayHoldExceptions(dir: string, exceptions: string[]): boolean {
  const prefix = `${dir}/`;
  return exceptions.some((p) => {
    const literal = p.split(/[*?[\\]/)[0] ?? '';
    return literal.startsWith(prefix) || prefix.startsWith(literal);
  });
}

/** Walks the context and returns the relative (posix) paths to send. */
export async function listContextFiles(
  root: string,
  patterns: string[],
  keep: string[] = [],
): Promise<string[]> {
  // A CommonJS module: under NodeNext its typed default export is the `.default` property.
  const matcher = dockerignore.default({ ignorecase: false }).add(patterns);
  const exceptions = patterns.filter((p) => p.startsWith('!')).map((p) => p.slice(1));
  const forced = new Set<string>();
  for (const k of keep) {
    const parts = k.split('/');
    for (let i = 1; i <= parts.length; i++) forced.add(parts.slice(0, i).join('/'));
  }
  const out: string[] = [];
  const walk = async (relDir: string): Promise<boolean> => {
    let entries: Dirent[];
    try {
      entries = await readdir(relDir ? join(root, relDir) : root, { withFileTypes: true });
    } catch (err) {
      throw new ImageError(
        'BUILD_CONTEXT',
        `cannot read ${join(root, relDir)} in the build context (${(err as NodeJS.ErrnoException).code ?? 'error'}); fix its permissions or add it to .dockerignore`,
      );
    }
    let kept = false;
    for (const e of entries) {
      const rel = relDir ? `${relDir}/${e.name}` : e.name;
      const ignored = matcher.ignores(rel) && !forced.has(rel);
      const isDir = e.isDirectory();
      if (!ignored) {
        out.push(rel);
        kept = true;
        if (isDir) await walk(rel);
      } else if (
        isDir &&
        (mayHoldExceptions(rel, exceptions) || [...forced].some((f) => f.startsWith(`${rel}/`)))
      ) {
        const before = out.length;
        out.push(rel);
        if (await walk(rel)) kept = true;
        else out.splice(before, 1);
      }
    }
    return kept;
  };
  await walk('');
  return out.sort();
}

function inside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/**
 * Makes the context of one build. `dockerfile_inline`, or a Dockerfile outside the context, is added to the
 * tar under a name derived from its content (so the layer cache survives repeated builds).
 */
export async function createBuildContext(build: DesiredBuild, service: string): Promise<BuildContext> {
  if (isRemoteContext(build.context)) {
    throw new ImageError(
      'NOT_SUPPORTED',
      `service ${service}: build context ${build.context} is a remote (git/URL) context, which is not supported yet; clone or download it and point build.context at the directory`,
      { service },
    );
  }
  let root: string;
  try {
    root = await realpath(build.context);
    if (!(await stat(root)).isDirectory()) throw Object.assign(new Error(), { code: 'ENOTDIR' });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ImageError(
      'BUILD_CONTEXT',
      `service ${service}: build context ${build.context} ${code === 'ENOTDIR' ? 'is not a directory' : 'does not exist'}; fix build.context (relative paths resolve from the project directory)`,
      { service },
    );
  }

  let inlineText: string | undefined;
  let dockerfileInTar: string;
  let ignoreText: string | undefined;
  if (build.dockerfile_inline !== undefined) {
    inlineText = build.dockerfile_inline;
  } else {
    const wanted = resolve(root, build.dockerfile ?? 'Dockerfile');
    const text = await readIfExists(wanted);
    if (text === undefined) {
      throw new ImageError(
        'BUILD_CONTEXT',
        `service ${service}: Dockerfile ${wanted} not found; fix build.dockerfile (it is relative to build.context) or add the file`,
        { service },
      );
    }
    ignoreText = await readIfExists(`${wanted}.dockerignore`);
    let real = wanted;
    try {
      real = await realpath(wanted);
    } catch {
      // read above, so it exists; keep the path as given
    }
    if (inside(root, real)) dockerfileInTar = relative(root, real).split(sep).join('/');
    else inlineText = text;
  }
  ignoreText ??= await readIfExists(join(root, '.dockerignore'));
  const patterns = ignoreText ? parseIgnoreFile(ignoreText) : [];

  if (inlineText !== undefined) {
    const digest = createHash('sha256').update(inlineText).digest('hex').slice(0, 16);
    dockerfileInTar = `.orc-dockerfile-${digest}`;
  }
  const dockerfile = dockerfileInTar!;
  // The engine must see the Dockerfile and .dockerignore even when .dockerignore names them (the docker CLI
  // keeps them too; the engine itself drops them from what COPY sees when they are listed).
  const keep = [...(inlineText === undefined ? [dockerfile] : []), '.dockerignore'];
  const files = await listContextFiles(root, patterns, keep);
  const included = new Set(files);
  // A Dockerfile we add is listed in the tar's .dockerignore, as the docker CLI does: the engine reads it,
  // then drops it from what `COPY .` sees.
  let ignoreEntry: Buffer | undefined;
  if (inlineText !== undefined) {
    const rootIgnore = await readIfExists(join(root, '.dockerignore'));
    // Without a .dockerignore of the user's, the one we make names itself too: `COPY .` then sees exactly
    // what is on disk.
    const head = rootIgnore === undefined ? '.dockerignore\n' : rootIgnore.replace(/([^\n])$/, '$1\n');
    ignoreEntry = Buffer.from(`${head}${dockerfile}\n`);
    included.delete('.dockerignore');
  }

  const opts: PackOptions & { sort: boolean } = {
    ignore: (abs: string) => {
      const rel = relative(root, abs).split(sep).join('/');
      return rel !== '' && !included.has(rel);
    },
    // Sockets, FIFOs and devices have no place in an image context: skip them instead of failing.
    strict: false,
    sort: true,
    // The docker CLI sends every file as root:root: the builder's COPY gives them that owner anyway.
    map: (header) => ({ ...header, uid: 0, gid: 0 }),
    finalize: inlineText === undefined,
    ...(inlineText !== undefined
      ? {
          finish: (p) => {
            const body = Buffer.from(inlineText);
            p.entry({ name: dockerfile, size: body.length, mode: 0o644, mtime: new Date(0) }, body);
            if (ignoreEntry) {
              p.entry(
                { name: '.dockerignore', size: ignoreEntry.length, mode: 0o644, mtime: new Date(0) },
                ignoreEntry,
              );
            }
            p.finalize();
          },
        }
      : {}),
  };
  const stream = pack(root, opts) as unknown as Readable;
  const sent =
    inlineText !== undefined ? [...new Set([...included, dockerfile, '.dockerignore'])].sort() : files;
  return { stream, dockerfile, files: sent };
}
