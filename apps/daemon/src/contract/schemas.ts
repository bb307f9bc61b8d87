/**
 * TypeBox schemas of the API. They validate requests, type the handlers and feed `/v1/openapi.json`.
 * Request schemas are strict (unknown fields are a 400) so a client's typo is reported, not ignored.
 * Response schemas list the fields and allow more, so the core can grow without breaking the API.
 */
import type { Static } from '@fastify/type-provider-typebox';
import { Type } from './json-schema.js';

const strict = { additionalProperties: false } as const;
const open = { additionalProperties: true } as const;

export const ErrorSchema = Type.Object(
  {
    code: Type.String({ description: 'Stable error code, e.g. INVALID_PROJECT' }),
    message: Type.String(),
    details: Type.Optional(Type.Unknown()),
  },
  open,
);

export const InlineFileSchema = Type.Object(
  { name: Type.Optional(Type.String()), content: Type.String() },
  strict,
);

export const ProjectSourceSchema = Type.Object(
  {
    workingDir: Type.String({ minLength: 1, description: "The client's working directory (absolute)" }),
    files: Type.Optional(Type.Array(Type.String())),
    inline: Type.Optional(Type.Array(InlineFileSchema)),
    env: Type.Optional(
      Type.Record(Type.String(), Type.String(), {
        description: "The client's environment for interpolation; never echoed back",
      }),
    ),
    envFiles: Type.Optional(Type.Array(Type.String())),
    variables: Type.Optional(
      Type.Record(Type.String(), Type.String(), {
        description: '`--var NAME=VALUE`: interpolation defaults under the environment',
      }),
    ),
    variableFiles: Type.Optional(
      Type.Array(Type.String(), { description: '`--var-file` paths, relative to workingDir' }),
    ),
    projectName: Type.Optional(Type.String()),
    projectDirectory: Type.Optional(Type.String()),
    profiles: Type.Optional(Type.Array(Type.String())),
    services: Type.Optional(Type.Array(Type.String())),
  },
  strict,
);
export type ProjectSourceBody = Static<typeof ProjectSourceSchema>;

/** The run state the user asked for a service (`orc stop web` keeps web stopped until `orc start`/`up`). */
export const DesiredRunStateSchema = Type.Union([
  Type.Literal('running'),
  Type.Literal('stopped'),
  Type.Literal('paused'),
]);

const Services = Type.Optional(Type.Array(Type.String(), { description: 'Limit to these services' }));
const Seconds = Type.Optional(Type.Integer({ minimum: 0 }));
const Replicas = Type.Record(Type.String(), Type.Integer({ minimum: 0 }));

export const UpOptionsSchema = Type.Object(
  {
    services: Services,
    forceRecreate: Type.Optional(Type.Boolean()),
    noRecreate: Type.Optional(Type.Boolean()),
    noDeps: Type.Optional(Type.Boolean()),
    removeOrphans: Type.Optional(Type.Boolean()),
    scale: Type.Optional(Replicas),
    build: Type.Optional(Type.Boolean()),
    noBuild: Type.Optional(Type.Boolean()),
    pull: Type.Optional(
      Type.Union([
        Type.Literal('always'),
        Type.Literal('missing'),
        Type.Literal('never'),
        Type.Literal('policy'),
      ]),
    ),
    timeoutSeconds: Seconds,
    dryRun: Type.Optional(Type.Boolean()),
    wait: Type.Optional(Type.Boolean()),
    waitTimeoutSeconds: Seconds,
    force: Type.Optional(Type.Boolean()),
    keep: Type.Optional(Type.Boolean()),
    noStart: Type.Optional(
      Type.Boolean({
        description:
          'Create (and recreate) containers but start none; the services covered that were not running stay stopped until `start` or `up`',
      }),
    ),
    alwaysRecreateDeps: Type.Optional(
      Type.Boolean({ description: 'Recreate the dependencies of `services` even when they are up to date' }),
    ),
    target: Type.Optional(
      Type.Union([Type.Literal('local'), Type.Literal('swarm')], {
        description:
          "Where the project runs: the daemon's engine (local) or the swarm it manages; wins over the file's x-orc.target; later commands follow the project's record",
      }),
    ),
    renewAnonVolumes: Type.Optional(
      Type.Boolean({
        description:
          'Recreated containers get new anonymous volumes: what orc always does (it never carries them over); accepted for compose clients',
      }),
    ),
  },
  strict,
);

export const UpBodySchema = Type.Object(
  { source: ProjectSourceSchema, options: Type.Optional(UpOptionsSchema) },
  strict,
);

const Source = Type.Optional(ProjectSourceSchema);

export const DownBodySchema = Type.Object(
  {
    source: Source,
    volumes: Type.Optional(Type.Boolean()),
    removeOrphans: Type.Optional(Type.Boolean()),
    timeoutSeconds: Seconds,
    rmi: Type.Optional(Type.Union([Type.Literal('all'), Type.Literal('local')])),
    force: Type.Optional(
      Type.Boolean({ description: 'Take the project down even though another live orc daemon keeps it' }),
    ),
  },
  strict,
);

export const ServiceActionBodySchema = Type.Object(
  {
    source: Source,
    services: Services,
    timeoutSeconds: Seconds,
    signal: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9+]+$' })),
    volumes: Type.Optional(Type.Boolean()),
    stop: Type.Optional(Type.Boolean()),
    noDeps: Type.Optional(
      Type.Boolean({
        description:
          'restart: only the named services, not the dependents that declare `depends_on: {restart: true}` on them',
      }),
    ),
    removeOrphans: Type.Optional(
      Type.Boolean({
        description:
          'kill: also the containers of services the project no longer declares (compose kill --remove-orphans); default: they are left alone',
      }),
    ),
  },
  strict,
);

export const ScaleBodySchema = Type.Object(
  {
    source: Source,
    replicas: Replicas,
    dependencies: Type.Optional(
      Type.Boolean({
        description:
          "Also create and start the scaled services' dependencies, as compose's scale does without --no-deps (default false: the scaled services alone)",
      }),
    ),
  },
  strict,
);

const Detail = Type.Optional(
  Type.Boolean({
    description:
      'Inspect each container for its restart count, start and finish times (default true); false answers from one list of the engine (what `ps` tables show)',
  }),
);
export const LookupBodySchema = Type.Object({ source: ProjectSourceSchema, detail: Detail }, strict);
export const ProjectQuery = Type.Object({ detail: Detail }, strict);
/** The list is light by default (issue 19: 100 projects must not cost an inspect per container). */
export const ProjectListQuery = Type.Object(
  {
    detail: Type.Optional(
      Type.Boolean({
        description:
          "Default false: every project from one list of the engine, no inspect (health from the list's status, restart counts only the daemon's own, no start time or probe output). true: each project as `GET /v1/projects/{name}` answers it, an inspect per container",
      }),
    ),
  },
  strict,
);

export const ConfigFormat = Type.Union([Type.Literal('json'), Type.Literal('yaml')]);
export const ConfigBodySchema = Type.Object(
  {
    source: ProjectSourceSchema,
    format: Type.Optional(ConfigFormat),
    consistency: Type.Optional(
      Type.Boolean({
        description:
          'false (`config --no-consistency`): cross-reference problems (an undefined service, network, volume) become warnings',
      }),
    ),
    services: Type.Optional(
      Type.Array(Type.String(), {
        description:
          'The services the request is about (`config --hash a,b`): a missing env_file or a container_name clash of other services does not refuse it. Absent: every service, as compose validates them all',
      }),
    ),
    environment: Type.Optional(
      Type.Boolean({
        description:
          '`config --environment`: the JSON reply carries `environment`, what the files were interpolated with (the client asked for its own environment back)',
      }),
    ),
  },
  strict,
);

export const ExecBodySchema = Type.Object(
  {
    source: Source,
    service: Type.String({ minLength: 1 }),
    index: Type.Optional(Type.Integer({ minimum: 1 })),
    cmd: Type.Array(Type.String(), { minItems: 1 }),
    tty: Type.Optional(Type.Boolean()),
    interactive: Type.Optional(Type.Boolean()),
    env: Type.Optional(Type.Array(Type.String())),
    user: Type.Optional(Type.String()),
    workdir: Type.Optional(Type.String()),
    privileged: Type.Optional(Type.Boolean()),
    detach: Type.Optional(
      Type.Boolean({
        description:
          'compose exec -d: the process is started in the background and left to run; the stream carries only the exit frame (code 0) once it has started',
      }),
    ),
    rows: Type.Optional(Type.Integer({ minimum: 1 })),
    cols: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  strict,
);

export const AttachBodySchema = Type.Object(
  {
    source: Source,
    service: Type.String({ minLength: 1 }),
    index: Type.Optional(Type.Integer({ minimum: 1 })),
    /** Send the client's stdin to the container (when it was started with stdin open). */
    stdin: Type.Optional(Type.Boolean()),
    rows: Type.Optional(Type.Integer({ minimum: 1 })),
    cols: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  strict,
);

export const ProjectNameParams = Type.Object(
  { name: Type.String({ minLength: 1, description: 'Project name, or `-` with `source` in the body' }) },
  strict,
);
export const OperationIdParams = Type.Object({ id: Type.String({ minLength: 1 }) }, strict);

export const WaitQuery = Type.Object(
  { wait: Type.Optional(Type.Boolean({ description: 'Answer when the operation has ended' })) },
  strict,
);

export const StreamFormat = Type.Union([Type.Literal('ndjson'), Type.Literal('sse')]);
/** `POST /v1/projects` (up): `wait`, or `stream` its progress in the answer itself. */
export const UpQuery = Type.Object(
  {
    wait: Type.Optional(Type.Boolean({ description: 'Answer when the operation has ended' })),
    stream: Type.Optional(
      Type.Boolean({
        description:
          'Answer 200 with the progress as a stream (NDJSON, or SSE per `format`/`Accept`): ' +
          '`{"type":"accepted","operation"}`, then the items of `GET /v1/operations/{id}/progress`',
      }),
    ),
    format: Type.Optional(StreamFormat),
  },
  strict,
);
export const StreamQuery = Type.Object({ format: Type.Optional(StreamFormat) }, strict);
export const EventsQuery = Type.Object(
  { project: Type.Optional(Type.String()), format: Type.Optional(StreamFormat) },
  strict,
);
export const LogsQuery = Type.Object(
  {
    service: Type.Optional(Type.Array(Type.String())),
    follow: Type.Optional(Type.Boolean()),
    tail: Type.Optional(Type.Integer({ minimum: 0 })),
    timestamps: Type.Optional(Type.Boolean()),
    since: Type.Optional(Type.String()),
    until: Type.Optional(Type.String()),
  },
  strict,
);
export const ConfigQuery = Type.Object({ format: Type.Optional(ConfigFormat) }, strict);

/** A string from a fixed list (`enum` in the JSON schema), typed as the union of its values. */
const literals = <T extends string>(values: readonly T[]) =>
  Type.Unsafe<T>({ type: 'string', enum: [...values] });

export const ServiceActions = ['start', 'stop', 'restart', 'kill', 'pause', 'unpause', 'rm'] as const;
export const ServiceActionSchema = literals(ServiceActions);
export const OperationKindSchema = literals([
  'up',
  'down',
  ...ServiceActions,
  'scale',
  'build',
  'pull',
  'push',
  'repair',
  'restart-policy',
] as const);

export const OperationErrorSchema = Type.Object(
  {
    code: Type.String(),
    message: Type.String(),
    details: Type.Optional(Type.Unknown()),
    hint: Type.Optional(Type.String()),
  },
  open,
);

export const OperationRecordSchema = Type.Object(
  {
    id: Type.String(),
    project: Type.String(),
    kind: OperationKindSchema,
    state: Type.Union([Type.Literal('running'), Type.Literal('succeeded'), Type.Literal('failed')]),
    startedAt: Type.String(),
    finishedAt: Type.Optional(Type.String()),
    error: Type.Optional(OperationErrorSchema),
    plan: Type.Optional(Type.Array(Type.String())),
    warnings: Type.Array(Type.String()),
  },
  open,
);

export const OperationReplySchema = Type.Object({ operation: OperationRecordSchema }, open);

const PublisherSchema = Type.Object(
  { URL: Type.String(), TargetPort: Type.Number(), PublishedPort: Type.Number(), Protocol: Type.String() },
  open,
);

export const ContainerSummarySchema = Type.Object(
  {
    ID: Type.String(),
    Name: Type.String(),
    Service: Type.String(),
    Project: Type.String(),
    Number: Type.Number(),
    State: Type.String(),
    Health: Type.String(),
    ExitCode: Type.Number(),
    Image: Type.String(),
    Command: Type.String(),
    Created: Type.String(),
    Status: Type.String(),
    RestartCount: Type.Number(),
    RestartReason: Type.Optional(
      Type.String({
        description:
          'Why the daemon last restarted it, will restart it, or gave up (deploy.restart_policy, restart-on-unhealthy)',
      }),
    ),
    HealthOutput: Type.Optional(Type.String({ description: 'Output of the last healthcheck probe' })),
    StartedAt: Type.Optional(
      Type.String({ description: 'When it last started (RFC 3339); absent if never' }),
    ),
    Publishers: Type.Array(PublisherSchema),
    Networks: Type.Array(Type.String()),
    // A task of a swarm project (issue 15): one row per task.
    Node: Type.Optional(Type.String({ description: 'Swarm task: the node it is on' })),
    DesiredState: Type.Optional(Type.String({ description: 'Swarm task: what Swarm wants of it' })),
    CurrentState: Type.Optional(Type.String({ description: 'Swarm task: its state now' })),
    Error: Type.Optional(Type.String({ description: 'Swarm task: why it failed or was rejected' })),
  },
  open,
);

/** A project's watch (`orc watch`, `up --watch`): the daemon watches the files, on the same host as they are. */
export const WatchInfoSchema = Type.Object(
  {
    services: Type.Array(Type.String()),
    detached: Type.Boolean({ description: 'Kept after the client has gone (and after a daemon restart)' }),
    since: Type.String(),
    rules: Type.Integer({ minimum: 0 }),
    dirs: Type.Integer({ minimum: 0, description: 'Directories watched' }),
  },
  open,
);

export const WatchBodySchema = Type.Object(
  {
    source: ProjectSourceSchema,
    services: Services,
    detach: Type.Optional(
      Type.Boolean({
        description:
          'Keep watching after the client has gone (recorded: resumed after a daemon restart); otherwise the reply streams the watch events (NDJSON) and the watch ends with the stream',
      }),
    ),
  },
  strict,
);

export const ProjectSummarySchema = Type.Object(
  {
    name: Type.String(),
    workingDir: Type.String(),
    configFiles: Type.Array(Type.String()),
    registered: Type.Boolean({ description: 'Kept converged by the daemon, or only found on the engine' }),
    target: Type.Optional(
      Type.Union([Type.Literal('local'), Type.Literal('swarm')], { description: 'Absent: local' }),
    ),
    status: Type.String(),
    services: Type.Array(
      Type.Object(
        {
          name: Type.String(),
          desired: DesiredRunStateSchema,
          replicas: Type.Number(),
          dependsOn: Type.Optional(
            Type.Array(Type.String(), {
              description: 'Its `depends_on` services (the page draws the graph)',
            }),
          ),
        },
        open,
      ),
    ),
    containers: Type.Array(ContainerSummarySchema),
    watch: Type.Optional(WatchInfoSchema),
    lastChange: Type.Optional(
      Type.Object(
        {
          time: Type.String(),
          what: Type.String({ description: 'The last daemon event about it, or the record written' }),
        },
        open,
      ),
    ),
  },
  open,
);

/**
 * `GET /v1/projects/{name}` asked with `Accept: application/vnd.orc.ps-table+json`: the same project with
 * only what `orc ps`'s table reads (issue 17, item 6: 200 containers are ~95 KB as a ProjectSummary, ~40 KB
 * so; less for the daemon to write and the CLI to parse). Each row is the ProjectSummary's container with
 * only these fields, in the same order.
 */
export const PS_TABLE_TYPE = 'application/vnd.orc.ps-table+json';
export const PsTableSchema = Type.Object(
  {
    name: Type.String(),
    status: Type.String(),
    target: Type.Optional(Type.Union([Type.Literal('local'), Type.Literal('swarm')])),
    containers: Type.Array(
      Type.Object(
        {
          Name: Type.String(),
          Service: Type.String(),
          State: Type.String(),
          Image: Type.String(),
          Command: Type.String(),
          Created: Type.String(),
          Status: Type.String(),
          Publishers: Type.Array(PublisherSchema),
          Node: Type.Optional(Type.String()),
          DesiredState: Type.Optional(Type.String()),
          CurrentState: Type.Optional(Type.String()),
          Error: Type.Optional(Type.String()),
        },
        open,
      ),
    ),
    watch: Type.Optional(WatchInfoSchema),
  },
  { ...open, description: `The project as \`orc ps\` shows it (${PS_TABLE_TYPE})` },
);

export const HealthReplySchema = Type.Object(
  {
    status: Type.Literal('ok'),
    version: Type.String(),
    engine: Type.Object({ version: Type.String(), apiVersion: Type.String() }, open),
  },
  open,
);

export const errorResponses = {
  400: ErrorSchema,
  401: ErrorSchema,
  403: ErrorSchema,
  404: ErrorSchema,
  409: ErrorSchema,
  422: ErrorSchema,
  500: ErrorSchema,
  503: ErrorSchema,
} as const;

/* ---- build, pull, top, images, run (routes/images.ts, routes/run.ts) ---- */

// These load the project from its files: a name alone is not enough.
const RequiredSource = ProjectSourceSchema;

export const BuildBodySchema = Type.Object(
  {
    source: RequiredSource,
    services: Services,
    noCache: Type.Optional(Type.Boolean({ description: 'Do not use the build cache' })),
    pull: Type.Optional(Type.Boolean({ description: 'Always pull the base images' })),
    buildArgs: Type.Optional(
      Type.Array(Type.String({ minLength: 1 }), {
        description:
          "`build --build-arg`: `KEY=VAL`, or `KEY` for the value of the client environment (none: the arg is removed), over the build sections' args",
      }),
    ),
    memory: Type.Optional(
      Type.Integer({ minimum: 1, description: '`build -m`: memory limit of the build containers, in bytes' }),
    ),
    withDependencies: Type.Optional(
      Type.Boolean({ description: 'Also build the services the named ones depend on, transitively' }),
    ),
  },
  strict,
);

export const PullBodySchema = Type.Object(
  {
    source: RequiredSource,
    services: Services,
    ignorePullFailures: Type.Optional(
      Type.Boolean({ description: 'Pull what can be pulled; failures become warnings' }),
    ),
    ignoreBuildable: Type.Optional(
      Type.Boolean({ description: 'Skip the services that have a `build:` section (they can be built)' }),
    ),
    includeDeps: Type.Optional(
      Type.Boolean({ description: 'Also pull the images of the services the named ones depend on' }),
    ),
    policy: Type.Optional(
      Type.Union([Type.Literal('missing'), Type.Literal('always')], {
        description:
          '`pull --policy`: `missing` skips the images present on the engine; `always` pulls every image, whatever its pull_policy',
      }),
    ),
  },
  strict,
);

export const ServicesQuery = Type.Object(
  { service: Type.Optional(Type.Array(Type.String(), { description: 'Limit to these services' })) },
  strict,
);

export const ContainerTopSchema = Type.Object(
  {
    container: Type.String(),
    service: Type.String(),
    titles: Type.Array(Type.String()),
    processes: Type.Array(Type.Array(Type.String())),
  },
  open,
);

export const ContainerStatsSchema = Type.Object(
  {
    container: Type.String(),
    service: Type.String(),
    id: Type.String(),
    cpuPercent: Type.Number({ description: 'Of one CPU (100 = one core busy), as docker stats shows it' }),
    memUsage: Type.Number({ description: 'Bytes, without the page cache (as docker stats)' }),
    memLimit: Type.Number(),
    memPercent: Type.Number(),
    netRx: Type.Number(),
    netTx: Type.Number(),
    blockRead: Type.Number(),
    blockWrite: Type.Number(),
    pids: Type.Number(),
  },
  open,
);

export const ContainerImageSchema = Type.Object(
  {
    container: Type.String(),
    service: Type.String(),
    image: Type.String({ description: 'The reference the container was created from' }),
    id: Type.String({ description: 'The id of the image it runs' }),
    size: Type.Number({ description: 'Bytes (0 when the image is gone)' }),
  },
  open,
);

export const RunBodySchema = Type.Object(
  {
    source: RequiredSource,
    service: Type.String({ minLength: 1 }),
    cmd: Type.Optional(Type.Array(Type.String())),
    entrypoint: Type.Optional(Type.String()),
    env: Type.Optional(Type.Array(Type.String())),
    noDeps: Type.Optional(Type.Boolean()),
    rm: Type.Optional(Type.Boolean()),
    detach: Type.Optional(Type.Boolean()),
    tty: Type.Optional(Type.Boolean()),
    interactive: Type.Optional(Type.Boolean()),
    user: Type.Optional(Type.String()),
    workdir: Type.Optional(Type.String()),
    rows: Type.Optional(Type.Integer({ minimum: 1 })),
    cols: Type.Optional(Type.Integer({ minimum: 1 })),
    servicePorts: Type.Optional(
      Type.Boolean({ description: "Publish the service's ports (a one-off leaves them out otherwise)" }),
    ),
    publish: Type.Optional(
      Type.Array(Type.String({ minLength: 1 }), {
        description:
          'Ports to publish, in the short syntax of `ports:` (`HOST:CONTAINER`); not with servicePorts',
      }),
    ),
    name: Type.Optional(
      Type.String({
        pattern: '^[a-zA-Z0-9][a-zA-Z0-9_.-]*$',
        description: "The one-off's container name instead of `<project>-<service>-run-<hex>`",
      }),
    ),
    volumes: Type.Optional(
      Type.Array(Type.String({ minLength: 1 }), {
        description:
          "Mounts in the short syntax of `volumes:` (`SRC:DST[:ro]`); a relative source is a bind from the project directory, a name of the project's volumes its engine volume",
      }),
    ),
    labels: Type.Optional(Type.Record(Type.String({ minLength: 1 }), Type.String())),
    useAliases: Type.Optional(
      Type.Boolean({ description: "Give the one-off the service's network aliases (it has none otherwise)" }),
    ),
    capAdd: Type.Optional(Type.Array(Type.String({ minLength: 1 }))),
    capDrop: Type.Optional(Type.Array(Type.String({ minLength: 1 }))),
    build: Type.Optional(
      Type.Boolean({ description: "Build the service's image (and its started dependencies') first" }),
    ),
    pull: Type.Optional(
      Type.Union([Type.Literal('always'), Type.Literal('missing'), Type.Literal('never')], {
        description:
          "Pull policy for the one-off's image and its started dependencies' (replaces pull_policy)",
      }),
    ),
    removeOrphans: Type.Optional(
      Type.Boolean({ description: 'Remove orphan containers when the dependencies are started' }),
    ),
  },
  strict,
);

/* ---- streams: progress of an operation, daemon events, log lines (NDJSON / SSE items) ---- */

export const ResourceKindSchema = literals([
  'project',
  'network',
  'volume',
  'image',
  'container',
  'service',
  // The Swarm target's objects (issue 15).
  'secret',
  'config',
] as const);
export const ProgressStateSchema = literals([
  'pending',
  'working',
  'done',
  'error',
  'skipped',
  'warning',
] as const);

/** One line of progress: `Container demo-web-1  Started  0.4s`. */
export const ProgressEventSchema = Type.Object(
  {
    operationId: Type.String(),
    project: Type.String(),
    kind: ResourceKindSchema,
    resource: Type.String({ description: 'Resource name as shown: container/network/volume/image name' }),
    action: Type.String({
      description: 'Plan operation kind or a verb: create, start, wait healthy, pull, ...',
    }),
    state: ProgressStateSchema,
    message: Type.Optional(Type.String({ description: 'The cause, an error message, pull/build output' })),
    elapsedMs: Type.Optional(Type.Number()),
    time: Type.String(),
  },
  open,
);

export const DaemonEventTypeSchema = literals([
  'container',
  'health',
  'restart',
  'repair',
  'recreate',
  'operation',
  'network',
  'volume',
  'image',
  'store',
  'watch',
  // The Swarm target (issue 15): services and nodes of the cluster.
  'service',
  'node',
] as const);

/** The event stream (`orc events`, `GET /v1/events`): lifecycle, health, restarts, repairs, operations. */
export const DaemonEventSchema = Type.Object(
  {
    time: Type.String(),
    type: DaemonEventTypeSchema,
    project: Type.String(),
    service: Type.Optional(Type.String()),
    container: Type.Optional(Type.String()),
    action: Type.String(),
    reason: Type.Optional(
      Type.String({ description: 'Why it happened (restart reason, recreate cause, ...)' }),
    ),
    attributes: Type.Optional(Type.Record(Type.String(), Type.String())),
  },
  open,
);

export const LogLineSchema = Type.Object(
  {
    service: Type.String(),
    container: Type.String(),
    stream: Type.Union([Type.Literal('stdout'), Type.Literal('stderr')]),
    time: Type.String({ description: 'RFC 3339 with nanoseconds, from the engine' }),
    line: Type.String(),
  },
  open,
);

/* ---- the status page (`--ui`): login exchanges the token for a session cookie ---- */

export const UiLoginBodySchema = Type.Object(
  { token: Type.String({ minLength: 1, description: 'The daemon token (ORC_TOKEN / --token-file)' }) },
  strict,
);
export const UiSessionReplySchema = Type.Object(
  { expiresAt: Type.String({ description: 'When the session ends (RFC 3339); log in again then' }) },
  open,
);
export const ReapplyBodySchema = Type.Object(
  {
    dryRun: Type.Optional(
      Type.Boolean({
        description: 'Plan only: `operation.plan` holds the steps `up` would run, with causes',
      }),
    ),
  },
  strict,
);
