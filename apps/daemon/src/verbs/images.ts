import type { DesiredState } from '@orc/spec';
import type { OpContext } from '../execute/operations.js';
import type { ImageProgress, ImageService, PullOverride } from '../images/index.js';

export interface ImageRunOptions {
  build?: boolean;
  noBuild?: boolean;
  pull?: PullOverride;
  /** A supervisor pass: a present image is used as it is. */
  converge?: boolean;
}

function progressText(p: ImageProgress): string | undefined {
  if (p.message) return p.message;
  if (p.status) return p.layer ? `${p.layer}: ${p.status}` : p.status;
  return undefined;
}

/**
 * The executor's `ensure-image` step for one run: the images module does the work, with the service's
 * build and the CLIENT's environment (registry auth, build args), and its errors keep their codes.
 */
export function imageEnsurer(
  images: ImageService,
  desired: DesiredState,
  env: Record<string, string>,
  o: ImageRunOptions,
): OpContext['ensureImage'] {
  return async (op, report) => {
    const svc =
      desired.services.find((s) => s.name === op.service) ??
      desired.services.find((s) => s.image === op.image);
    // Image errors are OrcErrors already: they keep their codes on the way up.
    await images.ensureImage(
      {
        service: svc?.name ?? op.service ?? op.image,
        image: op.image,
        pullPolicy: op.pullPolicy,
        ...(svc?.build ? { build: svc.build } : {}),
        ...(svc?.platform ? { platform: svc.platform } : {}),
        project: desired.project,
        ...(o.build ? { forceBuild: true } : {}),
        ...(o.noBuild ? { noBuild: true } : {}),
        ...(o.pull ? { pull: o.pull } : {}),
        ...(o.converge ? { converge: true } : {}),
        env,
      },
      (p) => {
        // Layer-by-layer pull chatter would drown the operation's progress: keep lines that say something.
        if (p.layer && p.state === 'working') return;
        const text = progressText(p);
        if (text) report(text);
      },
    );
  };
}
