import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A throw-away directory holding the files a loader test needs (for tests only). */
export interface TempProject {
  dir: string;
  path: (rel: string) => string;
  write: (rel: string, text: string) => string;
  remove: () => void;
}

export function tempProject(files: Record<string, string> = {}, name = 'proj'): TempProject {
  const root = mkdtempSync(join(tmpdir(), 'orc-spec-'));
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  const write = (rel: string, text: string): string => {
    const p = join(dir, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, text);
    return p;
  };
  for (const [rel, text] of Object.entries(files)) write(rel, text);
  return {
    dir,
    path: (rel) => join(dir, rel),
    write,
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}
