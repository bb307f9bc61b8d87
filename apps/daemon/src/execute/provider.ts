/**
 * Provider services (`provider: {type, options}`): compose's protocol. The provider is an executable
 * named `type` on the daemon's PATH, or a docker CLI plugin `docker-<type>`; it is run as
 * `<it> compose --project-name P up|down --key=value … SERVICE` and writes JSON lines on stdout
 * (`{"type": "info"|"error"|"setenv"|"debug", "message": …}`). Any `error` line or a non-zero exit fails
 * the service; a missing provider fails that service alone, naming the provider and where it was looked for.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { createInterface } from 'node:readline';
import { OrcError } from '../contract/errors.js';
import type { Operation } from '../plan/types.js';
import type { OpContext } from './op-context.js';

type Op<K extends Operation['kind']> = Extract<Operation, { kind: K }>;

/** Where the docker CLI looks for its plugins (`docker info` lists the same directories). */
function pluginDirs(env: NodeJS.ProcessEnv): string[] {
  const config = env.DOCKER_CONFIG ?? join(homedir(), '.docker');
  return [
    join(config, 'cli-plugins'),
    '/usr/local/lib/docker/cli-plugins',
    '/usr/local/libexec/docker/cli-plugins',
    '/usr/lib/docker/cli-plugins',
    '/usr/libexec/docker/cli-plugins',
  ];
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The provider's executable, or the places it was looked for. */
export function findProvider(
  type: string,
  env: NodeJS.ProcessEnv = process.env,
): { path: string } | { searched: string[] } {
  // A type is a name, never a path: `type: ../../bin/x` must not run an arbitrary file.
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(type)) return { searched: [] };
  const candidates = [
    ...(env.PATH ?? '')
      .split(delimiter)
      .filter(Boolean)
      .map((dir) => join(dir, type)),
    ...pluginDirs(env).map((dir) => join(dir, `docker-${type}`)),
  ];
  const path = candidates.find(executable);
  return path ? { path } : { searched: candidates };
}

export function providerArgs(op: Op<'run-provider'>, project: string): string[] {
  const flags = Object.keys(op.provider.options)
    .sort()
    .flatMap((key) => {
      const value = op.provider.options[key];
      return (Array.isArray(value) ? value : [value ?? '']).map((v) => `--${key}=${v}`);
    });
  return ['compose', '--project-name', project, op.command, ...flags, op.service];
}

export async function runProvider(op: Op<'run-provider'>, ctx: OpContext): Promise<void> {
  const what = `service ${op.service}: provider "${op.provider.type}"`;
  const found = findProvider(op.provider.type);
  if (!('path' in found)) {
    if (op.command === 'down') {
      ctx.report(`${what} is not installed here: nothing it made can be taken down from this host`);
      return;
    }
    throw new OrcError(
      'PROVIDER_UNAVAILABLE',
      `${what} is not available: no executable "${op.provider.type}" on the daemon's PATH and no docker CLI ` +
        `plugin "docker-${op.provider.type}"; install it where the orc daemon runs, or remove the service`,
      { provider: op.provider.type, searched: found.searched },
    );
  }
  const errors: string[] = [];
  let stderr = '';
  const child = spawn(found.path, providerArgs(op, ctx.project), { stdio: ['ignore', 'pipe', 'pipe'] });
  const abort = () => child.kill('SIGTERM');
  ctx.signal?.addEventListener('abort', abort, { once: true });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-2048);
  });
  const lines = createInterface({ input: child.stdout });
  lines.on('line', (line) => {
    const msg = parseMessage(line);
    if (!msg) return;
    if (msg.type === 'error') errors.push(msg.message);
    else if (msg.type === 'info') ctx.report(msg.message);
    // `setenv` values are often credentials: named, never shown.
    else if (msg.type === 'setenv') ctx.report(`sets ${msg.message.split('=', 1)[0]}`);
  });
  const code = await new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (c) => resolve(c ?? 1));
  }).finally(() => ctx.signal?.removeEventListener('abort', abort));
  if (code !== 0 || errors.length > 0) {
    const why = errors.length > 0 ? errors.join('; ') : stderr.trim().split('\n').slice(-3).join('\n');
    throw new OrcError(
      'PROVIDER_FAILED',
      `${what} ${op.command} failed${code !== 0 ? ` (exit code ${code})` : ''}${why ? `: ${why}` : ''}`,
      { provider: op.provider.type, code },
    );
  }
}

function parseMessage(line: string): { type: string; message: string } | undefined {
  try {
    const v: unknown = JSON.parse(line);
    if (typeof v !== 'object' || v === null) return undefined;
    const { type, message } = v as Record<string, unknown>;
    return typeof type === 'string'
      ? { type, message: typeof message === 'string' ? message : '' }
      : undefined;
  } catch {
    return undefined;
  }
}
