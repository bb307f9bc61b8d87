#!/usr/bin/env node
// Summarises a .cpuprofile: self time by source (package or file) and the top functions by self time.
//   node bench/compare/cpuprofile.mjs FILE [top=12] [windows.json LABEL-PREFIX]
// With a windows.json from bench/profile.mjs, only samples inside the windows whose label starts with
// LABEL-PREFIX count (e.g. `no-op` for the no-op ups).
import { readFileSync } from 'node:fs';

/** A package (`node_modules/@scope/name`), node's internals, the file's last path parts, or a V8 pseudo-frame. */
function sourceOf(cf) {
  if (cf.url.includes('node_modules/')) {
    const [first, second] = cf.url.split('node_modules/').pop().split('/');
    return `node_modules/${first.startsWith('@') ? `${first}/${second}` : first}`;
  }
  if (cf.url.startsWith('node:')) return 'node: internals';
  return cf.url ? cf.url.split('/').slice(-3).join('/') : cf.functionName;
}

const p = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const dt = p.timeDeltas;
const self = new Map();
const windows = process.argv[4]
  ? JSON.parse(readFileSync(process.argv[4], 'utf8')).filter((w) => w.label.startsWith(process.argv[5] ?? ''))
  : undefined;
let at = p.startTime;
let inWindows = 0;
for (let i = 0; i < p.samples.length; i++) {
  at += dt[i] ?? 0;
  if (windows && !windows.some((w) => at >= w.start && at <= w.end)) continue;
  inWindows += dt[i] ?? 0;
  self.set(p.samples[i], (self.get(p.samples[i]) ?? 0) + (dt[i] ?? 0));
}
const total = (p.endTime - p.startTime) / 1000;
const agg = new Map();
const byUrl = new Map();
for (const [id, us] of self) {
  const n = byId.get(id);
  const cf = n.callFrame;
  const k = `${cf.functionName || '(anon)'} ${cf.url.split('/').slice(-2).join('/')}:${cf.lineNumber}`;
  agg.set(k, (agg.get(k) ?? 0) + us);
  const u = sourceOf(cf);
  byUrl.set(u, (byUrl.get(u) ?? 0) + us);
}
console.log(
  `profile span ${total.toFixed(0)} ms; ${(inWindows / 1000).toFixed(0)} ms sampled in the windows chosen`,
);
console.log('by source:');
for (const [k, v] of [...byUrl].sort((a, b) => b[1] - a[1]).slice(0, +(process.argv[3] ?? 12)))
  console.log(`  ${(v / 1000).toFixed(1)} ms  ${k}`);
console.log('top self:');
for (const [k, v] of [...agg].sort((a, b) => b[1] - a[1]).slice(0, +(process.argv[3] ?? 12)))
  console.log(`  ${(v / 1000).toFixed(1)} ms  ${k}`);
