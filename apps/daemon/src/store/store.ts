import { randomBytes } from 'node:crypto';
import { chmod, mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { DesiredState } from '@orc/spec';
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

export async function writeFileAtomic(file: string, data: string): Promise<void> {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const fh = await open(tmp, 'w', 0o600);
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
  try {
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

export function createProjectStore(stateDir: string = defaultStateDir()): ProjectStore {
  const dir = join(stateDir, 'projects');
  let ready: Promise<void> | undefined;
  const init = () => {
    ready ??= ensureDir(stateDir).then(() => ensureDir(dir));
    return ready;
  };
  const read = async (file: string): Promise<ProjectRecord | undefined> => {
    try {
      return JSON.parse(await readFile(file, 'utf8')) as ProjectRecord;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new OrcError(
        'INTERNAL',
        `cannot read the project registry file ${file}: ${(err as Error).message}`,
      );
    }
  };
  return {
    dir,
    async list() {
      await init();
      const names = (await readdir(dir)).filter((f) => f.endsWith('.json')).sort();
      const records = await Promise.all(names.map((f) => read(join(dir, f))));
      return records.filter((r): r is ProjectRecord => r !== undefined);
    },
    async get(name) {
      await init();
      return read(fileOf(dir, name));
    },
    async put(record) {
      await init();
      await writeFileAtomic(fileOf(dir, record.name), `${JSON.stringify(record, null, 2)}\n`);
    },
    async remove(name) {
      await init();
      await rm(fileOf(dir, name), { force: true });
    },
  };
}
