/**
 * `orc top` and `orc images`: read-only looks at the project's service containers (one-offs excluded, as
 * compose does), straight from the engine.
 */

import { OrcError } from '../contract/errors.js';
import type { ContainerImage, ContainerTop } from '../contract/types.js';
import type { Engine } from '../engine/engine.js';
import { imageSize, topContainer } from '../engine/oneoff.js';
import { observeProject } from '../observe/observe.js';
import type { ObservedContainer } from '../observe/types.js';

async function serviceContainers(
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
