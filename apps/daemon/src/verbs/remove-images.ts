/**
 * `down --rmi local|all`: the images the project's services use, removed through the images module
 * (`local` = only build-only `<project>-<service>` images, `all` = every service's image). An image that
 * is still used elsewhere (another project's container) stays, with a warning: it never fails the down.
 */
import type { DesiredState } from '@orc/spec';
import type { ImageService } from '../images/index.js';
import type { OperationScope } from './operations.js';

export async function removeProjectImages(
  images: ImageService,
  desired: DesiredState,
  mode: 'all' | 'local',
  scope: OperationScope,
): Promise<void> {
  const reqs = desired.services.map((s) => ({
    service: s.name,
    image: s.image,
    pullPolicy: s.pull_policy,
    ...(s.build ? { build: s.build } : {}),
    project: desired.project,
    env: {},
  }));
  let result: { removed: string[]; warnings: string[] };
  try {
    result = await images.removeImages(reqs, mode, (p) => {
      if (p.state !== 'done') return;
      scope.progress({
        project: desired.project,
        kind: 'image',
        resource: p.image,
        action: 'remove',
        state: 'done',
      });
    });
  } catch (err) {
    // The containers and networks are gone already: an image that cannot go is worth a warning, not a failure.
    scope.warn(`images not removed: ${(err as Error).message}`);
    return;
  }
  for (const w of result.warnings) scope.warn(w);
}
