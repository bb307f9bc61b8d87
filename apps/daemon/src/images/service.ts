/**
 * The images entry points the executor and the API call: ensure one service's image (present → pull →
 * build, as its pull_policy and the command line say), build several (each distinct build once, in
 * parallel with a bound), pull several (for `orc pull`).
 */

import { createHash } from 'node:crypto';
import type { DesiredBuild } from '@orc/spec';
import PQueue from 'p-queue';
import { ImageError, isImageError } from '../contract/image-errors.js';
import type { ImageEngine, LocalImage, RegistryAuth } from '../engine/images.js';
import { type DockerConfigFile, readDockerConfig, resolveAllAuths, resolveRegistryAuth } from './auth.js';
import { overrideBuildArgs } from './build-args.js';
import { createBuildContext } from './context.js';
import { decideImage, type PullOverride } from './policy.js';
import { createBuildLog, type ImageProgress, layerProgress, type ProgressSink } from './progress.js';
import { createPullLog } from './pull-log.js';
import { apiTag, canonicalReference, parseReference } from './reference.js';

export interface EnsureImageRequest {
  service: string;
  /** DesiredService.image. */
  image: string;
  /** DesiredService.pull_policy. */
  pullPolicy: string;
  build?: DesiredBuild;
  /** DesiredService.platform: checked against the engine's. */
  platform?: string;
  /** The project name: tells the build-only default image name (`<project>-<service>`) from a chosen one. */
  project?: string;
  /** `--build`. */
  forceBuild?: boolean;
  /** `--no-build`. */
  noBuild?: boolean;
  /** `--pull`; default `policy` (the service's pull_policy). */
  pull?: PullOverride;
  /** A supervisor repair pass: a present image is used as is, whatever the policy. */
  converge?: boolean;
  /**
   * Build args written without a value (`args: [FOO]`): taken from `env` when set there, else left out.
   * (The desired state drops them, since their value is the client's business.)
   */
  envArgs?: string[];
  /** `orc build --no-cache` / `--pull`: override the build section's `no_cache` / `pull`. */
  buildOverrides?: {
    noCache?: boolean;
    pull?: boolean;
    /** `--build-arg` as given (`KEY=VAL` or `KEY`), applied over the section's args. */
    args?: string[];
    /** `-m/--memory`: the build container's memory limit, in bytes. */
    memory?: number;
  };
  /** The CLIENT's environment: DOCKER_CONFIG/HOME for registry auth, values for `envArgs`. */
  env: Record<string, string>;
}

export interface EnsureImageResult {
  service: string;
  image: string;
  /** `sha256:...`: what the container's `com.docker.compose.image` label must hold. */
  imageId: string;
  action: 'present' | 'pulled' | 'built';
  warnings: string[];
}

export interface ImageServiceOptions {
  engine: ImageEngine;
  /** Builds at once (default 2: the machine has two cores and a build uses one fully). */
  buildParallel?: number;
  /** Pulls at once (default 4: pulls wait on the network, not the CPU). */
  pullParallel?: number;
  /** JSON file recording last pull times (the daemon's state dir); without it LastTagTime is used. */
  pullLogPath?: string;
  /** Where `docker-credential-*` helpers are looked for (default: the daemon's PATH). */
  helperPath?: string;
  now?: () => number;
}

/** What `pushImage` answers: the digest the registry gave the pushed manifest. */
export interface PushResult {
  service: string;
  /** As asked (`registry/name:tag`). */
  image: string;
  /** `sha256:…`: the manifest digest, the same on every node that pulls `image@digest`. */
  digest: string;
  /** `registry/name:tag@sha256:…`: what a Swarm task runs so every node runs the same bits. */
  pinned: string;
}

export interface BatchResult {
  results: EnsureImageResult[];
  failures: Array<{ service: string; image: string; error: ImageError }>;
}

export interface ImageService {
  ensureImage(
    req: EnsureImageRequest,
    onProgress: ProgressSink,
    signal?: AbortSignal,
  ): Promise<EnsureImageResult>;
  /**
   * Ensures many at once (an `up`): requests for the same image are grouped, the one that can build leads,
   * so a service that only names an image another service builds never tries to pull it.
   */
  ensureImages(
    reqs: EnsureImageRequest[],
    onProgress: ProgressSink,
    signal?: AbortSignal,
  ): Promise<BatchResult>;
  /** `orc build`: every request with a build, each distinct build once. */
  buildImages(
    reqs: EnsureImageRequest[],
    onProgress: ProgressSink,
    signal?: AbortSignal,
    opts?: { parallel?: number },
  ): Promise<BatchResult>;
  /**
   * `down --rmi all|local`: removes the services' image references (untags; the engine deletes an image
   * when its last tag goes). `local` = only build-only images (`<project>-<service>`), as compose. An image
   * still used by a container is left in place with a warning, never forced.
   */
  removeImages(
    reqs: EnsureImageRequest[],
    mode: 'all' | 'local',
    onProgress: ProgressSink,
  ): Promise<{ removed: string[]; warnings: string[] }>;
  /**
   * Pushes `req.image` to the registry it names, with the client's registry auth (the pull path's), and
   * answers the manifest digest the registry gave it (the Swarm target pins tasks to it).
   */
  pushImage(req: EnsureImageRequest, onProgress: ProgressSink, signal?: AbortSignal): Promise<PushResult>;
  /**
   * The local image `image` names and the digest it was last pushed to its repository with (absent: never
   * pushed from this engine, or not present at all).
   */
  localDigest(image: string): Promise<{ id: string; digest?: string } | undefined>;
  /** The client's credentials for the registry `image` names (undefined: anonymous), as a pull uses them. */
  authFor(image: string, env: Record<string, string>): Promise<RegistryAuth | undefined>;
  /** `orc pull`: every request that can be pulled (build-only images are skipped). */
  pullImages(
    reqs: EnsureImageRequest[],
    onProgress: ProgressSink,
    signal?: AbortSignal,
    opts?: { ignoreFailures?: boolean; parallel?: number },
  ): Promise<BatchResult>;
}

function toImageError(err: unknown, req: EnsureImageRequest, signal?: AbortSignal): ImageError {
  // p-queue and fetch reject with their own AbortError: one code for every way of being cancelled.
  if (signal?.aborted && !isImageError(err, 'CANCELLED')) {
    return new ImageError('CANCELLED', `service ${req.service}: image ${req.image}: cancelled`, {
      service: req.service,
      image: req.image,
    });
  }
  if (isImageError(err)) {
    if (!err.details.service) err.details.service = req.service;
    if (!err.details.image) err.details.image = req.image;
    return err;
  }
  const message = err instanceof Error ? err.message : String(err);
  return new ImageError('ENGINE_ERROR', `service ${req.service}: image ${req.image}: ${message}`, {
    service: req.service,
    image: req.image,
  });
}

/** Same build = same context, Dockerfile, args, target, ...: built once, tagged for every service. */
export function buildKey(build: DesiredBuild, args: Record<string, string>, platform?: string): string {
  const { tags: _tags, args: _args, ...rest } = build;
  return createHash('sha256')
    .update(JSON.stringify({ ...rest, args, platform: platform ?? '' }))
    .digest('hex');
}

function normaliseArch(arch: string): string {
  const a = arch.toLowerCase();
  if (a === 'x86_64' || a === 'x86-64') return 'amd64';
  if (a === 'aarch64') return 'arm64';
  return a;
}

function isDefaultName(req: EnsureImageRequest): boolean {
  return req.project !== undefined && req.image === `${req.project}-${req.service}`;
}

export function createImageService(opts: ImageServiceOptions): ImageService {
  const { engine } = opts;
  const now = opts.now ?? Date.now;
  const buildQueue = new PQueue({ concurrency: Math.max(1, opts.buildParallel ?? 2) });
  const pullQueue = new PQueue({ concurrency: Math.max(1, opts.pullParallel ?? 4) });
  const pullLog = createPullLog(opts.pullLogPath);
  /** In-flight builds by build key, and in-flight ensures by image: concurrent callers share one. */
  const building = new Map<string, Promise<string>>();
  const ensuring = new Map<string, Promise<EnsureImageResult>>();
  let enginePlatform: Promise<{ os: string; architecture: string }> | undefined;

  const authOptions = (req: EnsureImageRequest, warnings: string[]) => ({
    env: req.env,
    ...(opts.helperPath !== undefined ? { helperPath: opts.helperPath } : {}),
    warn: (m: string) => warnings.push(m),
  });

  const checkPlatforms = async (req: EnsureImageRequest): Promise<string | undefined> => {
    const wanted = [...(req.build?.platforms ?? [])];
    if (req.platform && !wanted.includes(req.platform)) wanted.push(req.platform);
    if (wanted.length === 0) return undefined;
    enginePlatform ??= engine.platform();
    const own = await enginePlatform;
    const ownText = `${own.os}/${normaliseArch(own.architecture)}`;
    const foreign = wanted.filter((p) => {
      const [os = '', arch = ''] = p.toLowerCase().split('/');
      return os !== own.os.toLowerCase() || normaliseArch(arch) !== normaliseArch(own.architecture);
    });
    if (foreign.length > 0) {
      throw new ImageError(
        'PLATFORM_UNSUPPORTED',
        `service ${req.service}: platform ${foreign.join(', ')} is not supported by this engine (${ownText}); remove it from ${req.build?.platforms.length ? 'build.platforms' : 'platform'} or build it elsewhere (multi-platform builds need BuildKit/buildx)`,
        { service: req.service, image: req.image },
      );
    }
    return wanted[0];
  };

  const doPull = async (
    req: EnsureImageRequest,
    onProgress: ProgressSink,
    warnings: string[],
    signal?: AbortSignal,
  ): Promise<string> => {
    const ref = parseReference(req.image);
    const config = await readDockerConfig(req.env);
    const auth = await resolveRegistryAuth(ref.registry, config, authOptions(req, warnings));
    const base = { service: req.service, image: req.image, action: 'pull' as const };
    onProgress({ ...base, state: 'working', message: 'pulling' });
    await pullQueue.add(
      () =>
        engine.pull(
          ref.name,
          apiTag(ref),
          auth,
          (m) => {
            const p = layerProgress(m, base);
            if (p) onProgress(p);
          },
          signal,
          req.platform,
        ),
      signal ? { signal } : {},
    );
    await pullLog.record(canonicalReference(ref), now());
    const info = await engine.inspect(req.image);
    if (!info) {
      throw new ImageError(
        'PULL_FAILED',
        `pull ${req.image}: the engine reported success but has no such image`,
      );
    }
    onProgress({ ...base, state: 'done', message: 'pulled' });
    return info.id;
  };

  const runBuild = async (
    req: EnsureImageRequest,
    build: DesiredBuild,
    args: Record<string, string>,
    platform: string | undefined,
    onProgress: ProgressSink,
    warnings: string[],
    signal?: AbortSignal,
  ): Promise<string> => {
    const base = { service: req.service, image: req.image };
    // Credentials first: once the context tar exists, every exit must consume or destroy it.
    const config = await readDockerConfig(req.env);
    const auths = await resolveAllAuths(config, authOptions(req, warnings));
    const context = await createBuildContext(build, req.service);
    const log = createBuildLog(base, onProgress);
    onProgress({ ...base, action: 'build', state: 'working', message: `building from ${build.context}` });
    try {
      return await engine.build(
        context.stream,
        {
          dockerfile: context.dockerfile,
          tags: build.tags.length ? build.tags : [req.image],
          buildargs: args,
          labels: build.labels,
          ...(build.target ? { target: build.target } : {}),
          ...(build.network ? { networkmode: build.network } : {}),
          extrahosts: build.extra_hosts,
          ...(build.shm_size ? { shmsize: build.shm_size } : {}),
          cachefrom: build.cache_from,
          nocache: build.no_cache,
          pull: build.pull,
          ...(platform ? { platform } : {}),
          ...(req.buildOverrides?.memory ? { memory: req.buildOverrides.memory } : {}),
        },
        auths,
        (m) => log.message(m),
        signal,
      );
    } catch (err) {
      context.stream.destroy();
      if (isImageError(err, 'BUILD_FAILED')) {
        const { step, output } = log.failure();
        const shown = output.length ? `\n${output.map((l) => `  ${l}`).join('\n')}` : '';
        throw new ImageError(
          'BUILD_FAILED',
          `service ${req.service}: build failed${step ? ` at ${step}` : ''}: ${err.message}${shown}`,
          { service: req.service, image: req.image, ...(step ? { step } : {}), output, engine: err.message },
        );
      }
      throw err;
    }
  };

  const doBuild = async (
    req: EnsureImageRequest,
    onProgress: ProgressSink,
    warnings: string[],
    signal?: AbortSignal,
  ): Promise<string> => {
    if (!req.build) throw new ImageError('IMAGE_MISSING', `service ${req.service} has no build section`);
    const o = req.buildOverrides;
    const build: DesiredBuild = {
      ...req.build,
      ...(o?.noCache !== undefined ? { no_cache: o.noCache } : {}),
      ...(o?.pull !== undefined ? { pull: o.pull } : {}),
    };
    const platform = await checkPlatforms(req);
    const fromFile = { ...build.args };
    for (const name of [...(build.args_from_env ?? []), ...(req.envArgs ?? [])]) {
      const value = req.env[name];
      if (value !== undefined && !(name in fromFile)) fromFile[name] = value;
    }
    const args = overrideBuildArgs(fromFile, o?.args ?? [], req.env);
    // A memory limit is part of what is asked: the same build with another limit is another build.
    const key = `${buildKey(build, args, platform)}:${o?.memory ?? ''}`;
    let shared = building.get(key);
    if (!shared) {
      shared = buildQueue.add(
        () => runBuild(req, build, args, platform, onProgress, warnings, signal),
        signal ? { signal } : {},
      );
      building.set(key, shared);
      shared.then(
        () => building.delete(key),
        () => building.delete(key),
      );
    } else {
      onProgress({
        service: req.service,
        image: req.image,
        action: 'build',
        state: 'working',
        message: 'waiting for the same build of another service',
      });
    }
    const id = await shared;
    // Another service's identical build may have carried other tags: give this one its names too.
    for (const tag of build.tags.length ? build.tags : [req.image]) {
      const info = await engine.inspect(tag);
      if (info?.id !== id) {
        const ref = parseReference(tag);
        await engine.tag(id, ref.name, ref.tag ?? 'latest');
      }
    }
    onProgress({
      service: req.service,
      image: req.image,
      action: 'build',
      state: 'done',
      message: `built ${id}`,
    });
    return id;
  };

  const ensureOnce = async (
    req: EnsureImageRequest,
    onProgress: ProgressSink,
    signal?: AbortSignal,
  ): Promise<EnsureImageResult> => {
    if (signal?.aborted) throw new ImageError('CANCELLED', 'cancelled');
    const warnings: string[] = [];
    const result = (imageId: string, action: EnsureImageResult['action']): EnsureImageResult => ({
      service: req.service,
      image: req.image,
      imageId,
      action,
      warnings,
    });
    const warn = (message: string) => {
      warnings.push(message);
      onProgress({ service: req.service, image: req.image, action: 'check', state: 'warning', message });
    };
    parseReference(req.image);
    const info: LocalImage | undefined = await engine.inspect(req.image);
    const policyRef = canonicalReference(parseReference(req.image));
    const lastPulled =
      (await pullLog.lastPulled(policyRef)) ?? (info?.lastTagTime ? Date.parse(info.lastTagTime) : undefined);
    const decision = decideImage({
      service: req.service,
      image: req.image,
      pullPolicy: req.pullPolicy,
      ...(req.pull ? { override: req.pull } : {}),
      present: info !== undefined,
      ...(lastPulled !== undefined ? { lastPulledAt: lastPulled } : {}),
      now: now(),
      hasBuild: req.build !== undefined,
      defaultName: isDefaultName(req),
      ...(req.forceBuild ? { forceBuild: true } : {}),
      ...(req.noBuild ? { noBuild: true } : {}),
      ...(req.converge ? { converge: true } : {}),
    });
    switch (decision.action) {
      case 'fail':
        throw decision.error;
      case 'use':
        onProgress({
          service: req.service,
          image: req.image,
          action: 'check',
          state: 'done',
          message: decision.reason,
        });
        return result(info!.id, 'present');
      case 'build':
        return result(await doBuild(req, onProgress, warnings, signal), 'built');
      case 'pull':
        try {
          return result(await doPull(req, onProgress, warnings, signal), 'pulled');
        } catch (err) {
          if (!decision.fallbackToBuild || isImageError(err, 'CANCELLED')) throw err;
          warn(`pull of ${req.image} failed (${(err as Error).message}); building it instead`);
          return result(await doBuild(req, onProgress, warnings, signal), 'built');
        }
    }
  };

  const ensureImage: ImageService['ensureImage'] = async (req, onProgress, signal) => {
    let key: string;
    try {
      key = canonicalReference(parseReference(req.image));
    } catch (err) {
      throw toImageError(err, req);
    }
    const running = ensuring.get(key);
    if (running) {
      // Someone is already making this image: wait for it, then answer for this service.
      try {
        const other = await running;
        return { ...other, service: req.service, action: 'present', warnings: [] };
      } catch {
        // Theirs failed (maybe for a reason of theirs, like --no-build): try on our own terms.
      }
    }
    const mine = ensureOnce(req, onProgress, signal).catch((err: unknown) => {
      const e = toImageError(err, req, signal);
      onProgress({
        service: req.service,
        image: req.image,
        action: 'check',
        state: 'error',
        message: e.message,
      });
      throw e;
    });
    ensuring.set(key, mine);
    try {
      return await mine;
    } finally {
      if (ensuring.get(key) === mine) ensuring.delete(key);
    }
  };

  const settleAll = async (
    reqs: EnsureImageRequest[],
    run: (req: EnsureImageRequest) => Promise<EnsureImageResult>,
    signal?: AbortSignal,
  ): Promise<BatchResult> => {
    const out: BatchResult = { results: [], failures: [] };
    const settled = await Promise.allSettled(reqs.map(run));
    settled.forEach((s, i) => {
      const req = reqs[i]!;
      if (s.status === 'fulfilled') out.results.push(s.value);
      else
        out.failures.push({
          service: req.service,
          image: req.image,
          error: toImageError(s.reason, req, signal),
        });
    });
    return out;
  };

  /** The builders of an image go first; the others wait for them through `ensuring`. */
  const leadersFirst = (reqs: EnsureImageRequest[]) => {
    const leaders: EnsureImageRequest[] = [];
    const followers: EnsureImageRequest[] = [];
    const led = new Set<string>();
    for (const r of [...reqs].sort((a, b) => Number(b.build !== undefined) - Number(a.build !== undefined))) {
      if (led.has(r.image)) followers.push(r);
      else {
        leaders.push(r);
        led.add(r.image);
      }
    }
    return { leaders, followers };
  };

  const pushImage: ImageService['pushImage'] = async (req, onProgress, signal) => {
    const ref = parseReference(req.image);
    const warnings: string[] = [];
    const config = await readDockerConfig(req.env);
    const auth = await resolveRegistryAuth(ref.registry, config, authOptions(req, warnings));
    for (const message of warnings) {
      onProgress({ service: req.service, image: req.image, action: 'push', state: 'warning', message });
    }
    const base = { service: req.service, image: req.image, action: 'push' as const };
    onProgress({ ...base, state: 'working', message: `pushing to ${ref.registry}` });
    let digest: string | undefined;
    await engine.push(
      ref.name,
      ref.tag ?? 'latest',
      auth,
      (m) => {
        // The last message of a push: `aux: {Tag, Digest, Size}`.
        if (m.aux?.Digest) digest = m.aux.Digest;
        const p = layerProgress(m, base);
        if (p) onProgress(p);
      },
      signal,
    );
    // An engine that said nothing of the digest still records it on the image.
    if (!digest) {
      const info = await engine.inspect(req.image);
      const prefix = `${ref.name}@`;
      digest = info?.repoDigests.find((d) => d.startsWith(prefix))?.slice(prefix.length);
    }
    if (!digest) {
      throw new ImageError(
        'PUSH_FAILED',
        `push ${req.image}: the registry gave no digest; check that ${ref.registry} is a Docker registry (v2)`,
        { service: req.service, image: req.image, registry: ref.registry },
      );
    }
    onProgress({ ...base, state: 'done', message: `pushed ${digest}` });
    const named = `${ref.name}:${ref.tag ?? 'latest'}`;
    return { service: req.service, image: req.image, digest, pinned: `${named}@${digest}` };
  };

  return {
    ensureImage,
    pushImage,

    async localDigest(image) {
      const ref = parseReference(image);
      const info = await engine.inspect(image);
      if (!info) return undefined;
      const prefix = `${ref.name}@`;
      const digest = info.repoDigests.find((d) => d.startsWith(prefix))?.slice(prefix.length);
      return { id: info.id, ...(digest ? { digest } : {}) };
    },

    async authFor(image, env) {
      const ref = parseReference(image);
      return resolveRegistryAuth(ref.registry, await readDockerConfig(env), {
        env,
        ...(opts.helperPath !== undefined ? { helperPath: opts.helperPath } : {}),
      });
    },

    async ensureImages(reqs, onProgress, signal) {
      const { leaders, followers } = leadersFirst(reqs);
      const first = leaders.map((r) => ensureImage(r, onProgress, signal));
      // Start the followers only once their leader is in `ensuring`, i.e. now (ensureImage registers synchronously
      // after its first await-free steps); they then share its result.
      const second = followers.map((r) => ensureImage(r, onProgress, signal));
      const all = [...leaders, ...followers];
      const settled = await Promise.allSettled([...first, ...second]);
      const out: BatchResult = { results: [], failures: [] };
      settled.forEach((s, i) => {
        const req = all[i]!;
        if (s.status === 'fulfilled') out.results.push(s.value);
        else
          out.failures.push({
            service: req.service,
            image: req.image,
            error: toImageError(s.reason, req, signal),
          });
      });
      return out;
    },

    async buildImages(reqs, onProgress, signal, batch = {}) {
      const withBuild = reqs.filter((r) => r.build !== undefined);
      const limit = batch.parallel ? new PQueue({ concurrency: Math.max(1, batch.parallel) }) : undefined;
      return settleAll(
        withBuild,
        async (req) => {
          const warnings: string[] = [];
          const run = () => doBuild(req, onProgress, warnings, signal);
          const imageId = limit ? await limit.add(run) : await run();
          return { service: req.service, image: req.image, imageId, action: 'built' as const, warnings };
        },
        signal,
      );
    },

    async removeImages(reqs, mode, onProgress) {
      const removed: string[] = [];
      const warnings: string[] = [];
      const chosen = reqs.filter((r) => mode === 'all' || (r.build !== undefined && isDefaultName(r)));
      const refs = new Map<string, EnsureImageRequest>();
      for (const r of chosen) {
        for (const ref of [r.image, ...(r.build?.tags ?? [])]) if (!refs.has(ref)) refs.set(ref, r);
      }
      for (const [ref, r] of refs) {
        const base = { service: r.service, image: ref, action: 'check' as const };
        if (!(await engine.inspect(ref))) continue;
        try {
          await engine.remove(ref);
          removed.push(ref);
          onProgress({ ...base, state: 'done', message: 'removed' });
        } catch (err) {
          const message = `image ${ref} not removed: ${(err as Error).message}`;
          warnings.push(message);
          onProgress({ ...base, state: 'warning', message });
        }
      }
      return { removed, warnings };
    },

    async pullImages(reqs, onProgress, signal, batch = {}) {
      const pullable = reqs.filter((r) => !(r.build && isDefaultName(r)) && r.pullPolicy !== 'build');
      const skipped = reqs.filter((r) => !pullable.includes(r));
      for (const r of skipped) {
        onProgress({
          service: r.service,
          image: r.image,
          action: 'pull',
          state: 'skipped',
          message: 'built, not pulled',
        });
      }
      const limit = batch.parallel ? new PQueue({ concurrency: Math.max(1, batch.parallel) }) : undefined;
      const seen = new Map<string, Promise<string>>();
      const out = await settleAll(
        pullable,
        async (req) => {
          const warnings: string[] = [];
          const key = canonicalReference(parseReference(req.image));
          let p = seen.get(key);
          if (!p) {
            const run = () => doPull(req, onProgress, warnings, signal);
            p = limit ? limit.add(run) : run();
            seen.set(key, p);
          }
          const imageId = await p;
          return { service: req.service, image: req.image, imageId, action: 'pulled' as const, warnings };
        },
        signal,
      );
      if (batch.ignoreFailures) {
        for (const f of out.failures) {
          onProgress({
            service: f.service,
            image: f.image,
            action: 'pull',
            state: 'warning',
            message: f.error.message,
          });
        }
      }
      return out;
    },
  };
}

export type { DockerConfigFile, ImageProgress, RegistryAuth };
