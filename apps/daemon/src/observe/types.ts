/**
 * What the engine has for one project, read by label (`com.docker.compose.project=<name>`).
 * Plain data: the planner diffs it against the desired state without touching the engine.
 */
export type ContainerState = 'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead';
export type HealthState = 'starting' | 'healthy' | 'unhealthy';

export interface ObservedContainer {
  id: string;
  /** Without the leading `/`. */
  name: string;
  service: string;
  /** `com.docker.compose.container-number`; NaN-free: containers without it are reported as orphans of number 0. */
  number: number;
  oneoff: boolean;
  /** `com.docker.compose.config-hash`. */
  configHash: string;
  /** `com.docker.compose.image`: the image id the container was created for. */
  imageLabel?: string;
  /** The image id the container actually runs (`.Image`). */
  imageId: string;
  /** The image reference from the config (`.Config.Image`). */
  image: string;
  /** `com.docker.compose.replace`: set on a replacement created under a temporary name. */
  replaces?: string;
  state: ContainerState;
  health?: HealthState;
  exitCode: number;
  restartCount: number;
  /** ISO timestamps; empty when never started/finished. */
  created: string;
  startedAt: string;
  finishedAt: string;
  /** Engine network name → endpoint. */
  networks: Record<string, { networkId: string; aliases: string[]; ipv4?: string }>;
  mounts: Array<{ type: string; name?: string; source: string; destination: string }>;
  labels: Record<string, string>;
  /** The engine's one-line status (`Up 5 minutes (healthy)`), as `docker ps` shows it. */
  status?: string;
  /** The command as `docker ps` shows it. */
  command?: string;
  /** Published ports (from the container list). */
  ports?: Array<{ ip?: string; privatePort: number; publicPort?: number; type: string }>;
}

export interface ObservedNetwork {
  id: string;
  name: string;
  /** `com.docker.compose.network`. */
  key: string;
  labels: Record<string, string>;
  created: string;
}

export interface ObservedVolume {
  name: string;
  /** `com.docker.compose.volume`. */
  key: string;
  labels: Record<string, string>;
}

export interface ObservedProject {
  project: string;
  containers: ObservedContainer[];
  networks: ObservedNetwork[];
  volumes: ObservedVolume[];
  /** Image reference → image id, for the images the desired services use (absent = not present locally). */
  images: Record<string, string>;
  /**
   * Externals and foreign things the planner must know about, looked up by name (not by label):
   * e.g. a container without our label holding a name we want, an external network.
   */
  foreign: {
    containersByName: Record<string, { id: string; project?: string }>;
    networksByName: Record<string, { id: string }>;
    volumesByName: Record<string, { name: string }>;
  };
}
