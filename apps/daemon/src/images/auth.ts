/**
 * Registry credentials from the CLIENT's docker config (`$DOCKER_CONFIG/config.json`, else
 * `$HOME/.docker/config.json`, both from the environment the client sent), resolved the way the docker CLI
 * does: `credHelpers[registry]`, then `credsStore`, then `auths[registry]` (base64 `auth` or `identitytoken`).
 *
 * Secrets stay in the returned RegistryAuth objects, which only engine/images.ts turns into headers.
 * Nothing here logs, and no error message quotes a file's content or a helper's output.
 */
import { execFile } from 'node:child_process';
import { access, readFile } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { ImageError } from '../contract/image-errors.js';
import type { RegistryAuth } from '../engine/images.js';
import { DOCKER_HUB, DOCKER_HUB_AUTH_KEY, normaliseRegistry } from './reference.js';

export interface DockerConfigFile {
  auths?: Record<string, { auth?: string; username?: string; password?: string; identitytoken?: string }>;
  credHelpers?: Record<string, string>;
  credsStore?: string;
}

export interface AuthOptions {
  /** The client's environment: DOCKER_CONFIG / HOME locate config.json. */
  env: Record<string, string>;
  /**
   * Where to look for `docker-credential-*` helpers. Default: the daemon's own PATH, not the client's, so a
   * request can never make the daemon run a binary of the client's choosing.
   */
  helperPath?: string;
  /** Told about fallbacks (a missing helper); the text never holds a secret. */
  warn?: (message: string) => void;
}

export function dockerConfigPath(env: Record<string, string>): string | undefined {
  if (env.DOCKER_CONFIG) return join(env.DOCKER_CONFIG, 'config.json');
  if (env.HOME) return join(env.HOME, '.docker', 'config.json');
  return undefined;
}

/** Reads config.json; absent = no credentials. A broken file is an error that names the file, not its content. */
export async function readDockerConfig(env: Record<string, string>): Promise<DockerConfigFile | undefined> {
  const path = dockerConfigPath(env);
  if (!path) return undefined;
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ImageError(
      'REGISTRY_AUTH',
      `cannot read docker config ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'}); check its permissions`,
    );
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new Error('not an object');
    return parsed as DockerConfigFile;
  } catch {
    throw new ImageError(
      'REGISTRY_AUTH',
      `docker config ${path} is not valid JSON; fix it or run \`docker login\` again`,
    );
  }
}

/** The server address helpers and the engine expect for a registry (Hub has its historical URL). */
export function serverAddress(registry: string): string {
  return registry === DOCKER_HUB ? DOCKER_HUB_AUTH_KEY : registry;
}

function findKey<T>(map: Record<string, T> | undefined, registry: string): string | undefined {
  if (!map) return undefined;
  if (registry === DOCKER_HUB && DOCKER_HUB_AUTH_KEY in map) return DOCKER_HUB_AUTH_KEY;
  if (registry in map) return registry;
  return Object.keys(map).find((k) => normaliseRegistry(k) === registry);
}

function fromAuthsEntry(
  registry: string,
  entry: NonNullable<DockerConfigFile['auths']>[string],
): RegistryAuth | undefined {
  const serveraddress = serverAddress(registry);
  if (entry.identitytoken) return { serveraddress, identitytoken: entry.identitytoken };
  if (entry.auth) {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) {
      throw new ImageError(
        'REGISTRY_AUTH',
        `the saved credentials for ${registry} in the docker config are malformed; run \`docker login ${registry}\` again`,
        { registry },
      );
    }
    return { serveraddress, username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
  }
  if (entry.username && entry.password) {
    return { serveraddress, username: entry.username, password: entry.password };
  }
  return undefined;
}

const HELPER_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

async function findHelper(name: string, path: string): Promise<string | undefined> {
  for (const dir of path.split(delimiter).filter(Boolean)) {
    const candidate = join(dir, `docker-credential-${name}`);
    try {
      await access(candidate, 1 /* X_OK */);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

/** The daemon's environment minus its own secrets, with the client's HOME (helpers find the user's store by it). */
function helperEnv(clientEnv: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('ORC_')) env[k] = v;
  if (clientEnv.HOME) env.HOME = clientEnv.HOME;
  return env;
}

function runHelper(
  bin: string,
  server: string,
  env: NodeJS.ProcessEnv,
): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = execFile(bin, ['get'], { timeout: 15_000, maxBuffer: 1024 * 1024, env }, (err, stdout) => {
      if (
        err &&
        typeof (err as NodeJS.ErrnoException).code !== 'number' &&
        !('killed' in err && err.killed)
      ) {
        reject(err);
        return;
      }
      const code = err ? Number((err as NodeJS.ErrnoException).code ?? 1) : 0;
      resolve({ code: Number.isFinite(code) ? code : 1, stdout });
    });
    child.stdin?.end(server);
  });
}

/**
 * Asks `docker-credential-<name> get` for a registry. `undefined` = the helper has nothing for it
 * (or is not installed: then we fall back to `auths`, and say so through `warn`).
 */
async function fromHelper(
  name: string,
  registry: string,
  opts: AuthOptions,
): Promise<RegistryAuth | undefined | 'no-helper'> {
  if (!HELPER_NAME.test(name)) {
    throw new ImageError(
      'CREDENTIAL_HELPER',
      `invalid credential helper name "${name}" in the docker config`,
      {
        registry,
      },
    );
  }
  const bin = await findHelper(name, opts.helperPath ?? process.env.PATH ?? '');
  if (!bin) return 'no-helper';
  const server = serverAddress(registry);
  let result: { code: number; stdout: string };
  try {
    result = await runHelper(bin, server, helperEnv(opts.env));
  } catch {
    throw new ImageError(
      'CREDENTIAL_HELPER',
      `credential helper docker-credential-${name} could not be run for ${registry}`,
      { registry },
    );
  }
  // Helpers answer "credentials not found in native keychain" (exit 1) when they hold nothing for the server.
  if (result.code !== 0) {
    if (/credentials not found/i.test(result.stdout)) return undefined;
    throw new ImageError(
      'CREDENTIAL_HELPER',
      `credential helper docker-credential-${name} failed for ${registry} (exit ${result.code})`,
      { registry },
    );
  }
  let parsed: { Username?: string; Secret?: string };
  try {
    parsed = JSON.parse(result.stdout) as { Username?: string; Secret?: string };
  } catch {
    throw new ImageError(
      'CREDENTIAL_HELPER',
      `credential helper docker-credential-${name} gave an unreadable answer for ${registry}`,
      { registry },
    );
  }
  if (!parsed.Secret) return undefined;
  // By convention a helper returns the username `<token>` for identity tokens.
  if (parsed.Username === '<token>') return { serveraddress: server, identitytoken: parsed.Secret };
  return { serveraddress: server, username: parsed.Username ?? '', password: parsed.Secret };
}

/** Credentials for one registry (`docker.io` or `host[:port]`), or undefined for anonymous access. */
export async function resolveRegistryAuth(
  registry: string,
  config: DockerConfigFile | undefined,
  opts: AuthOptions,
): Promise<RegistryAuth | undefined> {
  if (!config) return undefined;
  const helperKey = findKey(config.credHelpers, registry);
  const helper = helperKey ? config.credHelpers?.[helperKey] : config.credsStore;
  if (helper) {
    const got = await fromHelper(helper, registry, opts);
    if (got !== 'no-helper') {
      if (got) return got;
      // The store holds nothing for this registry: `auths` may still (docker CLI does the same).
    } else {
      opts.warn?.(
        `credential helper docker-credential-${helper} is not installed; using the docker config's "auths" for ${registry}`,
      );
    }
  }
  const key = findKey(config.auths, registry);
  const entry = key ? config.auths?.[key] : undefined;
  return entry ? fromAuthsEntry(registry, entry) : undefined;
}

/** Every registry the config knows, resolved: what a build sends (X-Registry-Config) for its FROM pulls. */
export async function resolveAllAuths(
  config: DockerConfigFile | undefined,
  opts: AuthOptions,
): Promise<Record<string, RegistryAuth>> {
  if (!config) return {};
  const registries = new Set<string>();
  for (const k of Object.keys(config.auths ?? {})) registries.add(normaliseRegistry(k));
  for (const k of Object.keys(config.credHelpers ?? {})) registries.add(normaliseRegistry(k));
  const out: Record<string, RegistryAuth> = {};
  for (const registry of [...registries].sort()) {
    const auth = await resolveRegistryAuth(registry, config, opts);
    if (auth) out[serverAddress(registry)] = auth;
  }
  return out;
}
