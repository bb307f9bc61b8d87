/**
 * When each image was last pulled, for `daily` / `weekly` / `every_<duration>`: a small JSON file in the
 * daemon's state dir (path given by the caller), written atomically (temp file + rename, 0600).
 * Without a file, the image's LastTagTime (which a pull moves) stands in.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

export interface PullLog {
  lastPulled(image: string): Promise<number | undefined>;
  record(image: string, at: number): Promise<void>;
}

export function createPullLog(path: string | undefined): PullLog {
  let cache: Record<string, string> | undefined;
  let writing: Promise<void> = Promise.resolve();
  const load = async (): Promise<Record<string, string>> => {
    if (cache) return cache;
    if (!path) {
      cache = {};
      return cache;
    }
    try {
      const parsed: unknown = JSON.parse(await readFile(path, 'utf8'));
      cache = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, string>) : {};
    } catch {
      // Missing or damaged: the worst outcome is one early pull.
      cache = {};
    }
    return cache;
  };
  return {
    async lastPulled(image) {
      const at = (await load())[image];
      const ms = at ? Date.parse(at) : Number.NaN;
      return Number.isFinite(ms) ? ms : undefined;
    },
    async record(image, at) {
      const data = await load();
      data[image] = new Date(at).toISOString();
      if (!path) return;
      const text = `${JSON.stringify(data, Object.keys(data).sort(), 2)}\n`;
      writing = writing
        .catch(() => undefined)
        .then(async () => {
          await mkdir(dirname(path), { recursive: true, mode: 0o700 });
          const tmp = `${path}.${process.pid}.tmp`;
          await writeFile(tmp, text, { mode: 0o600 });
          await rename(tmp, path);
        });
      await writing;
    },
  };
}
