import type { ProgressEvent, ProgressState, ResourceKind } from '../client/types.js';

/** compose v2's words: `Creating` while working, `Created` when done. */
const VERBS: Record<string, [working: string, done: string]> = {
  create: ['Creating', 'Created'],
  start: ['Starting', 'Started'],
  stop: ['Stopping', 'Stopped'],
  remove: ['Removing', 'Removed'],
  restart: ['Restarting', 'Restarted'],
  kill: ['Killing', 'Killed'],
  pause: ['Pausing', 'Paused'],
  unpause: ['Unpausing', 'Unpaused'],
  rename: ['Renaming', 'Renamed'],
  recreate: ['Recreating', 'Recreated'],
  pull: ['Pulling', 'Pulled'],
  build: ['Building', 'Built'],
  connect: ['Connecting', 'Connected'],
  disconnect: ['Disconnecting', 'Disconnected'],
  'ensure-image': ['Checking', 'Ready'],
  wait: ['Waiting', 'Running'],
  'wait running': ['Waiting', 'Running'],
  'wait healthy': ['Waiting', 'Healthy'],
  'wait completed': ['Waiting', 'Exited'],
  'wait exited-0': ['Waiting', 'Exited'],
};

const KIND_SUFFIX = /-(container|network|volume|image)$/;

/** `create-container` and `create` are the same verb; unknown actions read as themselves. */
export function normaliseAction(action: string): string {
  return action.trim().toLowerCase().replace(KIND_SUFFIX, '');
}

export function verb(action: string, state: ProgressState): string {
  const key = normaliseAction(action);
  const words = VERBS[key];
  const capital = key.charAt(0).toUpperCase() + key.slice(1);
  switch (state) {
    case 'pending':
      return words ? words[0] : capital;
    case 'working':
      return words ? words[0] : capital;
    case 'done':
      return words ? words[1] : `${capital} done`;
    case 'skipped':
      return 'Skipped';
    case 'warning':
      return 'Warning';
    case 'error':
      return 'Error';
  }
}

const KIND_LABEL: Record<ResourceKind, string> = {
  project: 'Project',
  network: 'Network',
  volume: 'Volume',
  image: 'Image',
  container: 'Container',
  service: 'Service',
  secret: 'Secret',
  config: 'Config',
};

export const kindLabel = (kind: ResourceKind): string => KIND_LABEL[kind] ?? kind;

/** One resource's line in the live view: the latest event about it. */
export interface ProgressLine {
  key: string;
  kind: ResourceKind;
  resource: string;
  action: string;
  state: ProgressState;
  message?: string;
  /** When we first heard of it (ms since epoch, local clock): the elapsed column counts from here. */
  firstSeen: number;
  /** Elapsed as the daemon reported it once finished. */
  elapsedMs?: number;
  finishedAt?: number;
}

/** The state of a progress view: one line per resource, in the order they first appeared. */
export type ProgressModel = Map<string, ProgressLine>;

export function applyEvent(model: ProgressModel, event: ProgressEvent, now: number): ProgressLine {
  const key = `${event.kind}:${event.resource}`;
  const previous = model.get(key);
  const terminal = event.state === 'done' || event.state === 'error' || event.state === 'skipped';
  const line: ProgressLine = {
    key,
    kind: event.kind,
    resource: event.resource,
    action: event.action,
    state: event.state,
    firstSeen: previous?.firstSeen ?? now,
    ...(event.message ? { message: event.message } : {}),
    ...(event.elapsedMs !== undefined ? { elapsedMs: event.elapsedMs } : {}),
    ...(terminal ? { finishedAt: now } : {}),
  };
  model.set(key, line);
  return line;
}

export function counts(model: ProgressModel): { done: number; total: number; errors: number } {
  let done = 0;
  let errors = 0;
  for (const line of model.values()) {
    if (line.state === 'done' || line.state === 'skipped' || line.state === 'warning') done++;
    if (line.state === 'error') errors++;
  }
  return { done, total: model.size, errors };
}

export function elapsedSeconds(line: ProgressLine, now: number): string {
  const ms =
    line.finishedAt !== undefined
      ? (line.elapsedMs ?? line.finishedAt - line.firstSeen)
      : now - line.firstSeen;
  return `${(Math.max(0, ms) / 1000).toFixed(1)}s`;
}

/** The extra text after the verb: an error's message as is, a cause in parentheses. */
export function detail(state: ProgressState, message: string | undefined): string {
  if (!message) return '';
  return state === 'error' || state === 'warning' ? `: ${message}` : ` (${message})`;
}

/** `--progress plain`: ` Container demo-web-1  Started 0.4s` as compose prints it, one line per event. */
export function plainLine(event: ProgressEvent): string {
  const elapsed =
    event.elapsedMs !== undefined && event.state === 'done' ? ` ${(event.elapsedMs / 1000).toFixed(1)}s` : '';
  const text = event.state === 'done' ? '' : detail(event.state, event.message);
  return ` ${kindLabel(event.kind)} ${event.resource}  ${verb(event.action, event.state)}${text}${elapsed}`;
}
