/**
 * The Engine API calls for images (v1.41, classic builder): inspect, pull, build, tag, push, remove.
 * Everything above this file sees plain data and `ImageError`s; only here do dockerode's shapes appear.
 * Credentials go into the X-Registry-Auth / X-Registry-Config headers and nowhere else.
 */
import type { Readable } from 'node:stream';
import type Docker from 'dockerode';
import { ImageError } from '../contract/image-errors.js';

/** What `X-Registry-Auth` carries (one registry). */
export interface RegistryAuth {
  serveraddress: string;
  username?: string;
  password?: string;
  identitytoken?: string;
  registrytoken?: string;
}

/** One JSON message of the engine's pull/push/build streams. */
export interface EngineStreamMessage {
  status?: string;
  id?: string;
  progress?: string;
  progressDetail?: { current?: number; total?: number };
  stream?: string;
  aux?: { ID?: string; Tag?: string; Digest?: string; Size?: number };
  error?: string;
  errorDetail?: { code?: number; message?: string };
}

export interface LocalImage {
  id: string;
  repoTags: string[];
  repoDigests: string[];
  labels: Record<string, string>;
  os: string;
  architecture: string;
  variant?: string;
  created: string;
  /** When a tag last moved onto this image (pull or build); `undefined` when the engine does not say. */
  lastTagTime?: string;
}

/** `POST /build` parameters we use (names as our code spells them; mapped to the query below). */
export interface EngineBuildOptions {
  /** Path of the Dockerfile inside the context tar. */
  dockerfile: string;
  tags: string[];
  buildargs?: Record<string, string>;
  labels?: Record<string, string>;
  target?: string;
  networkmode?: string;
  extrahosts?: string[];
  shmsize?: number;
  cachefrom?: string[];
  nocache?: boolean;
  pull?: boolean;
  platform?: string;
  /** Memory limit of the build's containers, in bytes (`build -m`; the classic builder honours it). */
  memory?: number;
}

export interface ImageEngine {
  inspect(ref: string): Promise<LocalImage | undefined>;
  /** Pulls `name` at `tag` (a tag or a digest), streaming the engine's messages. */
  pull(
    name: string,
    tag: string,
    auth: RegistryAuth | undefined,
    onMessage: (m: EngineStreamMessage) => void,
    signal?: AbortSignal,
    /** `os/arch[/variant]` of a multi-platform image (`platform:` of the service). */
    platform?: string,
  ): Promise<void>;
  /** Builds from a context tar; resolves the new image id. */
  build(
    context: Readable,
    opts: EngineBuildOptions,
    auths: Record<string, RegistryAuth>,
    onMessage: (m: EngineStreamMessage) => void,
    signal?: AbortSignal,
  ): Promise<string>;
  tag(source: string, name: string, tag: string): Promise<void>;
  push(
    name: string,
    tag: string,
    auth: RegistryAuth | undefined,
    onMessage: (m: EngineStreamMessage) => void,
    signal?: AbortSignal,
  ): Promise<void>;
  /** Removes a tag or an image; a missing one counts as removed. */
  remove(ref: string, opts?: { force?: boolean; noprune?: boolean }): Promise<void>;
  /** The engine's platform, to check `platforms:` against. */
  platform(): Promise<{ os: string; architecture: string }>;
}

interface DockerodeErrorShape {
  statusCode?: number;
  json?: { message?: string } | null;
  code?: string;
  message?: string;
  name?: string;
}

/** The engine's own message, without dockerode's `(HTTP code 500) server error -` prefix. */
function engineText(err: unknown): string {
  if (typeof err !== 'object' || err === null) return String(err);
  const e = err as DockerodeErrorShape;
  if (e.json && typeof e.json === 'object' && e.json.message) return e.json.message.trim();
  return (e.message ?? '').replace(/^\(HTTP code \d+\) [^-]*- /, '').trim();
}

function isAbort(err: unknown, signal?: AbortSignal): boolean {
  return (
    signal?.aborted === true ||
    (typeof err === 'object' && err !== null && (err as DockerodeErrorShape).name === 'AbortError')
  );
}

const unreachableEngineCodes = new Set(['ENOENT', 'ECONNREFUSED', 'EACCES', 'ECONNRESET', 'EPIPE']);

/**
 * Turns an engine/registry failure into an ImageError. The registry is named in every registry-side
 * message: "unauthorized: authentication required" alone does not tell a user where to log in.
 */
export function classifyRegistryFailure(
  text: string,
  ctx: { image: string; registry: string; action: 'pull' | 'push' },
  status?: number,
): ImageError {
  const details = { image: ctx.image, registry: ctx.registry, engine: text };
  const where = ctx.registry === 'docker.io' ? 'Docker Hub (docker.io)' : `registry ${ctx.registry}`;
  // The engine says "pull access denied for X, repository does not exist or may require 'docker login'"
  // for a repository the registry does not have (it cannot tell that from a hidden one): a missing image
  // first, with the login as the other possibility. A registry that wants credentials says
  // "unauthorized" / "no basic auth credentials" instead (below). Seen both ways for the same request.
  if (/repository does not exist/i.test(text)) {
    return new ImageError(
      'IMAGE_NOT_FOUND',
      `${ctx.action} ${ctx.image}: ${where} has no such repository, or it needs a login (${text}); check the name, or \`docker login ${ctx.registry}\``,
      details,
    );
  }
  // 401 as the status, never as digits in the text: a registry port or an image name holds them too
  // (127.0.0.1:34017/…), and a missing tag was read as a refused login under test.
  if (
    status === 401 ||
    /unauthorized|authentication required|no basic auth credentials|denied|forbidden|incorrect username or password/i.test(
      text,
    )
  ) {
    return new ImageError(
      'REGISTRY_AUTH',
      `${ctx.action} ${ctx.image}: ${where} refused access (${text}); log in with \`docker login ${ctx.registry}\` (orc reads ~/.docker/config.json) or check the name`,
      details,
    );
  }
  if (status === 404 || /manifest unknown|not found|does not exist|name unknown/i.test(text)) {
    return new ImageError(
      'IMAGE_NOT_FOUND',
      `${ctx.action} ${ctx.image}: ${where} has no such image or tag (${text}); check the name and tag`,
      details,
    );
  }
  if (
    /dial tcp|no such host|connection refused|i\/o timeout|timeout|TLS handshake|x509|server gave HTTP response|network is unreachable|EOF/i.test(
      text,
    )
  ) {
    return new ImageError(
      'REGISTRY_UNREACHABLE',
      `${ctx.action} ${ctx.image}: cannot reach ${where} (${text}); check the address, the network, or the engine's proxy/insecure-registries settings`,
      details,
    );
  }
  return new ImageError(
    ctx.action === 'pull' ? 'PULL_FAILED' : 'PUSH_FAILED',
    `${ctx.action} ${ctx.image} from ${where} failed: ${text}`,
    details,
  );
}

function engineFailure(err: unknown, what: string): ImageError {
  const e = (typeof err === 'object' && err !== null ? err : {}) as DockerodeErrorShape;
  if (e.code && unreachableEngineCodes.has(e.code)) {
    return new ImageError(
      'ENGINE_ERROR',
      `cannot reach the Docker Engine (${e.code}) while working on ${what}; is dockerd running and is DOCKER_HOST right?`,
    );
  }
  return new ImageError('ENGINE_ERROR', `${what}: ${engineText(err)}`, { engine: engineText(err) });
}

/**
 * Reads an NDJSON progress stream to its end. Resolves the messages' first error (the engine reports
 * failures inside a 200 stream once output has started), or undefined.
 */
function followStream(
  stream: NodeJS.ReadableStream,
  onMessage: (m: EngineStreamMessage) => void,
  signal?: AbortSignal,
): Promise<EngineStreamMessage | undefined> {
  return new Promise((resolve, reject) => {
    let buf = '';
    let failure: EngineStreamMessage | undefined;
    let settled = false;
    const finish = (err?: unknown) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      if (err) reject(err);
      else resolve(failure);
    };
    const line = (text: string) => {
      const trimmed = text.trim();
      if (!trimmed) return;
      let msg: EngineStreamMessage;
      try {
        msg = JSON.parse(trimmed) as EngineStreamMessage;
      } catch {
        msg = { stream: `${trimmed}\n` };
      }
      if ((msg.error || msg.errorDetail) && !failure) failure = msg;
      onMessage(msg);
    };
    const onAbort = () => {
      const destroy = (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy;
      destroy?.call(stream);
      finish(new ImageError('CANCELLED', 'cancelled'));
    };
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    stream.on('data', (chunk: Buffer | string) => {
      buf += chunk.toString();
      let nl = buf.indexOf('\n');
      while (nl >= 0) {
        line(buf.slice(0, nl));
        buf = buf.slice(nl + 1);
        nl = buf.indexOf('\n');
      }
    });
    const flush = () => {
      const rest = buf;
      buf = '';
      line(rest);
      finish();
    };
    stream.on('end', flush);
    stream.on('close', flush);
    stream.on('error', (err) => finish(err));
  });
}

function messageText(m: EngineStreamMessage): string {
  return (m.errorDetail?.message ?? m.error ?? 'unknown error').trim();
}

function registryOf(name: string): string {
  const first = name.split('/')[0] ?? '';
  return name.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost')
    ? first
    : 'docker.io';
}

export function createImageEngine(docker: Docker): ImageEngine {
  const pullOrPush = async (
    action: 'pull' | 'push',
    name: string,
    tag: string,
    auth: RegistryAuth | undefined,
    onMessage: (m: EngineStreamMessage) => void,
    signal?: AbortSignal,
    platform?: string,
  ): Promise<void> => {
    const image = tag.includes(':') ? `${name}@${tag}` : `${name}:${tag}`;
    const ctx = { image, registry: registryOf(name), action };
    let stream: NodeJS.ReadableStream;
    try {
      if (action === 'pull') {
        stream = await docker.createImage({
          fromImage: name,
          tag,
          ...(platform ? { platform } : {}),
          ...(auth ? { authconfig: auth } : {}),
          ...(signal ? { abortSignal: signal } : {}),
        });
      } else {
        stream = await docker.getImage(name).push({
          tag,
          ...(auth ? { authconfig: auth } : {}),
          ...(signal ? { abortSignal: signal } : {}),
        });
      }
    } catch (err) {
      if (isAbort(err, signal)) throw new ImageError('CANCELLED', `${action} ${image}: cancelled`);
      const e = err as DockerodeErrorShape;
      if (e.code && unreachableEngineCodes.has(e.code)) throw engineFailure(err, `${action} ${image}`);
      throw classifyRegistryFailure(engineText(err), ctx, e.statusCode);
    }
    const failure = await followStream(stream, onMessage, signal);
    if (failure) throw classifyRegistryFailure(messageText(failure), ctx);
  };

  return {
    async inspect(ref) {
      try {
        const info = await docker.getImage(ref).inspect();
        const raw = info as typeof info & { Variant?: string; Metadata?: { LastTagTime?: string } };
        const last = raw.Metadata?.LastTagTime;
        return {
          id: info.Id,
          repoTags: info.RepoTags ?? [],
          repoDigests: info.RepoDigests ?? [],
          labels: info.Config?.Labels ?? {},
          os: info.Os,
          architecture: info.Architecture,
          ...(raw.Variant ? { variant: raw.Variant } : {}),
          created: info.Created,
          // The engine says 0001-01-01T00:00:00Z for "never tagged" (e.g. loaded images).
          ...(last && !last.startsWith('0001-') ? { lastTagTime: last } : {}),
        };
      } catch (err) {
        if ((err as DockerodeErrorShape).statusCode === 404) return undefined;
        throw engineFailure(err, `inspect image ${ref}`);
      }
    },

    pull: (name, tag, auth, onMessage, signal, platform) =>
      pullOrPush('pull', name, tag, auth, onMessage, signal, platform),
    push: (name, tag, auth, onMessage, signal) => pullOrPush('push', name, tag, auth, onMessage, signal),

    async build(context, opts, auths, onMessage, signal) {
      const what = `build ${opts.tags[0] ?? ''}`.trim();
      const query: Record<string, unknown> = {
        dockerfile: opts.dockerfile,
        t: opts.tags,
        rm: true,
        forcerm: true,
        ...(opts.buildargs && Object.keys(opts.buildargs).length ? { buildargs: opts.buildargs } : {}),
        ...(opts.labels && Object.keys(opts.labels).length ? { labels: opts.labels } : {}),
        ...(opts.target ? { target: opts.target } : {}),
        ...(opts.networkmode ? { networkmode: opts.networkmode } : {}),
        ...(opts.extrahosts?.length ? { extrahosts: opts.extrahosts } : {}),
        ...(opts.shmsize ? { shmsize: opts.shmsize } : {}),
        ...(opts.cachefrom?.length ? { cachefrom: opts.cachefrom } : {}),
        ...(opts.nocache ? { nocache: true } : {}),
        ...(opts.pull ? { pull: true } : {}),
        ...(opts.platform ? { platform: opts.platform } : {}),
        ...(opts.memory ? { memory: opts.memory } : {}),
        ...(Object.keys(auths).length ? { registryconfig: auths } : {}),
        ...(signal ? { abortSignal: signal } : {}),
      };
      let stream: NodeJS.ReadableStream;
      try {
        stream = await docker.buildImage(context, query);
      } catch (err) {
        if (isAbort(err, signal)) throw new ImageError('CANCELLED', `${what}: cancelled`);
        throw engineFailure(err, what);
      }
      let imageId: string | undefined;
      const failure = await followStream(
        stream,
        (m) => {
          if (m.aux?.ID) imageId = m.aux.ID;
          onMessage(m);
        },
        signal,
      );
      if (failure) {
        // The caller knows the steps and their output; it turns this into a located BUILD_FAILED.
        throw new ImageError('BUILD_FAILED', messageText(failure), { engine: messageText(failure) });
      }
      if (!imageId) {
        // Older engines only print "Successfully built <short id>": look the first tag up instead.
        const first = opts.tags[0];
        const found = first ? await this.inspect(first) : undefined;
        if (!found) throw new ImageError('BUILD_FAILED', `${what}: the engine did not report an image id`);
        imageId = found.id;
      }
      return imageId;
    },

    async tag(source, name, tag) {
      try {
        await docker.getImage(source).tag({ repo: name, tag });
      } catch (err) {
        throw engineFailure(err, `tag ${source} as ${name}:${tag}`);
      }
    },

    async remove(ref, opts = {}) {
      try {
        await docker.getImage(ref).remove({ force: opts.force ?? false, noprune: opts.noprune ?? false });
      } catch (err) {
        if ((err as DockerodeErrorShape).statusCode === 404) return;
        throw engineFailure(err, `remove image ${ref}`);
      }
    },

    async platform() {
      try {
        const v = await docker.version();
        return { os: v.Os, architecture: v.Arch };
      } catch (err) {
        throw engineFailure(err, 'read the engine version');
      }
    },
  };
}
