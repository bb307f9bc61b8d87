/**
 * The soak (issue 16 item 5): many containers crash-looping under the daemon's own restart policy,
 * writing logs and emitting events, while clients poll the project (as `orc ps` does) and follow its
 * logs and events. It samples the daemon's RSS and open file descriptors and reports their slope.
 *
 * In the suite it runs 2 minutes with 20 containers (ORC_SOAK_SECONDS, ORC_SOAK_CONTAINERS); `npm run
 * bench:soak` runs it 30 minutes with 50 and writes the table to bench/results/soak.md. What it asserts is
 * behaviour, not speed: the daemon stays up, logs no unhandled rejection, and every restart it made is
 * in its events. The slopes are reported, never asserted.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupDaemon, type DaemonProcess, type LineStream, startDaemon } from './api/support/daemon.js';
import { FIXTURE_IMAGE, removeProject, uniqueProject } from './support/engine.js';

const SECONDS = Number(process.env.ORC_SOAK_SECONDS ?? 120);
const CONTAINERS = Number(process.env.ORC_SOAK_CONTAINERS ?? 20);
const REPORT = process.env.ORC_SOAK_REPORT;
/** Which clients run beside the loop (`ps,logs`; events always), to find what grows when something does. */
const CLIENTS = new Set((process.env.ORC_SOAK_CLIENTS ?? 'ps,logs').split(','));
const LIFE = Number(process.env.ORC_SOAK_LIFE ?? 11);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function compose(n: number): string {
  const lines = ['services:'];
  lines.push(
    '  crash:',
    `    image: ${FIXTURE_IMAGE}`,
    // A line of output, a life just past the backoff's reset (10 s), a failure: a steady loop of logs,
    // die events and restarts (a shorter life would back off exponentially and go quiet).
    `    command: ["sh", "-c", "echo soak line $$(date +%s); sleep ${LIFE}; exit 1"]`,
    '    deploy:',
    `      replicas: ${n}`,
    '      restart_policy:',
    '        condition: on-failure',
    '        delay: 1s',
  );
  return `${lines.join('\n')}\n`;
}

function sample(pid: number): { rssKiB: number; fds: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rssKiB = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return { rssKiB, fds: readdirSync(`/proc/${pid}/fd`).length };
}

/** Least-squares slope of y over x. */
function slope(xs: number[], ys: number[]): number {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += ((xs[i] as number) - mx) * ((ys[i] as number) - my);
    den += ((xs[i] as number) - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

describe(`soak: ${CONTAINERS} crash-looping containers for ${SECONDS} s`, () => {
  const project = uniqueProject('soak');
  let d: DaemonProcess;
  const streams: LineStream[] = [];
  beforeAll(async () => {
    d = await startDaemon();
  });
  afterAll(async () => {
    for (const s of streams) s.close();
    await d?.request('POST', `/v1/projects/${project}/down?wait=true`, {}).catch(() => undefined);
    await d?.stop();
    cleanupDaemon(d);
    await removeProject(project);
  }, 120_000);

  it(
    'stays up, logs no unhandled rejection, accounts for every restart in events; reports RSS and fd slopes',
    async () => {
      const pid = d.proc.pid ?? 0;
      const up = await d.request('POST', '/v1/projects?wait=true', {
        source: {
          workingDir: '/tmp',
          projectName: project,
          inline: [{ name: 'compose.yaml', content: compose(CONTAINERS) }],
          env: {},
        },
      });
      // The replicas exit 1 at once, so `up` reports them failing or succeeds before they die: either way they run.
      expect([200, 502], up.text).toContain(up.status);

      const events = await d.stream(`/v1/events?project=${project}`);
      streams.push(events);
      const logs = CLIENTS.has('logs')
        ? await d.stream(`/v1/projects/${project}/logs?follow=true&tail=0`)
        : undefined;
      if (logs) streams.push(logs);

      const t0 = Date.now();
      const samples: Array<{ t: number; rssKiB: number; fds: number }> = [];
      let polls = 0;
      let nextSample = 0;
      while (Date.now() - t0 < SECONDS * 1000) {
        if (CLIENTS.has('ps')) {
          const ps = await d.request('GET', `/v1/projects/${project}`);
          expect(ps.status).toBe(200);
          polls++;
        }
        if (Date.now() >= nextSample) {
          samples.push({ t: (Date.now() - t0) / 1000, ...sample(pid) });
          nextSample = Date.now() + 5000;
        }
        await sleep(1000);
      }
      // Stop the loop (a stop is never restarted), let the last events arrive, then count.
      const stop = await d.request('POST', `/v1/projects/${project}/stop?wait=true`, {});
      expect(stop.status, stop.text).toBe(200);
      await sleep(3000);
      const ps = await d.request('GET', `/v1/projects/${project}`);
      const containers = (ps.json.containers ?? []) as Array<{ RestartCount: number }>;
      const restartsInPs = containers.reduce((n, c) => n + c.RestartCount, 0);
      const restartEvents = events.lines.filter(
        (l) => l.includes('"type":"restart"') && l.includes('"action":"restart"'),
      ).length;
      const logLines = logs?.lines.filter((l) => l.includes('soak line')).length ?? 0;

      const xs = samples.map((s) => s.t / 60);
      const rssSlope = slope(
        xs,
        samples.map((s) => s.rssKiB / 1024),
      );
      const fdSlope = slope(
        xs,
        samples.map((s) => s.fds),
      );
      const first = samples[0];
      const last = samples[samples.length - 1];
      const table = [
        `| soak | ${CONTAINERS} containers, ${SECONDS} s |`,
        '| --- | ---: |',
        `| daemon restarts (events / ps) | ${restartEvents} / ${restartsInPs} |`,
        `| log lines followed | ${logLines} |`,
        `| ps polls | ${polls} |`,
        `| RSS first → last | ${((first?.rssKiB ?? 0) / 1024).toFixed(1)} → ${((last?.rssKiB ?? 0) / 1024).toFixed(1)} MiB |`,
        `| RSS slope | ${rssSlope.toFixed(2)} MiB/min |`,
        `| open fds first → last | ${first?.fds} → ${last?.fds} |`,
        `| fd slope | ${fdSlope.toFixed(2)} /min |`,
      ].join('\n');
      console.log(`\n${table}\n`);
      if (REPORT) writeFileSync(REPORT, `${table}\n`);

      expect(d.proc.exitCode).toBeNull();
      expect(d.log()).not.toMatch(/unhandled|uncaught/i);
      expect(restartsInPs).toBeGreaterThan(0);
      expect(restartEvents).toBe(restartsInPs);
      if (logs) expect(logLines).toBeGreaterThan(0);
    },
    (SECONDS + 180) * 1000,
  );
});
