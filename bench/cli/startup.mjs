#!/usr/bin/env node
// Wall time of `orc --version` and `orc ps` (the built binary), min/median of N runs, beside node's own
// start as a baseline. Prints a table; never asserts (targets: --version <= 100 ms, ps <= 200 ms).
//   node bench/cli/startup.mjs [runs]
// Needs `npx turbo run build`. `orc ps` needs a daemon at ORC_HOST (it is reported as skipped otherwise).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = `${root}node_modules/.bin/orc`;
const isMain = process.argv[1] === fileURLToPath(import.meta.url);
const runs = Number((isMain && process.argv[2]) || 20);
if (isMain && !existsSync(bin)) {
  console.error(`${bin} is missing: run \`npx turbo run build\` first`);
  process.exit(1);
}

/**
 * Runs `cmd args` `count` times (after one warm-up); min and median wall ms, or the failing exit code.
 * Exported (with `count`) for bench/run.mjs, which gathers every benchmark into one report.
 */
export function measure(label, cmd, args, target, env = {}, count = runs) {
  const opts = { cwd: `${root}examples/demo`, env: { ...process.env, ...env }, stdio: 'pipe' };
  const samples = [];
  for (let i = 0; i <= count; i++) {
    const start = process.hrtime.bigint();
    const r = spawnSync(cmd, args, opts);
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (r.status !== 0) return [label, '-', '-', target, `skipped: exit ${r.status}`];
    if (i > 0) samples.push(ms);
  }
  samples.sort((a, b) => a - b);
  const median = samples[Math.floor(samples.length / 2)];
  const verdict = target === '-' ? '' : median <= target ? 'within target' : 'over target';
  return [label, samples[0].toFixed(1), median.toFixed(1), target, verdict];
}

/**
 * Runs each of `commands` (`{ label, cmd, args, env }`) `count` times, interleaved (one of each in turn,
 * after one warm-up round), so that a baseline and its subject see the same load on a shared machine;
 * returns the wall ms samples by label. Throws when a command fails.
 */
export function interleaved(commands, count, cwd = `${root}examples/demo`) {
  const samples = Object.fromEntries(commands.map((c) => [c.label, []]));
  for (let i = 0; i <= count; i++)
    for (const c of commands) {
      const start = process.hrtime.bigint();
      const r = spawnSync(c.cmd, c.args, {
        cwd: c.cwd ?? cwd,
        env: { ...process.env, ...c.env },
        stdio: 'pipe',
      });
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (r.status !== 0)
        throw new Error(`${c.label} exited ${r.status}: ${r.stderr.toString().slice(-500)}`);
      if (i > 0) samples[c.label].push(ms);
    }
  return samples;
}

export { bin as orcBin };

if (isMain) printTable();

function printTable() {
  const rows = [
    measure('node -e 0 (baseline)', process.execPath, ['-e', '0'], '-'),
    measure('orc --version', bin, ['--version'], 100),
    measure('orc ps', bin, ['ps'], 200, { ORC_NO_AUTOSTART: '1' }),
  ];
  const table = [['command', 'min ms', 'median ms', 'target ms', ''], ...rows];
  const widths = table[0].map((_, i) => Math.max(...table.map((row) => String(row[i]).length)));
  console.log(`orc CLI startup: ${runs} runs each, node ${process.version}, ${new Date().toISOString()}`);
  for (const row of table)
    console.log(
      row
        .map((c, i) => String(c).padEnd(widths[i]))
        .join('  ')
        .trimEnd(),
    );
}
