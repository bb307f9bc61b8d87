/**
 * The wire types of the API (and so of the CLI, which imports them type-only): each is the `Static<>` of
 * its TypeBox schema in contract/schemas.ts, the single source that also validates requests and feeds
 * `/v1/openapi.json`. Nothing here is runtime code.
 */
import type { Static } from '@fastify/type-provider-typebox';
import type { LoadOptions, SpecError, SpecWarning } from '@orc/spec';
import type {
  AttachBodySchema,
  BuildBodySchema,
  ContainerImageSchema,
  ContainerStatsSchema,
  ContainerSummarySchema,
  ContainerTopSchema,
  DaemonEventSchema,
  DesiredRunStateSchema,
  DownBodySchema,
  ExecBodySchema,
  LogLineSchema,
  LogsQuery,
  OperationErrorSchema,
  OperationKindSchema,
  OperationRecordSchema,
  ProgressEventSchema,
  ProgressStateSchema,
  ProjectSummarySchema,
  PsTableSchema,
  PullBodySchema,
  ResourceKindSchema,
  RunBodySchema,
  ServiceActionBodySchema,
  ServiceActionSchema,
  UpOptionsSchema,
  WatchInfoSchema,
} from './schemas.js';

/** Where a project comes from: the client's paths, environment and profiles (the loader's LoadOptions). */
export type ProjectSource = LoadOptions;

/** Fields of a request body that are about the request (which project, the terminal), not the verb. */
type Envelope = 'source' | 'rows' | 'cols';

export type UpOptions = Static<typeof UpOptionsSchema>;
export type DownOptions = Omit<Static<typeof DownBodySchema>, Envelope>;
export type ServiceAction = Static<typeof ServiceActionSchema>;
export type ServiceActionOptions = Omit<Static<typeof ServiceActionBodySchema>, Envelope>;
export type ExecOptions = Omit<Static<typeof ExecBodySchema>, Envelope>;
/** `orc run`: a one-off container of a service. */
export type RunOptions = Omit<Static<typeof RunBodySchema>, Envelope>;
/** `orc build`. */
export type BuildOptions = Omit<Static<typeof BuildBodySchema>, Envelope>;
/** `orc pull`. */
export type PullOptions = Omit<Static<typeof PullBodySchema>, Envelope>;
/** The request bodies as sent (the CLI builds them). */
export type ExecRequest = Static<typeof ExecBodySchema>;
export type RunRequest = Static<typeof RunBodySchema>;

/** `orc logs`: the query, with the service filter named as the verbs name it. */
export type LogOptions = Omit<Static<typeof LogsQuery>, 'service'> & { services?: string[] };

export type ResourceKind = Static<typeof ResourceKindSchema>;
export type ProgressState = Static<typeof ProgressStateSchema>;
export type ProgressEvent = Static<typeof ProgressEventSchema>;
export type OperationKind = Static<typeof OperationKindSchema>;
export type OperationError = Static<typeof OperationErrorSchema>;
export type OperationRecord = Static<typeof OperationRecordSchema>;
/** A container as `orc ps --format json` prints it (compose v2's field names). */
export type ContainerSummary = Static<typeof ContainerSummarySchema>;
export type ProjectSummary = Static<typeof ProjectSummarySchema>;
/** `orc ps`'s view of a project (`Accept: application/vnd.orc.ps-table+json`). */
export type PsTable = Static<typeof PsTableSchema>;
export type WatchInfo = Static<typeof WatchInfoSchema>;
export type DaemonEvent = Static<typeof DaemonEventSchema>;
export type LogLine = Static<typeof LogLineSchema>;
/** `orc top`: one container's processes (engine `GET /containers/{id}/top`). */
export type ContainerTop = Static<typeof ContainerTopSchema>;
export type ContainerStats = Static<typeof ContainerStatsSchema>;
export type AttachRequest = Static<typeof AttachBodySchema>;
/** `orc images`: the image a container runs, with the engine's id and size. */
export type ContainerImage = Static<typeof ContainerImageSchema>;
/** The run state the user asked for a service (`orc stop web` keeps web stopped until `orc start`/`up`). */
export type DesiredRunState = Static<typeof DesiredRunStateSchema>;

export type LoadFailure = { code: 'INVALID_PROJECT'; errors: SpecError[]; warnings: SpecWarning[] };
