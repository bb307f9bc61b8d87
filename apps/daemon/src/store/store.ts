import { randomBytes } from 'node:crypto';
import { chmod, mkdir, open, readdir, readFile, rename, rm, stat, statfs } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import type { DesiredState, DesiredSwarm, Target } from '@orc/spec';
import { OrcError } from '../contract/errors.js';
import type { DesiredRunState, ProjectSource } from '../contract/types.js';

/** What the daemon keeps converged for one project. Engine labels stay the truth for what exists. */
export interface ProjectRecord {
  name: string;
  /**
   * How to load it again: the client's paths, the environment it interpolated with (the client's, so the
   * same result after a reboot), profiles. The environment may hold secrets: the file is 0600.
   */
  source: ProjectSource;
  /** Per service; absent = running. `orc stop web` writes `stopped` so web stays stopped. */
  runState: Record<string, DesiredRunState>;
  /** Replica overrides (`up --scale`, `orc scale`). */
  scale: Record<string, number>;
  /**
   * The desired state as last applied: what the daemon converges to (after a reboot too), even if the
   * files changed on disk since. Files are re-read only by the next `up`.
   */
  desired?: DesiredState;
  /** Services brought up so far (`up web` keeps only web and its dependencies); absent = all. */
  services?: string[];
  /** This daemon holds the project's lease on the engine (verbs/lease.ts); absent on records from before leases. */
  leased?: boolean;
  /**
   * Another daemon took the project over, or its lease was removed: this daemon no longer converges it.
   * The next `up` here keeps it again.
   */
  released?: { reason: string; at: string };
  /**
   * `up -d --watch` / `watch -d`: the daemon watches the project's files (these services; absent = every
   * service with `develop.watch`), again after a restart, until `watch --stop` or `down`.
   */
  watch?: { services?: string[]; since: string };
  /** Where the project runs; absent = the local engine. `swarm`: `desired` is absent and `swarm` holds it. */
  target?: Target;
  /** The Swarm target's desired state as last applied (issue 15). */
  swarm?: DesiredSwarm;
  createdAt: string;
  updatedAt: string;
}

export interface ProjectStore {
  readonly dir: string;
  list(): Promise<ProjectRecord[]>;
  get(name: string): Promise<ProjectRecord | undefined>;
  /** Atomic: a crash leaves the old record or the new one, never half of one. */
  put(record: ProjectRecord): Promise<void>;
  remove(name: string): Promise<void>;
}

/** `ORC_STATE_DIR`; else `/var/lib/orc` for root; else `$XDG_STATE_HOME/orc` or `~/.local/state/orc`. */
export function defaultStateDir(
  env: NodeJS.ProcessEnv = process.env,
  uid = process.getuid?.() ?? -1,
): string {
  if (env.ORC_STATE_DIR) return env.ORC_STATE_DIR;
  if (uid === 0) return '/var/lib/orc';
  if (env.XDG_STATE_HOME) return join(env.XDG_STATE_HOME, 'orc');
  return join(env.HOME ?? homedir(), '.local', 'state', 'orc');
}

const projectName = /^[a-z0-9][a-z0-9_-]*$/;

function fileOf(dir: string, name: string): string {
  // Names are compose project names; anything else could walk out of the directory.
  if (!projectName.test(name)) {
    throw new OrcError('INVALID_REQUEST', `invalid project name ${JSON.stringify(name)}`);
  }
  return join(dir, `${name}.json`);
}

export async function ensureDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
}

/**
 * Write to a temporary file, fsync it, rename it over the target, fsync the directory: a crash leaves the
 * old file or the new one. A full disk leaves neither a temporary file nor a half-written target, and is
 * said as such (`STATE_DIR_FULL`, with the directory and the space left).
 */
export async function writeFileAtomic(file: string, data: string): Promise<void> {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    const fh = await open(tmp, 'w', 0o600);
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true });
    throw await diskError(err, file, Buffer.byteLength(data));
  }
  await syncDir(dirname(file));
}

/** The rename is durable only once the directory is on disk too. */
async function syncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r').catch(() => undefined);
  if (!fh) return;
  await fh.sync().catch(() => undefined);
  await fh.close();
}

async function diskError(err: unknown, file: string, bytes: number): Promise<unknown> {
  const code = (err as NodeJS.ErrnoException).code;
  if (code !== 'ENOSPC' && code !== 'EDQUOT') return err;
  const dir = dirname(file);
  const free = await statfs(dir).then(
    (s) => `${s.bavail * s.bsize} bytes free`,
    () => 'free space unknown',
  );
  return new OrcError(
    'STATE_DIR_FULL',
    `cannot write ${file} (${bytes} bytes): no space left in ${dir} (${free}); nothing was changed on the ` +
      'engine. Free some space there (or point ORC_STATE_DIR elsewhere) and run the command again',
    { file, bytes },
  );
}

/** A record file that could not be trusted: set aside (renamed), never read again, never a crash. */
export interface BadRecord {
  project: string;
  file: string;
  /** Where the file now is (`NAME.json.bad-TIME`); absent when it could not be moved (it could not be read). */
  movedTo?: string;
  reason: string;
}

export interface ProjectStoreOptions {
  /** Told of each record set aside (the daemon logs it and publishes an event with how to re-adopt). */
  onBadRecord?(bad: BadRecord): void;
}

/** The record format this daemon writes; records without a version are from before versions (same shape). */
export const RECORD_VERSION = 1;

export function createProjectStore(
  stateDir: string = defaultStateDir(),
  opts: ProjectStoreOptions = {},
): ProjectStore {
  const dir = join(stateDir, 'projects');
  let ready: Promise<void> | undefined;
  const init = () => {
    ready ??= ensureDir(stateDir).then(() => ensureDir(dir));
    return ready;
  };
  const setAside = async (file: string, project: string, reason: string): Promise<undefined> => {
    kept.delete(file);
    const movedTo = `${file}.bad-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    const moved = await rename(file, movedTo).then(
      () => true,
      () => false,
    );
    opts.onBadRecord?.({ project, file, ...(moved ? { movedTo } : {}), reason });
    return undefined;
  };
  // Each record as last read or written, with the identity of the file it came from (inode, size, times):
  // while the file is the same one, a read returns the same object without parsing it again (a no-op `up`
  // reads its record, then compares it with the new one by the identity of their desired states).
  // Records are never changed in place (callers make new ones), so sharing them is safe.
  const kept = new Map<string, { stamp: string; record: ProjectRecord }>();
  const stampOf = async (file: string): Promise<string | undefined> => {
    const st = await stat(file, { bigint: true }).catch(() => undefined);
    return st && `${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`;
  };
  const read = async (file: string, project: string): Promise<ProjectRecord | undefined> => {
    const stamp = await stampOf(file);
    const cached = kept.get(file);
    if (cached && stamp !== undefined && cached.stamp === stamp) return cached.record;
    kept.delete(file);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      opts.onBadRecord?.({ project, file, reason: `cannot read it: ${(err as Error).message}` });
      return undefined;
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      return setAside(file, project, `not JSON: ${(err as Error).message}`);
    }
    const problem = checkRecord(value, project);
    if (problem) return setAside(file, project, problem);
    const { version: _v, ...record } = value as ProjectRecord & { version?: number };
    // Stamped before the read: a file replaced in between is read again next time, never taken as this one.
    if (stamp !== undefined) kept.set(file, { stamp, record });
    return record;
  };
  return {
    dir,
    async list() {
      await init();
      const names = (await readdir(dir)).filter((f) => f.endsWith('.json')).sort();
      const records = await Promise.all(names.map((f) => read(join(dir, f), f.slice(0, -'.json'.length))));
      return records.filter((r): r is ProjectRecord => r !== undefined);
    },
    async get(name) {
      await init();
      return read(fileOf(dir, name), name);
    },
    async put(record) {
      await init();
      const file = fileOf(dir, record.name);
      kept.delete(file);
      await writeFileAtomic(file, `${JSON.stringify({ version: RECORD_VERSION, ...record }, null, 2)}\n`);
      // What JSON keeps of it: the same record a read would return.
      const stamp = await stampOf(file);
      if (stamp !== undefined) kept.set(file, { stamp, record: withoutUndefined(record) });
    },
    async remove(name) {
      await init();
      const file = fileOf(dir, name);
      kept.delete(file);
      await rm(file, { force: true });
    },
  };
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const isStringMap = (v: unknown): boolean =>
  isObject(v) && Object.values(v).every((x) => typeof x === 'string');

/**
 * What is wrong with a parsed record, or undefined. The shape the daemon relies on is checked; the
 * desired state inside is checked to the depth the supervisor reads before anything else does.
 */
export function checkRecord(value: unknown, project: string): string | undefined {
  if (!isObject(value)) return 'not an object';
  const version = value.version;
  if (version !== undefined && version !== RECORD_VERSION) {
    return typeof version === 'number' && version > RECORD_VERSION
      ? `written by a newer orc (record version ${version}; this one reads ${RECORD_VERSION})`
      : `unknown record version ${JSON.stringify(version)}`;
  }
  if (value.name !== project) return `its name ${JSON.stringify(value.name)} is not its file's (${project})`;
  const source = value.source;
  if (!isObject(source) || typeof source.workingDir !== 'string') return 'source.workingDir is missing';
  if (source.env !== undefined && !isStringMap(source.env)) return 'source.env is not a map of strings';
  if (!isStringMap(value.runState)) return 'runState is not a map of strings';
  if (
    !isObject(value.scale) ||
    !Object.values(value.scale).every((n) => Number.isInteger(n) && (n as number) >= 0)
  )
    return 'scale is not a map of replica counts';
  const desired = value.desired;
  if (desired !== undefined) {
    if (!isObject(desired) || desired.project !== project) return 'desired.project is not the project';
    for (const key of ['services', 'networks', 'volumes'] as const) {
      if (!Array.isArray(desired[key])) return `desired.${key} is not a list`;
    }
  }
  if (
    value.services !== undefined &&
    !(Array.isArray(value.services) && value.services.every((x) => typeof x === 'string'))
  )
    return 'services is not a list of names';
  if (typeof value.createdAt !== 'string' || typeof value.updatedAt !== 'string')
    return 'createdAt/updatedAt missing';
  return undefined;
}

/** The record's own members that JSON keeps (an `undefined` member is dropped, as JSON.stringify does). */
function withoutUndefined(record: ProjectRecord): ProjectRecord {
  return Object.fromEntries(
    Object.entries(record).filter(([, v]) => v !== undefined),
  ) as unknown as ProjectRecord;
}
