import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type {
  DaemonEvent,
  LoadFailure,
  OperationRecord,
  ProgressEvent,
  ProjectSource,
} from '../../src/contract/types.js';
import { type CoreOptions, createCore } from '../../src/verbs/core.js';
import type { OperationHandle } from '../../src/verbs/types.js';

export type TestCore = ReturnType<typeof createCore>;

/** A core with its own state directory, removed by `dispose`. */
export async function startCore(
  opts: CoreOptions = {},
): Promise<{ core: TestCore; stateDir: string; dispose(): Promise<void> }> {
  const stateDir = await mkdtemp(join(tmpdir(), 'orc-core-'));
  const core = createCore({ stateDir, ...opts });
  await core.internals.ready;
  return {
    core,
    stateDir,
    async dispose() {
      await core.close();
      await rm(stateDir, { recursive: true, force: true });
    },
  };
}

export function inlineSource(project: string, yaml: string, workingDir = `/tmp/${project}`): ProjectSource {
  return { workingDir, projectName: project, inline: [{ name: 'compose.yaml', content: yaml }], env: {} };
}

export function isHandle(r: OperationHandle | LoadFailure): r is OperationHandle {
  return 'done' in r;
}

/** Runs an operation to its end; returns its record and its full progress. */
export async function finish(
  core: TestCore,
  started: OperationHandle | LoadFailure | Promise<OperationHandle | LoadFailure>,
): Promise<{ record: OperationRecord; progress: ProgressEvent[] }> {
  const handle = await started;
  if (!isHandle(handle)) throw new Error(`project did not load: ${JSON.stringify(handle.errors)}`);
  const record = await handle.done;
  const progress: ProgressEvent[] = [];
  for await (const e of core.operationProgress(record.id, new AbortController().signal)) progress.push(e);
  return { record, progress };
}

/** Polls `check` until it returns a value (not undefined) or the deadline passes. Not a timing assertion: a wait. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline)
      throw new Error(`condition not met within ${timeoutMs} ms${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Collects a project's daemon events from now on; `stop` ends the subscription. */
export function recordEvents(core: TestCore, project: string): { events: DaemonEvent[]; stop(): void } {
  const events: DaemonEvent[] = [];
  const ac = new AbortController();
  void (async () => {
    for await (const e of core.events({ project }, ac.signal)) events.push(e);
  })();
  return { events, stop: () => ac.abort() };
}
