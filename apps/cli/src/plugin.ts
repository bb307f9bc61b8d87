/**
 * orc as the Docker CLI's compose plugin (`docker compose …`) and under compose v1's name
 * (`docker-compose …`). The docker CLI runs a plugin as `<plugin> <the CLI's own arguments>`: its global
 * flags, then `compose`, then ours; it asks `<plugin> docker-cli-plugin-metadata` first to list it. It
 * marks a plugin run with DOCKER_CLI_PLUGIN_ORIGINAL_CLI_COMMAND.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadCrypto } from './builtin.js';
import { composeVersion, version } from './version.js';

export const METADATA_COMMAND = 'docker-cli-plugin-metadata';

/** What `docker info` and `docker --help` show for the plugin. */
export function pluginMetadata(): string {
  return JSON.stringify({
    SchemaVersion: '0.1.0',
    Vendor: 'orc',
    Version: `v${composeVersion}-orc.${version}`,
    ShortDescription: 'Docker Compose (orc: converged by a daemon)',
    URL: 'https://github.com/orc-dev/orc',
  });
}

/** The docker CLI's global flags that take a value (`--context x`, `-H x`, `--config=x`, …). */
const DOCKER_FLAGS_WITH_VALUE = new Set([
  '-c',
  '--context',
  '-H',
  '--host',
  '--config',
  '-l',
  '--log-level',
  '--tlscacert',
  '--tlscert',
  '--tlskey',
]);

export interface DockerGlobals {
  context?: string;
  host?: string;
  config?: string;
}

export interface Invocation {
  /** The arguments for orc's own parser (process.argv shape: node, script, args…). */
  argv: string[];
  /** Invoked as compose (the docker plugin, or the `docker-compose` name): `version` answers as compose. */
  asCompose: boolean;
  docker: DockerGlobals;
}

/**
 * Reads how orc was invoked. Through the docker CLI: its global flags are taken out (and returned), as is
 * the `compose` word; under the `docker-compose` name: the arguments are orc's as they are.
 */
export function readInvocation(argv: string[], env: NodeJS.ProcessEnv): Invocation {
  const [node = 'node', script = 'orc', ...args] = argv;
  const invokedAs = env.ORC_INVOKED_AS ?? '';
  const viaDocker =
    env.DOCKER_CLI_PLUGIN_ORIGINAL_CLI_COMMAND !== undefined && invokedAs === 'docker-compose';
  if (!viaDocker) return { argv, asCompose: invokedAs === 'docker-compose', docker: {} };
  const docker: DockerGlobals = {};
  let i = 0;
  for (; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === 'compose') break;
    const eq = arg.indexOf('=');
    const name = arg.startsWith('-') && eq > 0 ? arg.slice(0, eq) : arg;
    let value: string | undefined;
    if (DOCKER_FLAGS_WITH_VALUE.has(name)) value = eq > 0 && name !== arg ? arg.slice(eq + 1) : args[++i];
    if (name === '-c' || name === '--context') docker.context = value;
    else if (name === '-H' || name === '--host') docker.host = value;
    else if (name === '--config') docker.config = value;
  }
  // No `compose` word: not the docker CLI's call shape after all; the arguments are orc's as they are.
  if (i >= args.length) return { argv, asCompose: true, docker: {} };
  // `compose` itself is the plugin's name: orc's arguments follow it.
  return { argv: [node, script, ...args.slice(i + 1)], asCompose: true, docker };
}

/**
 * The engine the docker CLI was pointed at, as the environment an autostarted daemon inherits: `-H`
 * wins, then a non-default context's endpoint (from the CLI's context store), then DOCKER_HOST as it is.
 * A context orc cannot read is an error, never a silent fall back to another engine.
 */
export function dockerEnv(
  docker: DockerGlobals,
  env: NodeJS.ProcessEnv,
  readContextHost: (name: string, configDir: string) => string | undefined,
): NodeJS.ProcessEnv | { error: string } {
  const out = { ...env };
  if (docker.config) out.DOCKER_CONFIG = docker.config;
  if (docker.host) {
    out.DOCKER_HOST = docker.host;
    return out;
  }
  const context = docker.context ?? env.DOCKER_CONTEXT;
  if (!context || context === 'default') return out;
  const configDir = out.DOCKER_CONFIG ?? `${env.HOME ?? ''}/.docker`;
  const host = readContextHost(context, configDir);
  if (!host) {
    return {
      error: `docker context "${context}" was not found in ${configDir}/contexts (or has no docker endpoint); run \`docker context ls\``,
    };
  }
  out.DOCKER_HOST = host;
  delete out.DOCKER_CONTEXT;
  return out;
}

/** A context's docker endpoint from the docker CLI's context store (`contexts/meta/<sha256(name)>/meta.json`). */
export function readContextHost(name: string, configDir: string): string | undefined {
  // Loaded here, not at the top: a bundle's static import would load OpenSSL for every command (~3 ms).
  const { createHash } = loadCrypto();
  const id = createHash('sha256').update(name).digest('hex');
  try {
    const meta = JSON.parse(readFileSync(join(configDir, 'contexts', 'meta', id, 'meta.json'), 'utf8')) as {
      Endpoints?: { docker?: { Host?: unknown } };
    };
    const host = meta.Endpoints?.docker?.Host;
    return typeof host === 'string' && host ? host : undefined;
  } catch {
    return undefined;
  }
}
