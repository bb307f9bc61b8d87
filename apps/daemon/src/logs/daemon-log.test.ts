import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDaemonLog } from './daemon-log.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function readAll(dir: string): string {
  return readdirSync(dir)
    .filter((f) => /^daemon\.\d+\.log$/.test(f))
    .map((f) => readFileSync(join(dir, f), 'utf8'))
    .join('');
}

describe('daemon log', () => {
  it('writes JSON lines to a rotated file, private, without secrets', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'orc-log-'));
    dirs.push(dir);
    const log = await createDaemonLog({ level: 'info', file: join(dir, 'daemon.log') });
    log.logger.info({ req: { headers: { authorization: 'Bearer tok-123' } } }, 'request');
    log.logger.info({ source: { workingDir: '/srv', env: { PASSWORD: 'pw-456' } } }, 'up');
    log.logger.info({ record: { source: { env: { PASSWORD: 'pw-789' } } } }, 'nested');
    log.logger.info({ token: 'tok-abc', project: 'demo' }, 'settings');
    log.reopen();
    log.logger.info('after reopen');
    await log.close();
    const text = readAll(dir);
    for (const secret of ['tok-123', 'pw-456', 'pw-789', 'tok-abc']) expect(text).not.toContain(secret);
    expect(text).toContain('"project":"demo"');
    expect(text).toContain('after reopen');
    expect(text).toContain('[redacted]');
    const file = readdirSync(dir).find((f) => /^daemon\.\d+\.log$/.test(f)) ?? '';
    const { statSync } = await import('node:fs');
    expect(statSync(join(dir, file)).mode & 0o777).toBe(0o600);
    // pino-roll's date-fns (time-based rotation only) stays unloaded: ~300 modules an idle daemon keeps.
    const { createRequire } = await import('node:module');
    const cache = Object.keys(createRequire(import.meta.url).cache);
    expect(cache.some((f) => f.includes('/node_modules/pino-roll/'))).toBe(true);
    // (its entry point is in the cache as the stand-in; none of the modules behind it)
    const dateFns = cache.filter((f) => f.includes('/node_modules/date-fns/'));
    expect(dateFns.filter((f) => !/\/date-fns\/index\.c?js$/.test(f))).toEqual([]);
  });

  it('rotates at the size limit and keeps a bounded number of files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'orc-log-'));
    dirs.push(dir);
    const log = await createDaemonLog({ level: 'info', file: join(dir, 'daemon.log'), size: '1k', keep: 2 });
    for (let i = 0; i < 200; i++) {
      log.logger.info({ i, pad: 'x'.repeat(100) }, 'line');
      await new Promise((r) => setTimeout(r, 1));
    }
    const count = () => readdirSync(dir).filter((f) => /^daemon\.\d+\.log$/.test(f)).length;
    // 200 lines of ~150 bytes are ~30 files' worth at 1k: more than one means it rotated.
    expect(count()).toBeGreaterThan(1);
    // Old files are removed asynchronously after each roll: the current one plus `keep` remain.
    await expect.poll(count, { timeout: 5000 }).toBeLessThanOrEqual(3);
    await log.close();
  });
});
