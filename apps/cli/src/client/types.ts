/**
 * The daemon's answers as the CLI reads them off the wire. They mirror `apps/daemon/src/core/types.ts`
 * (the source of truth); kept here as plain JSON shapes so the CLI never builds against the daemon.
 */
export type ResourceKind = 'project' | 'network' | 'volume' | 'image' | 'container' | 'service';
export type ProgressState = 'pending' | 'working' | 'done' | 'error' | 'skipped' | 'warning';

export interface ProgressEvent {
  operationId: string;
  project: string;
  kind: ResourceKind;
  resource: string;
  action: string;
  state: ProgressState;
  message?: string;
  elapsedMs?: number;
  time: string;
}

export interface OperationError {
  code: string;
  message: string;
  details?: unknown;
}

export interface OperationRecord {
  id: string;
  project: string;
  kind: string;
  state: 'running' | 'succeeded' | 'failed';
  startedAt: string;
  finishedAt?: string;
  error?: OperationError;
  plan?: string[];
  warnings: string[];
}

export interface Publisher {
  URL: string;
  TargetPort: number;
  PublishedPort: number;
  Protocol: string;
}

export interface ContainerSummary {
  ID: string;
  Name: string;
  Service: string;
  Project: string;
  Number: number;
  State: string;
  Health: string;
  ExitCode: number;
  Image: string;
  Command: string;
  Created: string;
  Status: string;
  RestartCount: number;
  Publishers: Publisher[];
  Networks: string[];
}

export interface ProjectSummary {
  name: string;
  workingDir: string;
  configFiles: string[];
  registered: boolean;
  status: string;
  services: Array<{ name: string; desired: 'running' | 'stopped' | 'paused'; replicas: number }>;
  containers: ContainerSummary[];
}

export interface DaemonEvent {
  time: string;
  type: string;
  project: string;
  service?: string;
  container?: string;
  action: string;
  reason?: string;
  attributes?: Record<string, string>;
}

export interface LogLine {
  service: string;
  container: string;
  stream: 'stdout' | 'stderr';
  time: string;
  line: string;
}

/** A located compose problem (`SpecProblem` in @orc/spec). */
export interface SpecProblem {
  code: string;
  message: string;
  file?: string;
  line?: number;
  col?: number;
  path?: string;
  hint?: string;
}

/** What the CLI sends for a project: `LoadOptions` in @orc/spec. */
export interface ProjectSource {
  workingDir: string;
  files?: string[];
  env: Record<string, string>;
  envFiles?: string[];
  projectName?: string;
  projectDirectory?: string;
  profiles?: string[];
  services?: string[];
}
