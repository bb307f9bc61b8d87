/**
 * Loads again only when something the load depends on changed (issue 17, item 2: a no-op `up` parses
 * nothing). A load's result depends on its options (the client's files, environment, profiles, ...) and
 * on what it found on disk: the compose files, includes, `extends` files, `.env`, `env_file`s, var files,
 * and the files discovery looked for and did not find. A load records every look it takes (files.ts);
 * the cache keeps results by their options, and serves one only after each of those looks is taken
 * again and sees the same: a digest of the same bytes (never a modification time), the same absence.
 * Reading and hashing the files costs well under a millisecond per 50 KB.
 *
 * Results are shared between callers: they are read, never changed.
 */
import { canonicalJson, sha256Hex } from '../hash/canonical.js';
import { type FileInput, recordingInputs, stillSeen } from './files.js';
import { loadProjectNow } from './load-project.js';
import type { LoadOptions, LoadResult } from './options.js';

export interface LoadCacheResult {
  result: LoadResult;
  /** Served from the cache: nothing was parsed. */
  hit: boolean;
}

export interface LoadCache {
  load(opts: LoadOptions): LoadCacheResult;
  /** Results kept (at most `max`). */
  readonly size: number;
  clear(): void;
}

interface Entry {
  result: LoadResult;
  inputs: FileInput[];
}

/** What identifies a load's options: a digest of them with keys sorted (the environment included). */
export function loadKey(opts: LoadOptions): string {
  return sha256Hex(canonicalJson(opts));
}

/** Each distinct look once (a load may read `.env` twice), in first-seen order. */
export function distinctInputs(inputs: FileInput[]): FileInput[] {
  const seen = new Map<string, FileInput>();
  for (const i of inputs) {
    const key = i.probe === 'text' ? `text ${i.maxBytes} ${i.path}` : `is-file ${i.path}`;
    if (!seen.has(key)) seen.set(key, i);
  }
  return [...seen.values()];
}

/** True when every recorded look sees the same today. */
export function inputsUnchanged(inputs: FileInput[]): boolean {
  return inputs.every(stillSeen);
}

/** Loads through a cache of the last `max` successful loads, least recently used dropped first. */
export function createLoadCache(max = 32): LoadCache {
  const entries = new Map<string, Entry>();
  return {
    load(opts) {
      const key = loadKey(opts);
      const kept = entries.get(key);
      if (kept) {
        entries.delete(key);
        if (inputsUnchanged(kept.inputs)) {
          entries.set(key, kept);
          return { result: kept.result, hit: true };
        }
      }
      const { value: result, inputs } = recordingInputs(() => loadProjectNow(opts));
      // A failed load is not kept: it is rare, and its problems should be found afresh.
      if (result.ok) {
        entries.set(key, { result, inputs: distinctInputs(inputs) });
        while (entries.size > max) entries.delete(entries.keys().next().value as string);
      }
      return { result, hit: false };
    },
    get size() {
      return entries.size;
    },
    clear: () => entries.clear(),
  };
}
