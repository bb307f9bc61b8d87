/**
 * What the daemon's restarter remembers per container (restart times, the give-up), kept on disk so a
 * daemon restart neither forgets a give-up nor grants `max_attempts` new tries. One small file per project
 * beside the project records, versioned and checked on read: a file that does not pass is set aside and
 * the project starts with no history (the safe loss: at worst a few more restarts), never a crash.
 */
import { readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ensureDir, writeFileAtomic } from './store.js';

export interface LedgerEntry {
  service: string;
  /** Container name when the entry was written (for the planner, which works by name). */
  name: string;
  /** When each restart the daemon made happened (ms since epoch), oldest first. */
  restarts: number[];
  /** Restarts in a row after short runs (drives the backoff). */
  consecutive: number;
  /** Restarts the daemon made in all. */
  total: number;
  /** Why the daemon stopped restarting it; absent while it still would. */
  gaveUp?: string;
  reason?: string;
  /** The container's `State.StartedAt` of the run the entry is about: a different one means someone started it since. */
  startedAt?: string;
}

/** Keyed by container id. */
export type Ledger = Record<string, LedgerEntry>;

export interface RestartLedgerStore {
  load(project: string): Promise<Ledger>;
  /** Atomic; an empty ledger removes the file. */
  save(project: string, ledger: Ledger): Promise<void>;
  remove(project: string): Promise<void>;
}

const VERSION = 1;
const projectName = /^[a-z0-9][a-z0-9_-]*$/;

export function createRestartLedgerStore(
  stateDir: string,
  log?: { warn(msg: string, fields?: Record<string, unknown>): void },
): RestartLedgerStore {
  const dir = join(stateDir, 'restarts');
  const fileOf = (project: string) => {
    if (!projectName.test(project)) throw new Error(`invalid project name ${JSON.stringify(project)}`);
    return join(dir, `${project}.json`);
  };
  return {
    async load(project) {
      const file = fileOf(project);
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
        throw err;
      }
      const parsed = parseLedger(text);
      if (parsed) return parsed;
      const aside = `${file}.bad-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      await rename(file, aside).catch(() => undefined);
      log?.warn('restart history file is not valid; set aside, starting with no history', {
        project,
        file,
        movedTo: aside,
      });
      return {};
    },
    async save(project, ledger) {
      const file = fileOf(project);
      if (Object.keys(ledger).length === 0) {
        await rm(file, { force: true });
        return;
      }
      await ensureDir(stateDir);
      await ensureDir(dir);
      await writeFileAtomic(file, `${JSON.stringify({ version: VERSION, containers: ledger })}\n`);
    },
    async remove(project) {
      await rm(fileOf(project), { force: true });
    },
  };
}

/** The ledger in `text`, or undefined when it is not one this version wrote. */
export function parseLedger(text: string): Ledger | undefined {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isObject(doc) || doc.version !== VERSION || !isObject(doc.containers)) return undefined;
  const out: Ledger = {};
  for (const [id, e] of Object.entries(doc.containers)) {
    if (!isEntry(e)) return undefined;
    out[id] = e;
  }
  return out;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
const optionalString = (v: unknown) => v === undefined || typeof v === 'string';

function isEntry(e: unknown): e is LedgerEntry {
  return (
    isObject(e) &&
    typeof e.service === 'string' &&
    typeof e.name === 'string' &&
    Array.isArray(e.restarts) &&
    e.restarts.every((t) => typeof t === 'number' && Number.isFinite(t)) &&
    isCount(e.consecutive) &&
    isCount(e.total) &&
    optionalString(e.gaveUp) &&
    optionalString(e.reason) &&
    optionalString(e.startedAt)
  );
}
