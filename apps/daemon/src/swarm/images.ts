/**
 * Images on every node (issue 15): a service with `build:` is built on the daemon's engine (the manager),
 * pushed to the registry its `image:` names with the client's registry auth, and its tasks are pinned to
 * the pushed digest (`name:tag@sha256:…`), so every node runs the same bits and a new build rolls the
 * service while an identical one changes nothing. The build follows the local target's rules (the
 * images module: `--build`, `--no-build`, `pull_policy`); what is new here is the push and the pin.
 * Services that name a built image without building it are pinned to the same digest.
 */
import type { ProgressEvent } from '../contract/types.js';
import { type ImageProgress, type ImageService, type PullOverride, parseReference } from '../images/index.js';
import type { DesiredSwarm, DesiredSwarmService } from './types.js';

type Progress = Omit<ProgressEvent, 'operationId' | 'time' | 'project'>;

export interface SwarmImagesOptions {
  images: ImageService;
  /** The CLIENT's environment: registry auth (DOCKER_CONFIG/HOME), build args. */
  env: Record<string, string>;
  /** Compose services to make images for (the plan's selection). */
  services: ReadonlySet<string>;
  /** `pull_policy` per service, as the local target reads it (`missing` when unset). */
  pullPolicies: Readonly<Record<string, string>>;
  build?: boolean;
  noBuild?: boolean;
  pull?: PullOverride;
  /** False on `--dry-run`: build as `up` would, push nothing, pin to what was pushed before if the image is the same. */
  push: boolean;
  progress(e: Progress): void;
  /** Told each step with its reason (`orc events`). */
  event(e: { service: string; action: 'build' | 'push'; reason: string }): void;
  signal?: AbortSignal;
}

export interface SwarmImages {
  /** Compose service → the image its tasks run (`name:tag@sha256:…`). */
  images: Record<string, string>;
  /** Dry run: services whose image is not in the registry yet (a new build `up` would push). */
  unpushed: string[];
}

const short = (id: string) => id.replace(/^sha256:/, '').slice(0, 12);

export async function prepareSwarmImages(desired: DesiredSwarm, o: SwarmImagesOptions): Promise<SwarmImages> {
  const chosen = desired.services.filter((s) => o.services.has(s.name));
  // One build per image: the first service that builds it leads, the others use its digest.
  const leaders = new Map<string, DesiredSwarmService>();
  for (const s of chosen) if (s.build && !leaders.has(s.image)) leaders.set(s.image, s);
  const out: SwarmImages = { images: {}, unpushed: [] };
  if (leaders.size === 0) return out;

  const pinnedOf = new Map<string, { pinned: string; unpushed: boolean }>();
  await Promise.all(
    [...leaders.values()].map(async (s) => {
      pinnedOf.set(s.image, await makeImage(s, o));
    }),
  );
  for (const s of chosen) {
    const got = pinnedOf.get(s.image);
    if (!got) continue;
    out.images[s.name] = got.pinned;
    if (got.unpushed) out.unpushed.push(s.name);
  }
  return out;
}

async function makeImage(
  s: DesiredSwarmService,
  o: SwarmImagesOptions,
): Promise<{ pinned: string; unpushed: boolean }> {
  const req = {
    service: s.name,
    image: s.image,
    pullPolicy: o.pullPolicies[s.name] ?? 'missing',
    ...(s.build ? { build: s.build } : {}),
    ...(o.build ? { forceBuild: true } : {}),
    ...(o.noBuild ? { noBuild: true } : {}),
    ...(o.pull ? { pull: o.pull } : {}),
    env: o.env,
  };
  const sink = (p: ImageProgress) => {
    // Layer-by-layer chatter would drown the operation's progress: keep the lines that say something.
    if (p.layer && p.state === 'working') return;
    const message = p.message ?? p.status;
    o.progress({
      kind: 'image',
      resource: s.image,
      action: p.action,
      state: p.state,
      ...(message ? { message } : {}),
    });
  };
  const made = await o.images.ensureImage(req, sink, o.signal);
  o.event({
    service: s.name,
    action: 'build',
    reason:
      made.action === 'built'
        ? `built ${s.image} (${short(made.imageId)}) on the manager${o.build ? ' (up --build)' : ''}`
        : made.action === 'pulled'
          ? `pulled ${s.image} (${short(made.imageId)}) by its pull_policy; not built`
          : `${s.image} (${short(made.imageId)}) is present on the manager; not rebuilt (\`up --build\` rebuilds it)`,
  });
  if (!o.push) {
    // Dry run: the digest of the same image pushed before, else a new image the real `up` would push.
    const local = await o.images.localDigest(s.image);
    const ref = parseReference(s.image);
    const named = `${ref.name}:${ref.tag ?? 'latest'}`;
    if (local?.digest) return { pinned: `${named}@${local.digest}`, unpushed: false };
    return { pinned: `${named}@${made.imageId}`, unpushed: true };
  }
  const pushed = await o.images.pushImage(req, sink, o.signal);
  o.event({
    service: s.name,
    action: 'push',
    reason: `pushed ${s.image} to its registry as ${pushed.digest}: every node pulls ${pushed.pinned}`,
  });
  return { pinned: pushed.pinned, unpushed: false };
}
