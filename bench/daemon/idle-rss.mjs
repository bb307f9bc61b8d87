#!/usr/bin/env node
/**
 * An idle daemon with no project, side by side: each tree's daemon started as the bench starts it
 * (bench/compare/daemon.mjs), left alone for a settle time, then RSS sampled each second and CPU over the
 * window; the trees alternate rep by rep on the same (shared) machine. No engine objects are made.
 *
 *   node bench/daemon/idle-rss.mjs [reps=3] [seconds=20] [settle=35] -- label=/tree/apps/cli/bin/orc.js ...
 *
 * The settle time covers the heap trim's first run (apps/daemon/src/heap-trim.ts: quiet for 2 s, at most
 * one per 30 s). Target (issue 17, item 5) is with 200 containers: this is the floor under it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { sampleIdle, startDaemon } from '../compare/daemon.mjs';

const sep = process.argv.indexOf('--');
const [reps = 3, seconds = 20, settle = 35] = process.argv.slice(2, sep < 0 ? undefined : sep).map(Number);
const trees = process.argv.slice(sep + 1).map((a) => {
  const i = a.indexOf('=');
  return { label: a.slice(0, i), bin: a.slice(i + 1) };
});
if (sep < 0 || trees.length === 0) {
  console.error('usage: idle-rss.mjs [reps] [seconds] [settle] -- label=/path/apps/cli/bin/orc.js ...');
  process.exit(2);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rows = [];
for (let r = 0; r < reps; r++) {
  for (const t of r % 2 === 0 ? trees : [...trees].reverse()) {
    const dir = mkdtempSync(join(tmpdir(), 'orc-idle-rss-'));
    const d = await startDaemon(t.bin, dir);
    try {
      await sleep(settle * 1000);
      const s = await sampleIdle(d.pid, seconds);
      const row = {
        tree: t.label,
        rep: r + 1,
        min: Math.min(...s.rssMiB),
        median: median(s.rssMiB),
        max: Math.max(...s.rssMiB),
        cpu: s.cpuPercent,
      };
      rows.push(row);
      console.error(JSON.stringify(row));
    } finally {
      await d.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }
}
console.log('| tree | rep | RSS min / median / max MiB | CPU % |');
console.log('| --- | ---: | ---: | ---: |');
for (const r of rows)
  console.log(
    `| ${r.tree} | ${r.rep} | ${r.min.toFixed(1)} / ${r.median.toFixed(1)} / ${r.max.toFixed(1)} | ${r.cpu.toFixed(2)} |`,
  );
for (const t of trees) {
  const mine = rows.filter((r) => r.tree === t.label);
  console.log(
    `${t.label}: median of medians ${median(mine.map((r) => r.median)).toFixed(1)} MiB, max ${Math.max(...mine.map((r) => r.max)).toFixed(1)} MiB`,
  );
}
