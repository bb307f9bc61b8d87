import { readFileSync, statSync } from 'node:fs';
import { DEFAULT_YAML_LIMITS } from './yaml.js';

export type ReadResult =
  | { ok: true; text: string }
  | { ok: false; reason: 'missing' | 'directory' | 'too-large' | 'unreadable'; detail?: string };

/** Reads a text file without following it past the size limit. */
export function readTextFile(path: string, maxBytes = DEFAULT_YAML_LIMITS.maxBytes): ReadResult {
  try {
    const st = statSync(path);
    if (st.isDirectory()) return { ok: false, reason: 'directory' };
    if (st.size > maxBytes) return { ok: false, reason: 'too-large', detail: `${st.size} bytes` };
    return { ok: true, text: readFileSync(path, 'utf8') };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { ok: false, reason: 'missing' };
    return { ok: false, reason: 'unreadable', detail: err instanceof Error ? err.message : String(err) };
  }
}

export function textOrUndefined(path: string): string | undefined {
  const r = readTextFile(path);
  return r.ok ? r.text : undefined;
}

export function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
