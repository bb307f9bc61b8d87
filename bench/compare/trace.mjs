#!/usr/bin/env node
/**
 * Where the time of change-one, down and drift repair goes (issue 17, items 3 and 4): a recording proxy in
 * front of dockerd (a unix socket; the daemon and the floor both talk to the engine through it), so every
 * engine call of a step is listed with its start and duration, orc's beside the floor's.
 *
 *   node bench/compare/trace.mjs            (build first: npx turbo run build)
 *   ORC_TRACE_SIZE=10   stack size
 *   ORC_TRACE_REPS=2    traced cycles per tool (the first of each is printed in full, all in the summary)
 *   ORC_TRACE_NOOPS=5   no-op ups between orc's up and its change-one (as npm run bench does)
 *
 * Each timeline's t=0 is the step's start: the CLI's spawn for orc, the first call for the floor; for drift,
 * the old container's `destroy` event. Lines are `+start ms  duration ms  METHOD path`.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const work = mkdtempSync(join(tmpdir(), 'orcb-trace-'));
const proxySocket = join(work, 'engine.sock');
// The floor's dockerode client (engine.mjs) reads DOCKER_HOST when imported: set it first.
process.env.DOCKER_HOST = `unix://${proxySocket}`;
const { startDaemon } = await import('./daemon.mjs');
const { benchProjects, cleanupProject, docker, removeAndAwaitReplacement } = await import('./engine.mjs');
const { desiredOf, floorChangeOne, floorDown, floorUp } = await import('./floor.mjs');
const { changedService, composeText } = await import('./stack.mjs');
const { orcTool } = await import('./tools.mjs');

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = process.env.ORC_BENCH_ORC_BIN ?? join(root, 'apps/cli/bin/orc.js');
const size = Number(process.env.ORC_TRACE_SIZE ?? 10);
const reps = Number(process.env.ORC_TRACE_REPS ?? 2);
const noops = Number(process.env.ORC_TRACE_NOOPS ?? 5);
const prefix = `orcb-trace-${process.pid}`;
const log = (...a) => console.error(`[trace ${new Date().toISOString().slice(11, 19)}]`, ...a);

/** Every proxied call: who (engine or the orc API), method, path (query cut), start and end (performance.now()). */
const calls = [];

/** A recording HTTP proxy from `listenOn` to the unix socket `target()` (streams pass through as they come). */
function recordingProxy(who, listenOn, target) {
  const server = createServer((req, res) => {
    const call = { who, method: req.method, path: req.url.split('?')[0], start: performance.now() };
    calls.push(call);
    const up = request(
      { socketPath: target(), method: req.method, path: req.url, headers: req.headers },
      (ur) => {
        call.status = ur.statusCode;
        call.headers = performance.now();
        res.writeHead(ur.statusCode, ur.headers);
        // A stream (events, wait, progress) must reach the client before its first byte.
        res.flushHeaders();
        ur.pipe(res);
        ur.on('end', () => {
          call.end = performance.now();
        });
      },
    );
    up.on('error', (e) => {
      call.end = performance.now();
      res.destroy(e);
    });
    req.pipe(up);
  });
  return new Promise((r) => server.listen(listenOn, () => r(server)));
}
const proxy = await recordingProxy(
  'engine',
  proxySocket,
  () => process.env.ORC_TRACE_ENGINE ?? '/var/run/docker.sock',
);
// The CLI reaches the daemon through this one: its requests show on the same clock.
const apiSocket = join(work, 'api.sock');
let daemonSocket = '';
const apiProxy = await recordingProxy('api', apiSocket, () => daemonSocket);

// The event stream, health polls and the lease are not the step's work.
const noise = (c) => c.path.endsWith('/events') || c.path.endsWith('/_ping');
function timeline(t0, t1) {
  return calls
    .filter((c) => c.start >= t0 - 1 && c.start <= t1 && !noise(c))
    .map((c) => {
      const path = c.path.replace(/^\/v1\.\d+/, '').replace(/[0-9a-f]{64}/g, (id) => id.slice(0, 12));
      const dur = c.end !== undefined ? (c.end - c.start).toFixed(0) : 'open';
      const who = c.who === 'api' ? 'orc API' : '';
      return `  +${(c.start - t0).toFixed(0).padStart(5)}  ${dur.padStart(5)}  ${who.padEnd(7)} ${c.method} ${path}${c.status >= 300 ? ` (${c.status})` : ''}`;
    });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const summary = { orc: { change: [], down: [] }, floor: { change: [], down: [] }, drift: [] };
const show = (s) => console.log(`${s.label}: ${s.ms.toFixed(0)} ms\n${s.lines.join('\n')}\n`);

async function measure(label, fn) {
  const t0 = performance.now();
  await fn();
  const t1 = performance.now();
  // Calls still finishing are counted: wait for the proxy to see their ends.
  await sleep(50);
  return { t0, t1, lines: timeline(t0, t1), ms: t1 - t0, label };
}

let daemon;
try {
  daemon = await startDaemon(bin, work, { env: { DOCKER_HOST: `unix://${proxySocket}` } });
  daemonSocket = daemon.env.ORC_HOST.slice('unix://'.length);
  const orc = orcTool(bin, { ...daemon.env, ORC_HOST: `unix://${apiSocket}` });
  for (let rep = 0; rep < reps; rep++) {
    for (const who of rep % 2 ? ['floor', 'orc'] : ['orc', 'floor']) {
      const project = `${prefix}-${who}-${rep}`;
      log(`${who}, rep ${rep + 1}/${reps}`);
      const dir = join(work, project);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'compose.yaml'), composeText(size, 'one'));
      try {
        let change;
        let down;
        if (who === 'orc') {
          await orc.run(project, dir, ['up', '-d']);
          // The bench's no-op ups come before its change-one: they leave the daemon's observed cache filled.
          for (let i = 0; i < noops; i++) await orc.run(project, dir, ['up', '-d']);
          await sleep(1500);
          writeFileSync(join(dir, 'compose.yaml'), composeText(size, 'two'));
          change = await measure(`orc change one (${size})`, () => orc.run(project, dir, ['up', '-d']));
          await sleep(1500);
          down = await measure(`orc down (${size})`, () => orc.run(project, dir, ['down']));
        } else {
          const d1 = await desiredOf(project, dir, composeText(size, 'one'));
          const d2 = await desiredOf(project, dir, composeText(size, 'two'));
          await floorUp(d1);
          await sleep(1500);
          change = await measure(`floor change one (${size})`, () => floorChangeOne(d2, size));
          await sleep(1500);
          down = await measure(`floor down (${size})`, () => floorDown(d2));
        }
        summary[who].change.push(change.ms);
        summary[who].down.push(down.ms);
        if (rep === 0) {
          show(change);
          show(down);
        }
      } finally {
        await cleanupProject(project).catch(() => {});
      }
    }
  }
  // Drift: rm -f of the changed leaf; t=0 is its destroy event.
  for (let rep = 0; rep < reps; rep++) {
    const project = `${prefix}-drift-${rep}`;
    const dir = join(work, project);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'compose.yaml'), composeText(size, 'one'));
    try {
      await orc.run(project, dir, ['up', '-d']);
      await sleep(2000);
      const service = changedService(size);
      const removed = await removeAndAwaitReplacement(project, service);
      const { sent: tRm, started } = removed;
      const gone = removed.gone ?? tRm;
      await sleep(50);
      summary.drift.push({ total: started - tRm, orc: started - gone });
      if (rep === 0)
        show({
          label: `drift repair (${size}): t=0 is rm -f sent; destroy event at +${(gone - tRm).toFixed(0)}, replacement started at +${(started - tRm).toFixed(0)}`,
          lines: timeline(tRm, started),
          ms: started - tRm,
        });
      await orc.run(project, dir, ['down']);
    } finally {
      await cleanupProject(project).catch(() => {});
    }
  }
} finally {
  if (daemon) await daemon.stop();
  for (const p of await benchProjects(prefix).catch(() => [])) await cleanupProject(p).catch(() => {});
  proxy.close();
  apiProxy.close();
  docker.modem?.agent?.destroy?.();
}

const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(
  `load avg ${loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')} · ${size} services · ${reps} reps\n`,
);
const f = (xs) => xs.map((x) => x.toFixed(0)).join(', ');
console.log(
  `change one: orc ${f(summary.orc.change)} · floor ${f(summary.floor.change)} (median ratio ${(med(summary.orc.change) / med(summary.floor.change)).toFixed(2)}×)`,
);
console.log(
  `down: orc ${f(summary.orc.down)} · floor ${f(summary.floor.down)} (median ratio ${(med(summary.orc.down) / med(summary.floor.down)).toFixed(2)}×)`,
);
console.log(
  `drift: rm -f → started ${f(summary.drift.map((d) => d.total))} · destroy → started ${f(summary.drift.map((d) => d.orc))}`,
);
rmSync(work, { recursive: true, force: true });
// Keep-alive sockets of the proxies would hold the process open.
process.exit(0);
