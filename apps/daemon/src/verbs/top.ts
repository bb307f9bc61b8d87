/**
 * `orc top` and `orc images`: read-only looks at the project's service containers (one-offs excluded, as
 * compose does), straight from the engine.
 */

import { OrcError } from '../contract/errors.js';
import type { ContainerImage, ContainerStats, ContainerTop } from '../contract/types.js';
import type { Engine } from '../engine/engine.js';
import type { ExecSession } from '../engine/exec.js';
import {
  attachContainer,
  containerStats,
  exportContainer,
  imageSize,
  resizeContainer,
  type StatsAnswer,
  topContainer,
} from '../engine/oneoff.js';
import { observeProject } from '../observe/observe.js';
import type { ObservedContainer } from '../observe/types.js';

export async function serviceContainers(
  engine: Engine,
  project: string,
  services: string[] | undefined,
): Promise<ObservedContainer[]> {
  const observed = await observeProject(engine, project);
  const mine = observed.containers.filter((c) => !c.oneoff);
  if (mine.length === 0) throw new OrcError('PROJECT_NOT_FOUND', `project ${project} has no containers`);
  const only = services?.length ? new Set(services) : undefined;
  for (const s of only ?? []) {
    if (!mine.some((c) => c.service === s))
      throw new OrcError('SERVICE_NOT_FOUND', `service ${s} of project ${project} has no containers`);
  }
  return mine.filter((c) => !only || only.has(c.service)).sort((a, b) => a.name.localeCompare(b.name));
}

/** Processes of each running container (a stopped one has none: the engine would refuse, so it is skipped). */
export async function projectTop(
  engine: Engine,
  project: string,
  services: string[] | undefined,
): Promise<ContainerTop[]> {
  const containers = (await serviceContainers(engine, project, services)).filter(
    (c) => c.state === 'running' || c.state === 'paused',
  );
  return Promise.all(
    containers.map(async (c) => {
      const top = await topContainer(engine, c.id);
      return { container: c.name, service: c.service, titles: top.Titles, processes: top.Processes ?? [] };
    }),
  );
}

/** The image each container runs: its reference from the config, and the id/size of the image it runs. */
export async function projectImages(
  engine: Engine,
  project: string,
  services: string[] | undefined,
): Promise<ContainerImage[]> {
  const containers = await serviceContainers(engine, project, services);
  const sizes = new Map<string, Promise<{ Id: string; Size: number } | undefined>>();
  return Promise.all(
    containers.map(async (c) => {
      let p = sizes.get(c.imageId);
      if (!p) {
        p = imageSize(engine, c.imageId);
        sizes.set(c.imageId, p);
      }
      const info = await p;
      return {
        container: c.name,
        service: c.service,
        image: c.image,
        id: info?.Id ?? c.imageId,
        size: info?.Size ?? 0,
      };
    }),
  );
}

/** One resource sample per running container, computed as `docker stats` computes its columns. */
export async function projectStats(
  engine: Engine,
  project: string,
  services: string[] | undefined,
  all = false,
): Promise<ContainerStats[]> {
  const containers = (await serviceContainers(engine, project, services)).filter(
    (c) => all || c.state === 'running' || c.state === 'paused',
  );
  return Promise.all(
    containers.map(async (c) => {
      const running = c.state === 'running' || c.state === 'paused';
      return statsRow(c.name, c.service, c.id, running ? await containerStats(engine, c.id) : {});
    }),
  );
}

export function statsRow(container: string, service: string, id: string, s: StatsAnswer): ContainerStats {
  const cpuDelta = (s.cpu_stats?.cpu_usage?.total_usage ?? 0) - (s.precpu_stats?.cpu_usage?.total_usage ?? 0);
  const systemDelta = (s.cpu_stats?.system_cpu_usage ?? 0) - (s.precpu_stats?.system_cpu_usage ?? 0);
  const cpus = s.cpu_stats?.online_cpus ?? 1;
  const cpuPercent = cpuDelta > 0 && systemDelta > 0 ? (cpuDelta / systemDelta) * cpus * 100 : 0;
  const m = s.memory_stats ?? {};
  // The docker CLI leaves the page cache out: cgroup v2 reports it as inactive_file, v1 as total_inactive_file.
  const cache = m.stats?.inactive_file ?? m.stats?.total_inactive_file ?? 0;
  const memUsage = Math.max(0, (m.usage ?? 0) - cache);
  const memLimit = m.limit ?? 0;
  let netRx = 0;
  let netTx = 0;
  for (const n of Object.values(s.networks ?? {})) {
    netRx += n.rx_bytes ?? 0;
    netTx += n.tx_bytes ?? 0;
  }
  let blockRead = 0;
  let blockWrite = 0;
  for (const e of s.blkio_stats?.io_service_bytes_recursive ?? []) {
    const op = (e.op ?? '').toLowerCase();
    if (op === 'read') blockRead += e.value ?? 0;
    else if (op === 'write') blockWrite += e.value ?? 0;
  }
  return {
    container,
    service,
    id,
    cpuPercent,
    memUsage,
    memLimit,
    memPercent: memLimit > 0 ? (memUsage / memLimit) * 100 : 0,
    netRx,
    netTx,
    blockRead,
    blockWrite,
    pids: s.pids_stats?.current ?? 0,
  };
}

/** `orc export SERVICE`: the filesystem of the service's container number `index` (default 1), as tar. */
/** The service's container number `index`, or CONTAINER_NOT_FOUND naming the numbers it has. */
export async function serviceContainer(
  engine: Engine,
  project: string,
  service: string,
  index: number,
): Promise<ObservedContainer> {
  const mine = await serviceContainers(engine, project, [service]);
  const c = mine.find((x) => x.number === index);
  if (!c) {
    throw new OrcError(
      'CONTAINER_NOT_FOUND',
      `service ${service} of project ${project} has no container number ${index} (it has ${mine.map((x) => x.number).join(', ')})`,
    );
  }
  return c;
}

/** `orc export SERVICE`: the filesystem of the service's container number `index` (default 1), as tar. */
export async function projectExport(
  engine: Engine,
  project: string,
  service: string,
  index = 1,
): Promise<{ container: string; tar: NodeJS.ReadableStream }> {
  const c = await serviceContainer(engine, project, service, index);
  return { container: c.name, tar: await exportContainer(engine, c.id) };
}

/**
 * `orc attach SERVICE`: the running container's output (and stdin when asked) until it stops; its exit
 * code then. Leaving (or detaching) never stops it: the container is the project's, not the client's.
 */
export async function projectAttach(
  engine: Engine,
  project: string,
  service: string,
  index: number,
  stdin: boolean,
): Promise<ExecSession & { container: string }> {
  const c = await serviceContainer(engine, project, service, index);
  if (c.state !== 'running' && c.state !== 'paused') {
    throw new OrcError(
      'CONFLICT',
      `container ${c.name} is ${c.state}: only a running container can be attached to`,
    );
  }
  const details = await engine.inspectContainer(c.id);
  const tty = details?.Config.Tty === true;
  const stream = await attachContainer(engine, c.id, stdin);
  let code: Promise<number> | undefined;
  return {
    container: c.name,
    stream,
    tty,
    resize: (rows, cols) => resizeContainer(engine, c.id, rows, cols),
    exitCode: () => {
      code ??= engine.waitContainer(c.id);
      return code;
    },
  };
}
