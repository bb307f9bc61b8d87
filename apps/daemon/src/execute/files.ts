/**
 * Secrets and configs given by value, written into a created container before it starts: through the
 * engine's archive API, so the value lives only in the container's own layer (gone with the container)
 * and never in a host file, with the owner and mode the compose file asks for. Directories that do not
 * exist yet (`/run/secrets`) are created 0755 root; existing ones are left exactly as they are.
 */
import { posix } from 'node:path';
import type { DesiredFile } from '@orc/spec';
import type { Engine } from '../engine/engine.js';
import { putArchive, statPath } from '../engine/oneoff.js';
import { type TarEntry, tarArchive } from './tar.js';

export async function writeFiles(engine: Engine, containerId: string, files: DesiredFile[]): Promise<void> {
  for (const f of files) {
    // The deepest directory that exists: the archive is unpacked there, carrying only what is missing.
    const missing: string[] = [];
    let base = posix.dirname(f.target);
    while (base !== '/' && (await statPath(engine, containerId, base)) === undefined) {
      missing.unshift(posix.basename(base));
      base = posix.dirname(base);
    }
    const entries: TarEntry[] = missing.map((_, i) => ({
      path: missing.slice(0, i + 1).join('/'),
      type: 'dir',
      mode: 0o755,
      uid: 0,
      gid: 0,
    }));
    entries.push({
      path: [...missing, posix.basename(f.target)].join('/'),
      type: 'file',
      mode: f.mode,
      uid: f.uid,
      gid: f.gid,
      content: Buffer.from(f.content, 'utf8'),
    });
    await putArchive(engine, containerId, base, tarArchive(entries));
  }
}
