#!/usr/bin/env node
/**
 * Where orc's time goes on one stack, for the misses bench/run.mjs reports: the daemon runs under
 * node --cpu-prof, the CLI of one no-op up too, and each step's wall time is printed beside the daemon's
 * CPU time spent in it (wall − CPU ≈ waiting on the engine). Profiles land in the given directory (open
 * them in Chrome DevTools or summarise them with bench/compare/cpuprofile.mjs).
 *
 *   node bench/profile.mjs [services=100] [dir=bench/results/profile]
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpuSeconds, startDaemon } from './compare/daemon.mjs';
import { cleanupProject, docker } from './compare/engine.mjs';
import { composeText } from './compare/stack.mjs';
import { orcTool } from './compare/tools.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const n = Number(process.argv[2] ?? 100);
const profDir = resolve(process.argv[3] ?? join(root, 'bench/results/profile'));
const bin = join(root, 'apps/cli/bin/orc.js');
mkdirSync(profDir, { recursive: true });
const work = mkdtempSync(join(tmpdir(), 'orcb-prof-'));
const project = `orcb-prof-${process.pid}`;
const dir = join(work, project);
mkdirSync(dir);
writeFileSync(join(dir, 'compose.yaml'), composeText(n, 'one'));

const daemon = await startDaemon(bin, work, { profDir });
const orc = orcTool(bin, daemon.env);
const rows = [];
// Step windows on the monotonic clock V8 stamps its profiles with (µs), to slice the daemon's profile.
const windows = [];
const nowUs = () => Number(process.hrtime.bigint() / 1000n);
async function step(label, args) {
  const cpu0 = cpuSeconds(daemon.pid);
  const start = nowUs();
  const wall = await orc.run(project, dir, args);
  windows.push({ label, start, end: nowUs() });
  rows.push([label, wall, (cpuSeconds(daemon.pid) - cpu0) * 1000]);
}
try {
  await step('cold up -d', ['up', '-d']);
  for (let i = 1; i <= 5; i++) await step(`no-op up -d #${i}`, ['up', '-d']);
  // One no-op through a profiled CLI: how much of the wall time is the CLI's own.
  const cli = spawnSync(
    process.execPath,
    [
      '--cpu-prof',
      '--cpu-prof-dir',
      profDir,
      bin,
      '-p',
      project,
      '-f',
      join(dir, 'compose.yaml'),
      'up',
      '-d',
    ],
    {
      cwd: dir,
      env: { ...process.env, ...daemon.env, ORC_NO_AUTOSTART: '1' },
    },
  );
  if (cli.status !== 0) throw new Error(cli.stderr.toString());
  writeFileSync(join(dir, 'compose.yaml'), composeText(n, 'two'));
  await step('change one, up -d', ['up', '-d']);
  await step('down', ['down']);
} finally {
  // The daemon first (it would re-create what a project it keeps is missing), then the engine.
  await daemon.stop();
  await cleanupProject(project).catch((e) => console.error(`cleanup ${project}: ${e.message}`));
  rmSync(work, { recursive: true, force: true });
  docker.modem?.agent?.destroy?.();
}
console.log(`| step (${n} services) | wall ms | daemon CPU ms |\n| --- | ---: | ---: |`);
for (const [label, wall, cpu] of rows) console.log(`| ${label} | ${wall.toFixed(0)} | ${cpu.toFixed(0)} |`);
writeFileSync(join(profDir, 'windows.json'), `${JSON.stringify(windows, null, 2)}\n`);
console.log(`\nprofiles and step windows (windows.json): ${profDir}`);
