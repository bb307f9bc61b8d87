/**
 * Who this daemon is, for the others on the same engine: a stable id kept in its state directory (the
 * same daemon after a restart is the same keeper), and where and as what process it runs now.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { ensureDir, writeFileAtomic } from './store.js';

export interface DaemonIdentity {
  id: string;
  host: string;
  pid: number;
  /** The process's start time in clock ticks since boot (`/proc/PID/stat` field 22): tells a reused pid apart. */
  procStart: string;
  stateDir: string;
}

export async function loadDaemonIdentity(stateDir: string): Promise<DaemonIdentity> {
  const file = join(stateDir, 'daemon-id');
  let id = (await readFile(file, 'utf8').catch(() => '')).trim();
  if (!/^[0-9a-f]{16}$/.test(id)) {
    id = randomBytes(8).toString('hex');
    await ensureDir(stateDir);
    await writeFileAtomic(file, `${id}\n`);
  }
  return { id, host: hostname(), pid: process.pid, procStart: processStart(process.pid) ?? '', stateDir };
}

/** `/proc/PID/stat` field 22, or undefined when there is no such process (or no /proc). */
export function processStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command (field 2) is in parentheses and may hold spaces: count fields after its closing one.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return rest[19];
  } catch {
    return undefined;
  }
}
