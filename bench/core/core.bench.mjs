#!/usr/bin/env node
/**
 * Daemon core benchmark on the real engine: generated stacks of 10 / 50 / 100 services through
 * `createCore()` — cold up, no-op re-apply, change one service, down — next to the engine floor: the
 * same containers created and started directly with dockerode, all in parallel. Prints a markdown
 * table; asserts nothing.
 *
 *   [ORC_PARALLELISM=8] node bench/core/core.bench.mjs [sizes=10,50,100] [no-op runs=5]
 *
 * Targets we report against: no-op re-apply of 100 services ≤ 100 ms; cold up ≤ 1.05 × the floor.
 * The core is bundled from its TypeScript sources with esbuild (npm packages stay in node_modules).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { bundleSources, root } from '../daemon/sources.mjs';

const SIZES = (process.argv[2] ?? '10,50,100').split(',').map(Number);
const NOOP_RUNS = Number(process.argv[3] ?? 5);
const IMAGE = process.env.ORC_FIXTURE_IMAGE ?? 'orc-fixture/busybox:1';
const PARALLELISM = Number(process.env.ORC_PARALLELISM ?? 8);

mkdirSync(join(root, '.orc-dev'), { recursive: true });
const work = mkdtempSync(join(root, '.orc-dev', 'bench-core-'));
const { createCore, desiredState, loadProject, createDockerClient } = await bundleSources(
  root,
  work,
  'core',
  [
    ['createCore', 'apps/daemon/src/verbs/core.ts'],
    ['desiredState, loadProject', 'packages/spec/src/index.ts'],
    ['createDockerClient', 'apps/daemon/src/engine/client.ts'],
  ],
);

/** A stack of `n` services: chains of four (so order matters), each exiting promptly on SIGTERM. */
function composeText(n, mode) {
  const lines = ['services:'];
  for (let i = 0; i < n; i++) {
    lines.push(
      `  s${i}:`,
      `    image: ${IMAGE}`,
      `    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 86400 & wait"]`,
      `    environment: { MODE: ${i === n - 1 ? mode : 'same'} }`,
    );
    if (i % 4 !== 0) lines.push(`    depends_on: [s${i - 1}]`);
  }
  return `${lines.join('\n')}\n`;
}

const source = (project, n, mode) => ({
  workingDir: `/tmp/${project}`,
  projectName: project,
  inline: [{ name: 'compose.yaml', content: composeText(n, mode) }],
  env: {},
});

async function timed(fn) {
  const t0 = performance.now();
  const r = await fn();
  return { ms: performance.now() - t0, r };
}

async function runOp(started) {
  const handle = await started;
  if (!('done' in handle)) throw new Error(JSON.stringify(handle.errors));
  const rec = await handle.done;
  if (rec.state !== 'succeeded') throw new Error(`${rec.kind} failed: ${rec.error?.message}`);
  return rec;
}

function cleanup(project) {
  const filter = `label=com.docker.compose.project=${project}`;
  const sh = (args) => execFileSync('docker', args, { encoding: 'utf8' }).split('\n').filter(Boolean);
  const quietly = (args) => {
    try {
      execFileSync('docker', args, { stdio: 'ignore' });
    } catch {
      // Already gone (a down that finished), or still held: the next cleanup gets it.
    }
  };
  const ids = sh(['ps', '-aq', '--filter', filter]);
  if (ids.length) quietly(['rm', '-f', ...ids]);
  const nets = sh(['network', 'ls', '-q', '--filter', filter]);
  if (nets.length) quietly(['network', 'rm', ...nets]);
}

/** The floor: the same create bodies, created and started straight through dockerode, all at once. */
async function floor(n) {
  const project = `orcb-floor-${n}-${process.pid}`;
  const docker = createDockerClient();
  const loaded = await loadProject(source(project, n, 'one'));
  const desired = desiredState(loaded.project);
  for (const net of desired.networks) await docker.createNetwork(net.create);
  try {
    const { ms } = await timed(() =>
      Promise.all(
        desired.services.flatMap((s) =>
          s.containers.map(async (c) => {
            const created = await docker.createContainer({ ...c.create, name: c.name });
            await created.start();
          }),
        ),
      ),
    );
    return ms;
  } finally {
    cleanup(project);
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const f = (ms) => `${ms.toFixed(0)} ms`;

const rows = [];
const stateDir = join(work, 'state');
for (const n of SIZES) {
  const project = `orcb-core-${n}-${process.pid}`;
  const core = createCore({ stateDir, supervise: false, parallelism: PARALLELISM });
  try {
    const floorMs = await floor(n);
    const cold = await timed(() => runOp(core.up(source(project, n, 'one'), {})));
    const noops = [];
    for (let i = 0; i < NOOP_RUNS; i++) {
      const r = await timed(() => runOp(core.up(source(project, n, 'one'), {})));
      if (r.r.plan.length) throw new Error(`re-apply was not a no-op: ${r.r.plan.join('; ')}`);
      noops.push(r.ms);
    }
    const change = await timed(() => runOp(core.up(source(project, n, 'two'), {})));
    const down = await timed(() => runOp(core.down({ name: project }, {})));
    rows.push({
      n,
      floorMs,
      cold: cold.ms,
      noop: median(noops),
      noopMin: Math.min(...noops),
      change: change.ms,
      down: down.ms,
    });
  } catch (err) {
    rows.push({ n, failed: err instanceof Error ? err.message : String(err) });
  } finally {
    await core.close();
    cleanup(project);
  }
}
rmSync(work, { recursive: true, force: true });

const engine = execFileSync(
  'docker',
  ['version', '--format', '{{.Server.Version}} (API {{.Server.APIVersion}})'],
  {
    encoding: 'utf8',
  },
).trim();
console.log(`\n### orc daemon core — engine ${engine}, ${process.version}, parallelism ${PARALLELISM}\n`);
console.log(
  '| services | engine floor (create+start, all parallel) | cold up | cold up / floor | no-op re-apply (median / min) | change one | down |',
);
console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const r of rows) {
  if (r.failed) {
    console.log(`| ${r.n} | failed: ${r.failed.replace(/\n/g, ' ')} | | | | | |`);
    continue;
  }
  console.log(
    `| ${r.n} | ${f(r.floorMs)} | ${f(r.cold)} | ${(r.cold / r.floorMs).toFixed(2)}× | ${f(r.noop)} / ${f(r.noopMin)} | ${f(r.change)} | ${f(r.down)} |`,
  );
}
console.log(
  '\nTargets: no-op re-apply of 100 services ≤ 100 ms; cold up ≤ 1.05 × floor (reported, not asserted).',
);
