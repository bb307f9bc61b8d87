import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const FIXTURE_IMAGE = process.env.ORC_FIXTURE_IMAGE ?? 'orc-fixture/busybox:1';
export const PROJECT_LABEL = 'com.docker.compose.project';

/** A project name no other test (or earlier run) uses. */
export function uniqueProject(prefix: string): string {
  return `orct-${prefix}-${randomBytes(3).toString('hex')}`;
}

export async function docker(...args: string[]): Promise<string> {
  const { stdout } = await run('docker', args, { maxBuffer: 16 * 1024 * 1024 });
  return stdout.trim();
}

/**
 * Removes everything carrying the project's label: containers, then networks, then volumes.
 * Tests call it in afterAll/afterEach so a failing test still leaves the engine clean.
 */
export async function removeProject(project: string): Promise<void> {
  const filter = `label=${PROJECT_LABEL}=${project}`;
  const ids = (await docker('ps', '-aq', '--filter', filter)).split('\n').filter(Boolean);
  if (ids.length) await docker('rm', '-f', '-v', ...ids).catch(() => undefined);
  const nets = (await docker('network', 'ls', '-q', '--filter', filter)).split('\n').filter(Boolean);
  if (nets.length) await docker('network', 'rm', ...nets).catch(() => undefined);
  const vols = (await docker('volume', 'ls', '-q', '--filter', filter)).split('\n').filter(Boolean);
  if (vols.length) await docker('volume', 'rm', '-f', ...vols).catch(() => undefined);
  // The keeper's lease (apps/daemon/src/verbs/lease.ts) carries no compose label: by its name.
  await docker('volume', 'rm', '-f', `orc-lease.${project}`).catch(() => undefined);
}

/** `service=state` of each container of a project (one-offs too), sorted: what a test of stops compares. */
export async function serviceStates(project: string): Promise<string[]> {
  const out = await docker(
    'ps',
    '-a',
    '--filter',
    `label=com.docker.compose.project=${project}`,
    '--format',
    '{{.Label "com.docker.compose.service"}}={{.State}}',
  );
  return out.split('\n').sort();
}
