import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LogLine } from '../../src/contract/types.js';
import { eventually, finish, inlineSource, startCore, type TestCore } from '../support/core.js';
import { docker, FIXTURE_IMAGE, removeProject, uniqueProject } from '../support/engine.js';

const project = uniqueProject('logs');
const configured = uniqueProject('logcfg');

async function logConfig(name: string): Promise<{ Type: string; Config: Record<string, string> }> {
  return JSON.parse(await docker('inspect', '--format', '{{json .HostConfig.LogConfig}}', name));
}

/** Bytes of the json-file logs the engine keeps for a container (current file and rotated ones). */
async function logBytes(name: string): Promise<{ bytes: number; files: number }> {
  const id = await docker('inspect', '--format', '{{.Id}}', name);
  const dir = join('/var/lib/docker/containers', id);
  const files = (await readdir(dir)).filter((f) => f.includes('-json.log'));
  const sizes = await Promise.all(files.map(async (f) => (await stat(join(dir, f))).size));
  return { bytes: sizes.reduce((a, b) => a + b, 0), files: files.length };
}

// ~5 MB: 50,000 lines of 100 bytes, then idle. `$$` is compose's escape for a literal `$`.
const chatty = `i=0; line=$$(printf '%090d' 0); while [ $$i -lt 50000 ]; do echo $$i $$line; i=$$((i+1)); done; echo written; sleep 86400`;

const yaml = `
services:
  chatty:
    image: ${FIXTURE_IMAGE}
    command: ["sh", "-c", "${chatty}"]
    stop_grace_period: 1s
    logging:
      driver: json-file
      options:
        max-size: 200k
        max-file: "2"
  plain:
    image: ${FIXTURE_IMAGE}
    command: ["sleep", "86400"]
    stop_grace_period: 1s
  local:
    image: ${FIXTURE_IMAGE}
    command: ["sleep", "86400"]
    stop_grace_period: 1s
    logging:
      driver: local
      options:
        max-size: 1m
  blinker:
    image: ${FIXTURE_IMAGE}
    command: ["sh", "-c", "echo run-$$(cat /proc/uptime | tr -d ' '); sleep 1; exit 1"]
    deploy:
      restart_policy:
        condition: on-failure
        delay: 500ms
        max_attempts: 2
`;

describe('bounded logs; logs followed through restarts', () => {
  let core: TestCore;
  let dispose: () => Promise<void>;
  beforeAll(async () => {
    ({ core, dispose } = await startCore());
  });
  afterAll(async () => {
    await dispose?.();
    await removeProject(project);
    await removeProject(configured);
  });

  it('follows a restarted container: lines of every run, with the service prefix', async () => {
    const ac = new AbortController();
    const lines: LogLine[] = [];
    const { record } = await finish(core, core.up(inlineSource(project, yaml), {}));
    expect(record.error).toBeUndefined();
    const following = (async () => {
      for await (const l of core.logs(
        { name: project },
        { follow: true, services: ['blinker'] },
        ac.signal,
      )) {
        lines.push(l);
        if (lines.filter((x) => x.line.startsWith('run-')).length >= 3) break;
      }
    })();
    try {
      await eventually(
        async () => (lines.filter((x) => x.line.startsWith('run-')).length >= 3 ? true : undefined),
        60_000,
      );
    } finally {
      ac.abort();
      await following.catch(() => undefined);
    }
    const runs = lines.filter((x) => x.line.startsWith('run-'));
    expect(new Set(runs.map((l) => l.line)).size).toBe(3);
    expect(runs.every((l) => l.service === 'blinker' && l.container === `${project}-blinker-1`)).toBe(true);
  });

  it('a service writing 5 MB with max-size 200k × 2 files keeps at most ~400 KB on disk', async () => {
    const name = `${project}-chatty-1`;
    expect(await logConfig(name)).toEqual({
      Type: 'json-file',
      Config: { 'max-file': '2', 'max-size': '200k' },
    });
    await eventually(async () => {
      const { stdout } = await docker('logs', '--tail', '1', name).then(
        (s) => ({ stdout: s }),
        () => ({ stdout: '' }),
      );
      return stdout.includes('written') ? true : undefined;
    }, 90_000);
    const { bytes, files } = await logBytes(name);
    // 2 files of 200 KiB; the engine rotates after the write that crosses the limit (one line over at most).
    expect(files).toBeLessThanOrEqual(2);
    expect(bytes).toBeLessThanOrEqual(2 * 200 * 1024 + 4096);
    // And it did write far more than it kept (the last line is number 49,999).
    const last = await docker('logs', '--tail', '2', name);
    expect(last).toMatch(/^49999 /m);
  });

  it('a service without logging gets the bounded default; a driver is passed as given', async () => {
    expect(await logConfig(`${project}-plain-1`)).toEqual({
      Type: 'json-file',
      Config: { 'max-file': '3', 'max-size': '10m' },
    });
    expect(await logConfig(`${project}-local-1`)).toEqual({ Type: 'local', Config: { 'max-size': '1m' } });
  });

  it('the daemon-wide default is configurable (the core’s defaultLogging, set by --log-opt)', async () => {
    const other = await startCore({
      supervise: false,
      defaultLogging: { driver: 'json-file', options: { 'max-size': '1m', 'max-file': '2' } },
    });
    try {
      const { record } = await finish(
        other.core,
        other.core.up(
          inlineSource(
            configured,
            `services:\n  plain:\n    image: ${FIXTURE_IMAGE}\n    command: ["sleep", "86400"]\n`,
          ),
          { keep: false },
        ),
      );
      expect(record.error).toBeUndefined();
      expect(await logConfig(`${configured}-plain-1`)).toEqual({
        Type: 'json-file',
        Config: { 'max-file': '2', 'max-size': '1m' },
      });
    } finally {
      await other.dispose();
    }
  });
});
