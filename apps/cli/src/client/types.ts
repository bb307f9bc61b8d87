/**
 * The daemon's answers as the CLI reads them off the wire: the daemon's own contract
 * (`apps/daemon/src/contract/types.ts`, the Static<> of its TypeBox schemas), imported as types only, so the bundle never includes the daemon.
 */
import type { ContainerSummary, LoadFailure } from '@orc/daemon';

export type {
  AttachRequest,
  CommitBody,
  CommitReply,
  ContainerStats,
  ContainerSummary,
  DaemonEvent,
  ExecRequest,
  LogLine,
  OperationError,
  OperationRecord,
  ProgressEvent,
  ProgressState,
  ProjectSource,
  ProjectSummary,
  ProjectVolume,
  PsTable,
  ResourceKind,
  RunRequest,
  UpOptions,
  WatchInfo,
} from '@orc/daemon';

export type Publisher = ContainerSummary['Publishers'][number];
/** A located compose problem (`SpecProblem` in @orc/spec). */
export type SpecProblem = LoadFailure['errors'][number];
