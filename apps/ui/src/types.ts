/** The daemon's wire shapes the page reads (apps/daemon/src/contract/schemas.ts; fields as named there). */

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
  Number: number;
  State: string;
  Health: string;
  ExitCode: number;
  Image: string;
  Status: string;
  RestartCount: number;
  RestartReason?: string;
  HealthOutput?: string;
  StartedAt?: string;
  Publishers: Publisher[];
}

export interface ServiceSummary {
  name: string;
  desired: 'running' | 'stopped' | 'paused';
  replicas: number;
  dependsOn?: string[];
}

export interface ProjectSummary {
  name: string;
  workingDir: string;
  configFiles: string[];
  registered: boolean;
  status: string;
  services: ServiceSummary[];
  containers: ContainerSummary[];
  lastChange?: { time: string; what: string };
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

export interface OperationRecord {
  id: string;
  project: string;
  kind: string;
  state: 'running' | 'succeeded' | 'failed';
  error?: { code: string; message: string };
  plan?: string[];
  warnings: string[];
}

export interface ProgressEvent {
  kind: string;
  resource: string;
  action: string;
  state: string;
  message?: string;
  elapsedMs?: number;
}

/** One item of an operation's progress stream. */
export type ProgressItem =
  | { type: 'progress'; event: ProgressEvent }
  | { type: 'end'; operation: OperationRecord }
  | { type: 'error'; error: { code: string; message: string } };
