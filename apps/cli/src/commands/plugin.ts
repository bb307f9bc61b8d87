/**
 * `orc install-plugin` / `orc uninstall-plugin`: orc as `docker compose` (the docker CLI's plugin), and
 * optionally as `docker-compose` (compose v1's name), opt-in and reversible: what was there before is
 * moved aside (never overwritten) and put back on uninstall.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { CliError, ExitCode } from '../errors.js';
import { handler } from './util.js';

export const MARKER = '# orc: installed by `orc install-plugin`';
export const BACKUP_SUFFIX = '.before-orc';

/** The plugin: a shell wrapper that runs this very CLI, saying it stands in for compose. */
export function wrapperScript(node: string, bundle: string): string {
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  return [
    '#!/bin/sh',
    `${MARKER}; \`orc uninstall-plugin\` puts back what was here.`,
    `ORC_INVOKED_AS=docker-compose exec ${q(node)} ${q(bundle)} "$@"`,
    '',
  ].join('\n');
}

function isOurs(path: string): boolean {
  try {
    return readFileSync(path, 'utf8').includes(MARKER);
  } catch {
    return false;
  }
}

/** Puts the wrapper at `target`; returns what it did, in words. */
export function installAt(target: string, script: string): string {
  const backup = `${target}${BACKUP_SUFFIX}`;
  let note = `installed ${target}`;
  if (existsSync(target)) {
    if (isOurs(target)) note = `updated ${target}`;
    else {
      if (existsSync(backup)) {
        throw new CliError(
          `${target} is not orc's, and ${backup} (an earlier backup) is in the way; move one of them away first`,
          ExitCode.failed,
        );
      }
      renameSync(target, backup);
      note = `installed ${target}; the one that was there is kept as ${backup} (orc uninstall-plugin puts it back)`;
    }
  }
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, script);
  chmodSync(target, 0o755);
  return note;
}

/** Removes our wrapper from `target` and restores what it replaced; never removes anyone else's file. */
export function uninstallAt(target: string): string {
  const backup = `${target}${BACKUP_SUFFIX}`;
  if (!existsSync(target)) return `nothing to remove at ${target}`;
  if (!isOurs(target)) {
    throw new CliError(`${target} was not installed by orc; left as it is`, ExitCode.failed);
  }
  rmSync(target);
  if (existsSync(backup)) {
    renameSync(backup, target);
    return `removed orc from ${target} and put back what was there before`;
  }
  return `removed ${target}`;
}

function pluginDir(env: NodeJS.ProcessEnv, dir?: string): string {
  return dir ?? join(env.DOCKER_CONFIG ?? join(homedir(), '.docker'), 'cli-plugins');
}

export function registerPlugin(program: Command): void {
  program
    .command('install-plugin')
    .description('answer `docker compose` (and with --v1, `docker-compose`) with orc; reversible')
    .option(
      '--dir <dir>',
      'docker CLI plugin directory (default: $DOCKER_CONFIG/cli-plugins, else ~/.docker/cli-plugins)',
    )
    .option(
      '--v1 <path>',
      'also install under compose v1’s name at this path (e.g. /usr/local/bin/docker-compose)',
    )
    .action(
      handler<[], { dir?: string; v1?: string }>(async (ctx, f) => {
        const script = wrapperScript(process.execPath, fileURLToPath(import.meta.url));
        const targets = [join(pluginDir(ctx.env, f.dir), 'docker-compose'), ...(f.v1 ? [f.v1] : [])];
        for (const t of targets) ctx.stdout.write(`${installAt(t, script)}\n`);
        ctx.stdout.write(
          '`docker compose version` now answers with orc’s; undo with `orc uninstall-plugin`\n',
        );
      }),
    );
  program
    .command('uninstall-plugin')
    .description('undo install-plugin: remove orc as `docker compose` and put back what was there')
    .option('--dir <dir>', 'docker CLI plugin directory (as given to install-plugin)')
    .option('--v1 <path>', 'also undo the compose v1 name at this path')
    .action(
      handler<[], { dir?: string; v1?: string }>(async (ctx, f) => {
        const targets = [join(pluginDir(ctx.env, f.dir), 'docker-compose'), ...(f.v1 ? [f.v1] : [])];
        for (const t of targets) ctx.stdout.write(`${uninstallAt(t)}\n`);
      }),
    );
}
