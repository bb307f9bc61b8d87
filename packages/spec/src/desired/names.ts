import type { Service } from '../model/project.js';

/** `<project>-<service>-<n>` as compose v2 names replicas, unless `container_name` is set. */
export function containerName(project: string, service: Service, number: number): string {
  return service.container_name ?? `${project}-${service.name}-${number}`;
}

/** The image containers run: `image:`, or `<project>-<service>` (the name compose v2 builds to). */
export function imageName(project: string, service: Service): string {
  return service.image ?? `${project}-${service.name}`;
}
