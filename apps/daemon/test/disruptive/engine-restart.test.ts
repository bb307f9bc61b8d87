/**
 * Recover in order (issue 10): the engine restarts and brings back the containers that have a restart
 * policy in its own order; the daemon notices (the engine was unreachable, then answers) and restores the
 * project's dependency order: `restart: true` dependents are restarted once their dependencies are healthy,
 * and what stayed down is started after its dependencies. Disruptive: every other test fails while dockerd
 * is down, so this runs alone (vitest project `disruptive`).
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DaemonEvent } from '../../src/contract/types.js';
import { eventually, finish, inlineSource, startCore, type TestCore } from '../support/core.js';
import { docker, FIXTURE_IMAGE, removeProject, uniqueProject } from '../support/engine.js';

const run = promisify(execFile);
const engineScript = fileURLToPath(new URL('../../../../scripts/engine.sh', import.meta.url));
const project = uniqueProject('recover');

// db is healthy no sooner than 2 s after it starts (its ready file is made anew on each start).
const yaml = `
services:
  db:
    image: ${FIXTURE_IMAGE}
    command: ["sh", "-c", "trap 'exit 0' TERM; rm -f /ready; sleep 2; touch /ready; sleep 86400 & wait"]
    restart: always
    healthcheck:
      test: ["CMD", "test", "-f", "/ready"]
      interval: 1s
      retries: 60
  api:
    image: ${FIXTURE_IMAGE}
    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 86400 & wait"]
    restart: always
    depends_on:
      db: { condition: service_healthy, restart: true }
  web:
    image: ${FIXTURE_IMAGE}
    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 86400 & wait"]
    depends_on:
      api: { condition: service_started, restart: true }
`;

interface State {
  status: string;
  health?: string;
  startedAt: number;
}

async function state(service: string): Promise<State> {
  const out = await docker(
    'inspect',
    '--format',
    '{{.State.Status}} {{.State.StartedAt}} {{if .State.Health}}{{.State.Health.Status}}{{end}}',
    `${project}-${service}-1`,
  );
  const [status, startedAt, health] = out.split(' ');
  return { status: status ?? '', startedAt: Date.parse(startedAt ?? ''), ...(health ? { health } : {}) };
}

async function dockerdPid(): Promise<number | undefined> {
  const fromFile = await readFile('/var/run/docker.pid', 'utf8').catch(() => '');
  if (/^\d+$/.test(fromFile.trim())) return Number(fromFile.trim());
  const { stdout } = await run('pgrep', ['-x', 'dockerd']).catch(() => ({ stdout: '' }));
  const pid = stdout.split('\n').find(Boolean);
  return pid ? Number(pid) : undefined;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('disruptive: the engine restarts', () => {
  let core: TestCore;
  let dispose: () => Promise<void>;
  beforeAll(async () => {
    ({ core, dispose } = await startCore());
    const { record } = await finish(core, core.up(inlineSource(project, yaml), { wait: true }));
    expect(record.error).toBeUndefined();
  });
  afterAll(async () => {
    // Whatever happened, the engine must be back for everyone else.
    await run('bash', [engineScript], { maxBuffer: 16 * 1024 * 1024 }).catch(() => undefined);
    await dispose?.();
    await removeProject(project);
  }, 300_000);

  it('brings the stack back in dependency order, dependents restarted after their dependencies are healthy', async () => {
    const before = await state('api');
    const events: DaemonEvent[] = [];
    const ac = new AbortController();
    void (async () => {
      for await (const e of core.events({ project }, ac.signal)) events.push(e);
    })();

    const pid = await dockerdPid();
    expect(pid).toBeDefined();
    process.kill(pid!, 'SIGTERM');
    await eventually(async () => (alive(pid!) ? undefined : true), 120_000);
    await run('bash', [engineScript], { maxBuffer: 16 * 1024 * 1024 });

    const settled = await eventually(async () => {
      const [db, api, web] = await Promise.all([state('db'), state('api'), state('web')]);
      if (db.health !== 'healthy' || api.status !== 'running' || web.status !== 'running') return undefined;
      // api was restarted by the daemon once db could be healthy; web started after api.
      if (api.startedAt < db.startedAt + 2000 || web.startedAt < api.startedAt) return undefined;
      return { db, api, web };
    }, 180_000);
    ac.abort();

    expect(settled.db.startedAt).toBeGreaterThan(before.startedAt);
    expect(settled.api.startedAt - settled.db.startedAt).toBeGreaterThanOrEqual(2000);
    expect(settled.web.startedAt).toBeGreaterThanOrEqual(settled.api.startedAt);
    const restart = events.find((e) => e.type === 'restart' && e.container === `${project}-api-1`);
    expect(restart?.reason).toMatch(/dependency db/);
  });
});
