import type { Engine } from '../engine/engine.js';
import type { Operation } from '../plan/types.js';

type Op<K extends Operation['kind']> = Extract<Operation, { kind: K }>;

/** What an operation runs with: the engine, the project, and the daemon's image and progress hooks. */
export interface OpContext {
  engine: Engine;
  project: string;
  /** Pulls/builds an image as the plan says; the images module's `ensureImage` in production. */
  ensureImage(op: Op<'ensure-image'>, report: (message: string) => void): Promise<void>;
  /** Default timeout of `wait-container` (ms). */
  waitTimeoutMs: number;
  nudge?: (containerName: string) => Promise<void>;
  signal?: AbortSignal;
  /** Image reference → id, filled as images are inspected (one inspect per image per run). */
  imageIds: Map<string, Promise<string>>;
  report(message: string): void;
}
