import { randomBytes } from 'node:crypto';
import { createChannel } from '../contract/channel.js';
import { isOrcError } from '../contract/errors.js';
import type { OperationError, OperationKind, OperationRecord, ProgressEvent } from '../contract/types.js';
import type { OperationHandle } from './types.js';

/** What a running operation may tell its record while it works. */
export interface OperationScope {
  readonly id: string;
  progress(event: Omit<ProgressEvent, 'operationId' | 'time'> & { time?: string }): void;
  setPlan(lines: string[]): void;
  warn(message: string): void;
}

interface Entry {
  record: OperationRecord;
  progress: ProgressEvent[];
  listeners: Set<(e: ProgressEvent | undefined) => void>;
}

export interface OperationRegistry {
  start(
    project: string,
    kind: OperationKind,
    work: (scope: OperationScope) => Promise<void>,
    /** Queues the work (e.g. behind the project's lock); default runs it now. */
    schedule?: (task: () => Promise<void>) => Promise<void>,
  ): OperationHandle;
  /** An operation that ends at once (dry runs): recorded like the others, so it can be replayed. */
  finished(
    project: string,
    kind: OperationKind,
    plan: string[],
    warnings: string[],
    error?: OperationError,
  ): OperationHandle;
  get(id: string): OperationRecord | undefined;
  progress(id: string, signal: AbortSignal): AsyncIterable<ProgressEvent>;
  running(): Promise<OperationRecord>[];
}

export function toOperationError(err: unknown): OperationError {
  if (isOrcError(err))
    return { code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) };
  return { code: 'INTERNAL', message: err instanceof Error ? err.message : String(err) };
}

/** Keeps the last `keep` operations with their progress, so a client that connects late can replay. */
export function createOperationRegistry(opts: {
  keep?: number;
  onStateChange?: (record: OperationRecord) => void;
}): OperationRegistry {
  const keep = opts.keep ?? 200;
  const entries = new Map<string, Entry>();
  const inFlight = new Map<string, Promise<OperationRecord>>();

  const add = (record: OperationRecord): Entry => {
    const entry: Entry = { record, progress: [], listeners: new Set() };
    entries.set(record.id, entry);
    while (entries.size > keep) {
      const oldest = [...entries.values()].find((e) => e.record.state !== 'running');
      if (!oldest) break;
      entries.delete(oldest.record.id);
    }
    return entry;
  };
  const newRecord = (project: string, kind: OperationKind): OperationRecord => ({
    id: `op_${Date.now().toString(36)}${randomBytes(4).toString('hex')}`,
    project,
    kind,
    state: 'running',
    startedAt: new Date().toISOString(),
    warnings: [],
  });
  const finish = (entry: Entry, error?: OperationError) => {
    entry.record.state = error ? 'failed' : 'succeeded';
    entry.record.finishedAt = new Date().toISOString();
    if (error) entry.record.error = error;
    for (const l of entry.listeners) l(undefined);
    entry.listeners.clear();
    opts.onStateChange?.(entry.record);
  };

  return {
    start(project, kind, work, schedule = (task) => task()) {
      const record = newRecord(project, kind);
      const entry = add(record);
      opts.onStateChange?.(record);
      const scope: OperationScope = {
        id: record.id,
        progress(partial) {
          const event: ProgressEvent = {
            ...partial,
            operationId: record.id,
            time: partial.time ?? new Date().toISOString(),
          };
          entry.progress.push(event);
          for (const l of entry.listeners) l(event);
        },
        setPlan(lines) {
          record.plan = lines;
        },
        warn(message) {
          record.warnings.push(message);
        },
      };
      const done = schedule(() => work(scope)).then(
        () => {
          finish(entry);
          return { ...record };
        },
        (err: unknown) => {
          finish(entry, toOperationError(err));
          return { ...record };
        },
      );
      inFlight.set(record.id, done);
      void done.then(() => inFlight.delete(record.id));
      return { record: { ...record }, done };
    },
    finished(project, kind, plan, warnings, error) {
      const record = newRecord(project, kind);
      record.plan = plan;
      record.warnings = warnings;
      const entry = add(record);
      finish(entry, error);
      return { record: { ...record }, done: Promise.resolve({ ...record }) };
    },
    get: (id) => {
      const e = entries.get(id);
      return e ? { ...e.record } : undefined;
    },
    async *progress(id, signal) {
      const entry = entries.get(id);
      if (!entry) return;
      const ch = createChannel<ProgressEvent>();
      // Snapshot and subscribe in the same tick: nothing is missed or repeated.
      for (const e of entry.progress) ch.push(e);
      if (entry.record.state !== 'running') ch.close();
      else {
        const listener = (e: ProgressEvent | undefined) => (e ? ch.push(e) : ch.close());
        entry.listeners.add(listener);
        signal.addEventListener('abort', () => entry.listeners.delete(listener), { once: true });
      }
      yield* ch.iterate(signal);
    },
    running: () => [...inFlight.values()],
  };
}
