/**
 * Replace without downtime (issue 10) on the real engine: a start-first update of two httpd replicas on a
 * user network, probed every 50 ms by a client container through the service name, never fails a probe;
 * a new version that never becomes healthy is rolled back (old containers keep serving, new ones gone).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finish, inlineSource, startCore, type TestCore } from '../support/core.js';
import { docker, FIXTURE_IMAGE, removeProject, uniqueProject } from '../support/engine.js';

const project = uniqueProject('startfirst');
const prober = `${project}-prober`;

const yaml = (version: string, healthy = true) => `
services:
  web:
    image: ${FIXTURE_IMAGE}
    command: ["sh", "-c", "mkdir -p /www && echo ${version} > /www/index.html && exec httpd -f -p 8080 -h /www"]
    stop_grace_period: 1s
    healthcheck:
      test: ${healthy ? '["CMD", "sh", "-c", "wget -qO- http://127.0.0.1:8080/ > /dev/null"]' : '["CMD", "false"]'}
      interval: 1s
      retries: 2
    deploy:
      replicas: 2
      update_config:
        order: start-first
        parallelism: 1
        failure_action: rollback
    networks: [front]
networks:
  front: {}
`;

/** The web containers: name → id, and what each serves. */
async function webContainers(): Promise<Record<string, string>> {
  const out = await docker(
    'ps',
    '-a',
    '--filter',
    `label=com.docker.compose.project=${project}`,
    '--filter',
    'label=com.docker.compose.service=web',
    '--format',
    '{{.Names}} {{.ID}} {{.State}}',
  );
  return Object.fromEntries(
    out
      .split('\n')
      .filter(Boolean)
      .map((l) => {
        const [name, id, state] = l.split(' ');
        return [name!, `${id} ${state}`];
      }),
  );
}

async function probes(): Promise<string[]> {
  const { execFile } = await import('node:child_process');
  return new Promise((resolve, reject) =>
    execFile('docker', ['logs', prober], { maxBuffer: 64 * 1024 * 1024 }, (err, stdout) =>
      err ? reject(err) : resolve(stdout.split('\n').filter(Boolean)),
    ),
  );
}

async function probesUntil(check: (lines: string[]) => boolean): Promise<string[]> {
  for (let i = 0; i < 600; i++) {
    const lines = await probes();
    if (check(lines)) return lines;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`probes never reached the expected state: ${(await probes()).slice(-5).join(' | ')}`);
}

describe('beyond compose: replace without downtime', { timeout: 300_000 }, () => {
  let core: TestCore;
  let dispose: () => Promise<void>;
  beforeAll(async () => {
    ({ core, dispose } = await startCore());
    const { record } = await finish(core, core.up(inlineSource(project, yaml('v1')), { wait: true }));
    expect(record.error).toBeUndefined();
    // The client resolves the service name on every probe, as any client of the service would.
    await docker(
      'run',
      '-d',
      '--name',
      prober,
      '--network',
      `${project}_front`,
      FIXTURE_IMAGE,
      'sh',
      '-c',
      // One probe = "does at least one replica answer?": resolve the service name (as clients do) and try
      // each address it returns, with a timeout, until one serves. A replica leaving the network stays in
      // the engine's DNS for a moment after its address is gone (measured on 20.10); a client that tries
      // only the first address can hit that window, which no orchestrator can close from outside the engine.
      'while true; do ok=; for ip in $(nslookup web 2>/dev/null | sed -n "/^Name:/,\\$p" | awk "/^Address/{print \\$NF}"); do out=$(printf "GET / HTTP/1.0\\r\\n\\r\\n" | nc -w 2 $ip 8080 2>&1 | tail -n1); case "$out" in v*) ok=$out; break;; esac; done; if [ -n "$ok" ]; then echo "ok $ok"; else echo "FAIL $(date +%T)"; fi; sleep 0.05; done',
    );
    await probesUntil((l) => l.filter((x) => x === 'ok v1').length >= 5);
  });
  afterAll(async () => {
    await docker('rm', '-f', prober).catch(() => undefined);
    await dispose?.();
    await removeProject(project);
  });

  it('updates both replicas start-first with zero failed probes', async () => {
    const before = await webContainers();
    const { record, progress } = await finish(core, core.up(inlineSource(project, yaml('v2')), {}));
    expect(record.error).toBeUndefined();
    // Each new container was gated on its health before the old one stopped.
    expect(progress.some((e) => e.action === 'wait healthy' && e.state === 'done')).toBe(true);
    const seen = (await probes()).length;
    const lines = await probesUntil((l) => l.length >= seen + 10);
    expect(lines.filter((l) => l.startsWith('FAIL'))).toEqual([]);
    expect(lines).toContain('ok v2');
    expect(lines.slice(-5).every((l) => l === 'ok v2')).toBe(true);
    const after = await webContainers();
    expect(Object.keys(after).sort()).toEqual([`${project}-web-1`, `${project}-web-2`]);
    for (const name of Object.keys(after)) expect(after[name]).not.toBe(before[name]);
  });

  it('rolls a new version that never becomes healthy back: the old containers keep serving', async () => {
    const before = await webContainers();
    const { record } = await finish(core, core.up(inlineSource(project, yaml('v3', false)), {}));
    expect(record.state).toBe('failed');
    expect(record.error?.message).toContain('rolled back');
    expect(record.error?.message).toContain(`${project}-web-1 keeps serving`);
    // The new container is gone; the old ones (same ids) run.
    expect(await webContainers()).toEqual(before);
    for (const v of Object.values(before)) expect(v.endsWith(' running')).toBe(true);
    const seen = (await probes()).length;
    const lines = await probesUntil((l) => l.length >= seen + 10);
    expect(lines.filter((l) => l.startsWith('FAIL'))).toEqual([]);
    expect(lines.slice(-5).every((l) => l === 'ok v2')).toBe(true);
    // failure_action: rollback: the daemon keeps the definition the old containers run, not the failed one.
    const stored = await core.internals.store.get(project);
    const hash = await docker(
      'inspect',
      '--format',
      '{{index .Config.Labels "com.docker.compose.config-hash"}}',
      `${project}-web-1`,
    );
    expect(stored?.desired?.services.find((s) => s.name === 'web')?.hash).toBe(hash);
  });

  it('refuses start-first for a service with a fixed published port, and says so in a dry run', async () => {
    const fixed = yaml('v4')
      .replace('replicas: 2', 'replicas: 1')
      .replace('    networks: [front]', '    networks: [front]\n    ports: ["18080:8080"]');
    const { record } = await finish(core, core.up(inlineSource(project, fixed), { dryRun: true }));
    expect(record.state).toBe('failed');
    expect(record.plan?.some((l) => l.includes('cannot be updated start-first') && l.includes('18080'))).toBe(
      true,
    );
  });
});
