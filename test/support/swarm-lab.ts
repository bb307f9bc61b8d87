/**
 * The swarm lab (`scripts/swarm-lab.sh`) from vitest: the `cluster` project's globalSetup starts a 3-node lab
 * (unless one is already up, which it then reuses and leaves running) and removes it afterwards. Tests read
 * the lab's addresses with `labEnv()` (`swarm-lab-env.ts`, provided by the setup: the manager's socket, the registry).
 * The lab never touches the shared engine: every call names a lab socket.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const LAB_SCRIPT = fileURLToPath(new URL('../../scripts/swarm-lab.sh', import.meta.url));

export interface SwarmLab {
  /** `unix:///run/orcsl/n1.sock`: the manager's Engine API. */
  managerHost: string;
  /** `10.79.0.11:5000`: the lab's registry, reachable from every node. */
  registry: string;
  /** A busybox image in the registry that every node can pull. */
  image: string;
  /** `10.79.0`: node K answers on `${net}.${10 + K}` from the host. */
  net: string;
  /** Engine API of node K at index K-1. */
  nodeHosts: string[];
  /**
   * Node K's name at index K-1 (`orcsl-n1`): its hostname in `docker node ls` and its network namespace.
   * The prefix is ORC_LAB_PREFIX, which reaches the script through the environment (execFile passes it on).
   */
  nodeNames: string[];
}

declare module 'vitest' {
  export interface ProvidedContext {
    swarmLab: SwarmLab;
  }
}

export function parseLabEnv(text: string): SwarmLab {
  const env = new Map<string, string>();
  for (const line of text.split('\n')) {
    const i = line.indexOf('=');
    if (i > 0) env.set(line.slice(0, i), line.slice(i + 1));
  }
  const get = (k: string): string => {
    const v = env.get(k);
    if (v === undefined) throw new Error(`swarm-lab.sh env printed no ${k}:\n${text}`);
    return v;
  };
  const nodes = Number(get('ORC_LAB_NODES'));
  return {
    managerHost: get('DOCKER_HOST'),
    registry: get('ORC_LAB_REGISTRY'),
    image: get('ORC_LAB_IMAGE'),
    net: get('ORC_LAB_NET'),
    nodeHosts: Array.from({ length: nodes }, (_, i) => get(`ORC_LAB_N${i + 1}`)),
    nodeNames: Array.from({ length: nodes }, (_, i) => `${labPrefix()}-n${i + 1}`),
  };
}

/** The lab's name prefix, as scripts/swarm-lab.sh reads it (its default when unset). */
export function labPrefix(): string {
  return process.env.ORC_LAB_PREFIX || 'orcsl';
}

export async function lab(...args: string[]): Promise<string> {
  const { stdout } = await run('bash', [LAB_SCRIPT, ...args], { maxBuffer: 4 * 1024 * 1024 });
  return stdout;
}

/** Is a lab manager answering already (a developer's `swarm-lab.sh up`)? */
export async function labIsUp(): Promise<boolean> {
  const env = parseLabEnv(await lab('env'));
  if (env.nodeHosts.length === 0) return false;
  try {
    const { stdout } = await run('docker', [
      '-H',
      env.managerHost,
      'info',
      '--format',
      '{{.Swarm.ControlAvailable}}',
    ]);
    return stdout.trim() === 'true';
  } catch {
    return false;
  }
}

/** `docker -H <node>` on the lab (never the shared engine). */
export async function labDocker(host: string, ...args: string[]): Promise<string> {
  const { stdout } = await run('docker', ['-H', host, ...args], { maxBuffer: 16 * 1024 * 1024 });
  return stdout.trim();
}
