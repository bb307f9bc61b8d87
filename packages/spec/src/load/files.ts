import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { DEFAULT_YAML_LIMITS } from './yaml.js';

export type ReadResult =
  | { ok: true; text: string }
  | { ok: false; reason: 'missing' | 'directory' | 'too-large' | 'unreadable'; detail?: string };

/**
 * One look the loader took at the filesystem and what it saw: a file's text (as a digest, or why it
 * could not be read), or whether a path is a file. Looking again and seeing the same tells that a load
 * would read the same bytes (load-inputs.ts).
 */
export type FileInput =
  | { probe: 'text'; path: string; maxBytes: number; seen: string }
  | { probe: 'is-file'; path: string; seen: boolean };

/** Set while a load records what it reads (`recordingInputs`); the loader is synchronous, so one is enough. */
let recording: FileInput[] | undefined;

/** Runs `fn` (synchronous) and returns every file look it took, in order. */
export function recordingInputs<T>(fn: () => T): { value: T; inputs: FileInput[] } {
  const outer = recording;
  const inputs: FileInput[] = [];
  recording = inputs;
  try {
    return { value: fn(), inputs };
  } finally {
    recording = outer;
    outer?.push(...inputs);
  }
}

/** What a text read saw, small enough to keep: a digest of the text, or the reason it failed. */
export function seenText(r: ReadResult): string {
  return r.ok
    ? `sha1:${createHash('sha1').update(r.text).digest('base64')}`
    : `${r.reason}${r.detail ? `: ${r.detail}` : ''}`;
}

/** Reads a text file without following it past the size limit. */
export function readTextFile(path: string, maxBytes = DEFAULT_YAML_LIMITS.maxBytes): ReadResult {
  const r = readText(path, maxBytes);
  recording?.push({ probe: 'text', path, maxBytes, seen: seenText(r) });
  return r;
}

function readText(path: string, maxBytes: number): ReadResult {
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
  const seen = fileAt(path);
  recording?.push({ probe: 'is-file', path, seen });
  return seen;
}

function fileAt(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** Takes the same look again (not recorded): does the filesystem still show what `input` saw? */
export function stillSeen(input: FileInput): boolean {
  return input.probe === 'text'
    ? seenText(readText(input.path, input.maxBytes)) === input.seen
    : fileAt(input.path) === input.seen;
}
