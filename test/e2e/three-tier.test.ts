import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docker, removeProject, uniqueProject } from '../support/engine.js';
import {
  assertBuilt,
  DEMO_DIR,
  daemonLog,
  explain,
  freePort,
  ORC_BIN,
  type OrcEnv,
  orc,
  orcEnv,
  stopDaemon,
} from './orc.js';

const label = (project: string) => `label=com.docker.compose.project=${project}`;

async function states(project: string): Promise<Record<string, string>> {
  const out = await docker('ps', '-a', '--filter', label(project), '--format', '{{.Names}} {{.State}}');
  return Object.fromEntries(
    out
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split(' ') as [string, string]),
  );
}

describe('the three-tier demo through the built orc and an autostarted daemon', () => {
  const o: OrcEnv = orcEnv('demo');
  const project = uniqueProject('demo');
  const p = (...args: string[]) => orc(o, ['-p', project, ...args]);
  let port = 0;

  beforeAll(async () => {
    assertBuilt();
    port = await freePort();
    o.env.WEB_PORT = String(port);
  });

  afterAll(async () => {
    await p('down', '-v', '-t', '1').catch(() => undefined);
    // The daemon repairs drift: stop it before removing what it keeps, or it recreates it.
    await stopDaemon(o);
    await removeProject(project);
    await docker('volume', 'rm', '-f', `${project}_dbdata`).catch(() => undefined);
  });

  it('starts a daemon when none answers, and brings the stack up with up -d', async () => {
    const r = await p('up', '-d');
    expect(r.code, `${explain(r)}\n--- daemon\n${daemonLog(o)}`).toBe(0);
    expect(r.stderr).toMatch(/no daemon answered at unix:\/\/.*; started one \(pid \d+/);
    expect(o.daemonPid).toBeGreaterThan(0);
    // Not a TTY: compose's plain progress lines.
    expect(r.stderr).toMatch(new RegExp(`Container ${project}-web-1\\s+Started`));
    expect(await states(project)).toEqual({
      [`${project}-db-1`]: 'running',
      [`${project}-api-1`]: 'running',
      [`${project}-web-1`]: 'running',
    });
    // A second command finds the daemon: no second start.
    const again = await p('ps', '-q');
    expect(again.stderr).not.toMatch(/started one/);
  });

  it('ps lists the containers, with compose v2’s JSON fields', async () => {
    const table = await p('ps');
    expect(table.code, explain(table)).toBe(0);
    const [header, ...rows] = table.stdout.trim().split('\n');
    expect(header).toMatch(/^NAME\s+IMAGE\s+COMMAND\s+SERVICE\s+CREATED\s+STATUS\s+PORTS$/);
    expect(rows.map((r) => r.split(/\s+/)[0]).sort()).toEqual(
      [`${project}-api-1`, `${project}-db-1`, `${project}-web-1`].sort(),
    );
    expect(table.stdout).toContain(`:${port}->80/tcp`);

    const json = await p('ps', '--format', 'json');
    expect(json.code, explain(json)).toBe(0);
    const list = JSON.parse(json.stdout) as Array<Record<string, unknown>>;
    expect(Array.isArray(list)).toBe(true);
    const web = list.find((c) => c.Service === 'web');
    expect(web).toMatchObject({
      Name: `${project}-web-1`,
      Project: project,
      State: 'running',
      ExitCode: 0,
      Image: 'orc-fixture/busybox:1',
    });
    for (const key of ['ID', 'Health', 'Status', 'Publishers']) expect(web).toHaveProperty(key);
    expect(web?.Publishers).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ TargetPort: 80, PublishedPort: port, Protocol: 'tcp' }),
      ]),
    );
    const db = list.find((c) => c.Service === 'db');
    expect(db?.Health).toBe('healthy');
  });

  it('serves the web tier on the published port, which reaches the api through its alias', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/cgi-bin/api`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', db: 'ok' });
  });

  it('shows the services’ logs with compose’s prefixes', async () => {
    const r = await p('logs', '--no-color', 'web');
    expect(r.code, explain(r)).toBe(0);
    expect(r.stdout).toMatch(/^web-1\s+\| web listening on port 80$/m);
    expect(r.stdout).not.toMatch(/db-1/);
    const bare = await p('logs', '--no-log-prefix', '--tail', '1', 'web');
    expect(bare.stdout.trim().split('\n').at(-1)).not.toMatch(/\|/);
  });

  it('execs a command in a service container and passes its exit code through', async () => {
    const r = await p('exec', '-T', 'db', 'cat', '/data/ready');
    expect(r.code, explain(r)).toBe(0);
    expect(r.stdout).toBe('ok\n');
    const failing = await p('exec', '-T', 'api', 'sh', '-c', 'echo to-stderr >&2; exit 7');
    expect(failing.code, explain(failing)).toBe(7);
    expect(failing.stderr).toContain('to-stderr');
  });

  it('execs interactively with a TTY when stdin is a terminal', async () => {
    // `script` gives orc a pseudo-terminal, as a person's shell would.
    const child = spawn('script', ['-qec', `${ORC_BIN} -p ${project} exec db sh`, '/dev/null'], {
      cwd: DEMO_DIR,
      env: o.env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    const done = new Promise<number | null>((resolve) => child.on('close', resolve));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        if (out.includes('# ')) resolve();
      });
      child.on('close', () => reject(new Error(`exec ended before the prompt:\n${out}`)));
    });
    child.stdin.write('tty; exit 5\n');
    const code = await done;
    expect(out).toMatch(/\/dev\/pts\/\d+/);
    expect(code, out).toBe(5);
  });

  it('stops and starts the services', async () => {
    const stop = await p('stop', '-t', '1');
    expect(stop.code, explain(stop)).toBe(0);
    expect(new Set(Object.values(await states(project)))).toEqual(new Set(['exited']));
    const running = await p('ps', '-q');
    expect(running.stdout.trim()).toBe('');
    const all = await p('ps', '-a', '--status', 'exited', '--services');
    expect(all.stdout.trim().split('\n').sort()).toEqual(['api', 'db', 'web']);

    const start = await p('start');
    expect(start.code, explain(start)).toBe(0);
    expect(new Set(Object.values(await states(project)))).toEqual(new Set(['running']));
  });

  it('scales a service up and down', async () => {
    const up = await p('up', '-d', '--scale', 'api=2');
    expect(up.code, explain(up)).toBe(0);
    expect(Object.keys(await states(project)).sort()).toEqual(
      [`${project}-api-1`, `${project}-api-2`, `${project}-db-1`, `${project}-web-1`].sort(),
    );
    const down = await p('up', '-d', '--scale', 'api=1');
    expect(down.code, explain(down)).toBe(0);
    expect(Object.keys(await states(project))).not.toContain(`${project}-api-2`);
  });

  it('--dry-run prints the plan with its causes and changes nothing', async () => {
    const before = await docker('ps', '-q', '--no-trunc', '--filter', label(project));
    const r = await p('up', '-d', '--dry-run', '--force-recreate', 'web');
    expect(r.code, explain(r)).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`recreate container ${project}-web-1 .*\\(.*force`));
    expect(await docker('ps', '-q', '--no-trunc', '--filter', label(project))).toBe(before);
  });

  it('--progress json prints one progress event per line on stdout', async () => {
    const webId = await docker('inspect', '--format', '{{.Id}}', `${project}-web-1`);
    const r = await p('--progress', 'json', 'up', '-d', '--force-recreate', '--no-deps', 'web');
    expect(r.code, explain(r)).toBe(0);
    const events = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { resource: string; state: string; operationId: string });
    expect(events.length).toBeGreaterThan(1);
    expect(new Set(events.map((e) => e.operationId)).size).toBe(1);
    expect(events).toContainEqual(expect.objectContaining({ resource: `${project}-web-1`, state: 'done' }));
    expect(await docker('inspect', '--format', '{{.Id}}', `${project}-web-1`)).not.toBe(webId);
  });

  it('renders the configuration', async () => {
    const services = await p('config', '--services');
    expect(services.code, explain(services)).toBe(0);
    expect(services.stdout.trim().split('\n').sort()).toEqual(['api', 'db', 'web']);
    const volumes = await p('config', '--volumes');
    expect(volumes.stdout.trim()).toBe('dbdata');
    const json = await p('config', '--format', 'json');
    const parsed = JSON.parse(json.stdout) as { name: string; services: Record<string, { image: string }> };
    expect(parsed.name).toBe(project);
    expect(parsed.services.web?.image).toBe('orc-fixture/busybox:1');
    const yaml = await p('config');
    expect(yaml.stdout).toMatch(/^services:|\nservices:/);
    expect(yaml.stdout).toContain(`${port}`);
  });

  it('lists the project in ls', async () => {
    const r = await orc(o, ['ls']);
    expect(r.code, explain(r)).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^${project}\\s+running\\(3\\)`, 'm'));
  });

  it('keeps the named volume on down, and removes it with down -v', async () => {
    const before = await p('exec', '-T', 'db', 'sh', '-c', 'wc -l < /data/boot.log');
    const boots = Number(before.stdout.trim());
    expect(boots, explain(before)).toBeGreaterThan(0);
    const down = await p('down', '-t', '1');
    expect(down.code, explain(down)).toBe(0);
    expect(await states(project)).toEqual({});
    expect(await docker('volume', 'ls', '-q', '--filter', label(project))).toContain(`${project}_dbdata`);
    expect(await docker('network', 'ls', '-q', '--filter', label(project))).toBe('');

    const up = await p('up', '-d');
    expect(up.code, explain(up)).toBe(0);
    // The db keeps its data across down/up: one more boot logged in the same volume.
    const after = await p('exec', '-T', 'db', 'sh', '-c', 'wc -l < /data/boot.log');
    expect(Number(after.stdout.trim()), explain(after)).toBe(boots + 1);

    const downV = await p('down', '-v', '-t', '1');
    expect(downV.code, explain(downV)).toBe(0);
    expect(await docker('volume', 'ls', '-q', '--filter', label(project))).toBe('');
  });
});
