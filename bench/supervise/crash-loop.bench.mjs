#!/usr/bin/env node
/**
 * The daemon's CPU while containers crash-loop, on the real engine, through `createCore()`.
 * Scenarios (each: N services whose command exits at once, watched for a fixed window):
 *   - deploy.restart_policy (any, delay 0) with the default backoff (floor 100 ms, doubling, cap 60 s);
 *   - the same with the backoff pinned at its floor (cap = 100 ms): the worst the daemon allows;
 *   - `restart: always`: the engine restarts, the daemon only sees the events.
 * Prints a markdown table: daemon CPU (user+system over wall time), restarts, events and repair passes.
 * Asserts nothing.
 *
 *   node bench/supervise/crash-loop.bench.mjs [services=5] [window seconds=20]
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { bundleSources, root } from '../daemon/sources.mjs';

const N = Number(process.argv[2] ?? 5);
const WINDOW_S = Number(process.argv[3] ?? 20);
const IMAGE = process.env.ORC_FIXTURE_IMAGE ?? 'orc-fixture/busybox:1';

mkdirSync(join(root, '.orc-dev'), { recursive: true });
const work = mkdtempSync(join(root, '.orc-dev', 'bench-supervise-'));
const { createCore } = await bundleSources(root, work, 'core', [
  ['createCore', 'apps/daemon/src/verbs/core.ts'],
]);

function composeText(kind) {
  const lines = ['services:'];
  for (let i = 0; i < N; i++) {
    lines.push(`  crash${i}:`, `    image: ${IMAGE}`, `    command: ["sh", "-c", "exit 1"]`);
    if (kind === 'engine') lines.push('    restart: always');
    else lines.push('    deploy:', '      restart_policy:', '        condition: any', '        delay: 0s');
  }
  return lines.join('\n');
}

function removeProject(project) {
  const ids = execFileSync('docker', ['ps', '-aq', '--filter', `label=com.docker.compose.project=${project}`])
    .toString()
    .split('\n')
    .filter(Boolean);
  if (ids.length) execFileSync('docker', ['rm', '-f', ...ids], { stdio: 'ignore' });
  const nets = execFileSync('docker', [
    'network',
    'ls',
    '-q',
    '--filter',
    `label=com.docker.compose.project=${project}`,
  ])
    .toString()
    .split('\n')
    .filter(Boolean);
  if (nets.length) execFileSync('docker', ['network', 'rm', ...nets], { stdio: 'ignore' });
}

async function scenario(label, kind, restartBackoff) {
  const project = `orcb-crash-${kind}-${process.pid}`;
  const stateDir = mkdtempSync(join(work, 'state-'));
  const core = createCore({ stateDir, ...(restartBackoff ? { restartBackoff } : {}) });
  await core.internals.ready;
  const ac = new AbortController();
  const counts = { restart: 0, die: 0, repair: 0, events: 0 };
  const listening = (async () => {
    for await (const e of core.events({ project }, ac.signal)) {
      counts.events++;
      if (e.type === 'restart' && e.action === 'restart') counts.restart++;
      if (e.type === 'container' && e.action === 'die') counts.die++;
      if (e.type === 'repair') counts.repair++;
    }
  })();
  try {
    const handle = await core.up(
      {
        workingDir: `/tmp/${project}`,
        projectName: project,
        inline: [{ name: 'compose.yaml', content: composeText(kind) }],
        env: {},
      },
      {},
    );
    if (!('done' in handle)) throw new Error(JSON.stringify(handle.errors));
    await handle.done;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const before = { ...counts };
    await new Promise((r) => setTimeout(r, WINDOW_S * 1000));
    const cpu = process.cpuUsage(cpu0);
    const wall = performance.now() - t0;
    const engineRestarts = execFileSync('docker', [
      'ps',
      '-aq',
      '--filter',
      `label=com.docker.compose.project=${project}`,
    ])
      .toString()
      .split('\n')
      .filter(Boolean)
      .map((id) =>
        Number(execFileSync('docker', ['inspect', '--format', '{{.RestartCount}}', id]).toString()),
      )
      .reduce((a, b) => a + b, 0);
    return {
      label,
      cpuPct: ((cpu.user + cpu.system) / 1000 / wall) * 100,
      cpuMsPerS: (cpu.user + cpu.system) / 1000 / (wall / 1000),
      daemonRestarts: counts.restart - before.restart,
      deaths: counts.die - before.die,
      repairs: counts.repair - before.repair,
      events: counts.events - before.events,
      engineRestarts,
    };
  } finally {
    ac.abort();
    await listening.catch(() => undefined);
    const down = await core.down({ name: project }, { timeoutSeconds: 0 });
    await down.done;
    await core.close();
    removeProject(project);
    rmSync(stateDir, { recursive: true, force: true });
  }
}

const rows = [];
try {
  rows.push(await scenario('deploy.restart_policy, default backoff (100 ms → 60 s)', 'deploy'));
  rows.push(
    await scenario('deploy.restart_policy, backoff pinned at 100 ms', 'deploy', {
      floorMs: 100,
      capMs: 100,
      resetAfterMs: 10_000,
    }),
  );
  rows.push(await scenario('restart: always (engine restarts)', 'engine'));
} finally {
  rmSync(work, { recursive: true, force: true });
}

console.log(
  `\n### Daemon CPU during a crash loop (${N} services exiting at once, ${WINDOW_S} s window, ${process.version})\n`,
);
console.log(
  '| scenario | daemon CPU % of one core | CPU ms / s | deaths seen | daemon restarts | engine restarts (total) | repair passes | events |',
);
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const r of rows) {
  console.log(
    `| ${r.label} | ${r.cpuPct.toFixed(1)} | ${r.cpuMsPerS.toFixed(1)} | ${r.deaths} | ${r.daemonRestarts} | ${r.engineRestarts} | ${r.repairs} | ${r.events} |`,
  );
}
