import { describe, expect, it } from 'vitest';
import { swarmFromCompose } from '../../test/support/swarm/fixtures.js';
import type { EnsureImageRequest, ImageService } from '../images/index.js';
import { prepareSwarmImages, type SwarmImagesOptions } from './images.js';

const STACK = `
services:
  web:
    image: reg:5000/web:1
    build: .
  worker:
    image: reg:5000/web:1
  db:
    image: reg:5000/db:1
`;

/** An images module that records what was asked: builds give `sha256:id-N`, pushes `sha256:d-N`. */
function fakeImages(local: Record<string, string> = {}) {
  const calls: string[] = [];
  let n = 0;
  const images = {
    async ensureImage(req: EnsureImageRequest) {
      calls.push(`ensure ${req.image}${req.forceBuild ? ' --build' : ''} policy=${req.pullPolicy}`);
      return {
        service: req.service,
        image: req.image,
        imageId: `sha256:id-${++n}`,
        action: 'built',
        warnings: [],
      };
    },
    async pushImage(req: EnsureImageRequest) {
      calls.push(`push ${req.image}`);
      const digest = `sha256:d-${n}`;
      return { service: req.service, image: req.image, digest, pinned: `${req.image}@${digest}` };
    },
    async localDigest(image: string) {
      const digest = local[image];
      return { id: `sha256:id-${n}`, ...(digest ? { digest } : {}) };
    },
  } as unknown as ImageService;
  return { images, calls };
}

function options(images: ImageService, extra: Partial<SwarmImagesOptions> = {}) {
  const events: string[] = [];
  const o: SwarmImagesOptions = {
    images,
    env: {},
    services: new Set(['web', 'worker', 'db']),
    pullPolicies: { web: 'missing' },
    push: true,
    progress: () => undefined,
    event: (e) => events.push(`${e.service} ${e.action}: ${e.reason}`),
    ...extra,
  };
  return { o, events };
}

describe('prepareSwarmImages', () => {
  it('builds and pushes each built image once, and pins every service that runs it to the digest', async () => {
    const desired = await swarmFromCompose(STACK);
    const { images, calls } = fakeImages();
    const { o, events } = options(images, { build: true });
    const made = await prepareSwarmImages(desired, o);
    expect(calls).toEqual(['ensure reg:5000/web:1 --build policy=missing', 'push reg:5000/web:1']);
    expect(made).toEqual({
      images: { web: 'reg:5000/web:1@sha256:d-1', worker: 'reg:5000/web:1@sha256:d-1' },
      unpushed: [],
    });
    expect(events).toEqual([
      'web build: built reg:5000/web:1 (id-1) on the manager (up --build)',
      'web push: pushed reg:5000/web:1 to its registry as sha256:d-1: every node pulls reg:5000/web:1@sha256:d-1',
    ]);
  });

  it('leaves services outside the selection alone', async () => {
    const desired = await swarmFromCompose(STACK);
    const { images, calls } = fakeImages();
    const made = await prepareSwarmImages(desired, options(images, { services: new Set(['db']) }).o);
    expect(calls).toEqual([]);
    expect(made.images).toEqual({});
  });

  it('--dry-run pushes nothing: the digest pushed before for the same image, else a new build', async () => {
    const desired = await swarmFromCompose(STACK);
    const same = fakeImages({ 'reg:5000/web:1': 'sha256:before' });
    const made = await prepareSwarmImages(desired, options(same.images, { push: false }).o);
    expect(same.calls).toEqual(['ensure reg:5000/web:1 policy=missing']);
    expect(made.images.web).toBe('reg:5000/web:1@sha256:before');
    expect(made.unpushed).toEqual([]);

    const fresh = fakeImages();
    const rebuilt = await prepareSwarmImages(desired, options(fresh.images, { push: false }).o);
    expect(rebuilt.images.web).toBe('reg:5000/web:1@sha256:id-1');
    expect(rebuilt.unpushed.sort()).toEqual(['web', 'worker']);
  });
});
