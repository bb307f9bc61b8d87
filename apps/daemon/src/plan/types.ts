/**
 * A Plan is a DAG of small operations. The planner (pure) builds it; the executor walks it.
 * Every operation carries a cause, so a plan reads as text (`up --dry-run`, events, table tests).
 */
import type { ContainerCreateBody, DesiredEndpoint, NetworkCreateBody, VolumeCreateBody } from '@orc/spec';

export type OpId = string;

interface OpBase {
  /** Unique in the plan, stable for the same inputs (e.g. `create-container:demo-web-1`). */
  id: OpId;
  /** Operations that must finish (successfully) before this one starts. */
  after: OpId[];
  /** Why: `missing`, `config hash differs: environment.X`, `scale down`, `dependency recreated`, ... */
  cause: string;
  /** Service the op belongs to, when any (for progress grouping and `--no-deps`). */
  service?: string;
}

export type Operation =
  | (OpBase & { kind: 'create-network'; name: string; key: string; body: NetworkCreateBody })
  | (OpBase & { kind: 'remove-network'; name: string; networkId: string })
  | (OpBase & { kind: 'create-volume'; name: string; key: string; body: VolumeCreateBody })
  | (OpBase & { kind: 'remove-volume'; name: string })
  | (OpBase & { kind: 'ensure-image'; image: string; pullPolicy: string; build: boolean })
  | (OpBase & {
      kind: 'create-container';
      /** Final name; `createAs` is the temporary name when replacing (renamed after the old one is gone). */
      name: string;
      createAs: string;
      number: number;
      body: ContainerCreateBody;
      endpoints: DesiredEndpoint[];
      /** Id of the container this one replaces (label `com.docker.compose.replace`). */
      replaces?: string;
    })
  | (OpBase & { kind: 'start-container'; name: string })
  | (OpBase & {
      kind: 'stop-container';
      name: string;
      containerId: string;
      timeoutSeconds: number;
      signal?: string;
    })
  | (OpBase & { kind: 'remove-container'; name: string; containerId: string; volumes: boolean })
  | (OpBase & { kind: 'rename-container'; from: string; to: string })
  | (OpBase & { kind: 'restart-container'; name: string; containerId: string; timeoutSeconds: number })
  | (OpBase & { kind: 'connect-network'; container: string; network: string; endpoint: DesiredEndpoint })
  | (OpBase & { kind: 'disconnect-network'; container: string; network: string })
  | (OpBase & {
      kind: 'wait-container';
      name: string;
      /** `running` (service_started), `healthy` (service_healthy), `exited-0` (service_completed_successfully). */
      until: 'running' | 'healthy' | 'exited-0';
      /** Operations that depend on it may proceed even if it fails (`required: false`). */
      required: boolean;
    });

export type OperationKind = Operation['kind'];

export interface Plan {
  project: string;
  operations: Operation[];
  /** Things worth telling the user that are not operations (orphans left in place, ...). */
  warnings: string[];
}
