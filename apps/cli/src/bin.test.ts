import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PS_TABLE_ACCEPT } from './client/api.js';
import { version } from './version.js';

const bin = fileURLToPath(new URL('../bin/orc.js', import.meta.url));

describe('bin/orc.js answers `orc --version` before reading the bundle (issue 17)', () => {
  it('holds the same version as src/version.ts', () => {
    const match = /const VERSION = '([^']+)';/.exec(readFileSync(bin, 'utf8'));
    expect(match?.[1]).toBe(version);
  });

  it.each(['--version', '-v'])('prints the version for %s, as the bundle does', (flag) => {
    const env = { ...process.env, ORC_INVOKED_AS: '', ORC_AS_COMPOSE: '' };
    expect(execFileSync(process.execPath, [bin, flag], { env, encoding: 'utf8' })).toBe(`${version}\n`);
  });
});

/** The bin with the hot bundle (dist/hot.js) and without it (ORC_HOT_BUNDLE=0): same output, same exit. */
function both(args: string[], extra: NodeJS.ProcessEnv = {}) {
  const run = (hot: boolean) => {
    const env = { ...process.env, ORC_INVOKED_AS: '', ...extra, ...(hot ? {} : { ORC_HOT_BUNDLE: '0' }) };
    const r = spawnSync(process.execPath, [bin, ...args], { env, encoding: 'utf8' });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  return { hot: run(true), full: run(false) };
}

describe('bin/orc.js runs plain `ps`, `up` and `down` from the hot bundle, anything else from the full one', () => {
  // No daemon listens there and none may be started: the hot path's own error, reported as main.ts does.
  const absent = { ORC_HOST: 'unix:///nonexistent/orc.sock', ORC_NO_AUTOSTART: '1' };

  it.each([
    [['-p', 'x', 'ps']],
    [['-p', 'x', 'ps', '-a', '--format', 'json']],
    [['-p', 'x', 'up', '-d']],
    [['-p', 'x', 'down', '-v']],
  ])('%j: the same refusal as the full bundle when no daemon answers', (args) => {
    const { hot, full } = both(args, absent);
    expect(hot.stderr).toContain('cannot reach the orc daemon');
    expect(hot).toEqual(full);
  });

  it.each([
    [['ps', '--help']],
    [['up', '--help']],
    [['ps', '--bogus']],
    [['ps', '--format', 'yaml']],
    [['-p', 'x', 'up', '-d', '--no-start', '--wait']],
    [['-p', 'x', 'down', 'web']],
    [['-p', 'x', 'down', '--rmi', 'bogus']],
  ])('%j: left to commander (help, usage errors), exactly as by the full bundle', (args) => {
    const { hot, full } = both(args, absent);
    expect(hot.stdout + hot.stderr).not.toBe('');
    expect(hot).toEqual(full);
  });
});

describe("bin/orc.js sends `orc -p NAME ps`'s request before it runs the hot bundle", () => {
  const container = (i: number) => ({
    ID: `${i}`.padStart(64, 'a'),
    Name: `early-s${i}-1`,
    Service: `s${i}`,
    Project: 'early',
    State: i % 3 ? 'running' : 'exited',
    Status: i % 3 ? 'Up 2 hours' : 'Exited (0) 1 hour ago',
    Health: '',
    ExitCode: 0,
    Image: 'orc-fixture/busybox:1',
    Command: 'sleep 86400',
    Created: '2026-12-04T10:00:00Z',
    RestartCount: 0,
    Publishers: [],
    Networks: [],
  });
  // 300 containers: the JSON form is larger than a pipe's 64 KiB (all of it must reach the reader).
  const body = JSON.stringify({
    name: 'early',
    status: 'running',
    services: [],
    containers: Array.from({ length: 300 }, (_, i) => container(i)),
  });

  async function withStandIn(test: (env: NodeJS.ProcessEnv, requests: string[]) => Promise<void>) {
    const dir = mkdtempSync(join(tmpdir(), 'orc-bin-early-'));
    const requests: string[] = [];
    const server = createServer((req, res) => {
      requests.push(`${req.method} ${req.url} ${req.headers.accept}`);
      if (!req.url?.startsWith('/v1/projects/early')) {
        res.writeHead(404, { 'Content-Type': 'application/json' });
        return res.end(JSON.stringify({ code: 'PROJECT_NOT_FOUND', message: 'no project named "x"' }));
      }
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(body);
    });
    const socket = join(dir, 'orc.sock');
    await new Promise<void>((resolve) => server.listen(socket, resolve));
    try {
      await test(
        { ...process.env, ORC_INVOKED_AS: '', ORC_HOST: `unix://${socket}`, ORC_NO_AUTOSTART: '1' },
        requests,
      );
    } finally {
      server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const run = (args: string[], env: NodeJS.ProcessEnv) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(process.execPath, [bin, ...args], { env, maxBuffer: 1 << 24 }, (err, stdout, stderr) =>
        resolve({ code: typeof err?.code === 'number' ? err.code : 0, stdout, stderr }),
      );
    });

  it.each([
    [['-p', 'early', 'ps']],
    [['--project-name=early', 'ps', '-a']],
    [['-p', 'early', 'ps', '--no-trunc']],
  ])('%j: one request, taken by the hot path; the output of the full bundle', async (args) => {
    await withStandIn(async (env, requests) => {
      const early = await run(args, env);
      expect(requests).toEqual([`GET /v1/projects/early?detail=false ${PS_TABLE_ACCEPT}`]);
      const full = await run(args, { ...env, ORC_HOT_BUNDLE: '0' });
      const late = await run(args, { ...env, ORC_EARLY_REQUEST: '0' });
      expect(early.stdout).toContain('early-s1-1');
      expect(early).toEqual(full);
      expect(early).toEqual(late);
    });
  });

  it('a guess that is not the request sent: dropped, the right one sent, the same answer', async () => {
    await withStandIn(async (env, requests) => {
      // `--format json` asks for the detail: the bin does not guess, and the hot path sends it alone.
      const json = await run(['-p', 'early', 'ps', '-a', '--format', 'json'], env);
      expect(requests).toEqual(['GET /v1/projects/early application/json']);
      expect(JSON.parse(json.stdout)).toHaveLength(300);
      // `-p x ps`: sent early (a 404), then the refusal reported as without it.
      requests.length = 0;
      const missing = await run(['-p', 'x', 'ps'], env);
      expect(requests).toEqual([`GET /v1/projects/x?detail=false ${PS_TABLE_ACCEPT}`]);
      expect(missing).toEqual(await run(['-p', 'x', 'ps'], { ...env, ORC_EARLY_REQUEST: '0' }));
    });
  });

  it('writes all of a long answer to a pipe before it exits', async () => {
    await withStandIn(async (env) => {
      // A reader slower than the CLI: process.exit used to drop what the pipe had not taken (64 KiB kept).
      const line = `"${process.execPath}" "${bin}" -p early ps -a --format json | (sleep 0.3; cat)`;
      const out = await new Promise<string>((resolve, reject) =>
        execFile('sh', ['-c', line], { env, maxBuffer: 1 << 24 }, (err, stdout) =>
          err ? reject(err) : resolve(stdout),
        ),
      );
      expect(out.length).toBeGreaterThan(65536);
      expect(JSON.parse(out)).toHaveLength(300);
    });
  });
});
