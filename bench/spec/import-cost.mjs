#!/usr/bin/env node
/**
 * What importing @orc/spec costs a process (the daemon pays it at start), beside another build of it
 * and beside `node` alone: each sample is a new `node` that imports the build, then loads a small valid
 * project, and reports its own CPU time (user + sys, start-up included) and peak RSS. Runs alternate,
 * so the machine's load falls on every column alike. Prints min / median; asserts nothing.
 *
 *   node bench/spec/import-cost.mjs <other build of packages/spec/dist> [runs=15]
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [otherDir, runsArg] = process.argv.slice(2);
if (!otherDir) {
  console.error('usage: node bench/spec/import-cost.mjs <other build of packages/spec/dist> [runs]');
  process.exit(2);
}
const RUNS = Number(runsArg || 15);
const here = new URL('../../packages/spec/dist/index.js', import.meta.url).href;
const builds = [
  ['node alone', undefined],
  ['before', pathToFileURL(resolve(otherDir, 'index.js')).href],
  ['after', here],
];
// The child reports after the import and after one load of a valid file: whether `yaml` was compiled
// is what the lazy import changes.
const child = (url) => `
const report = (step) => {
  const c = process.cpuUsage();
  return { step, cpu: (c.user + c.system) / 1000, rss: process.resourceUsage().maxRSS / 1024 };
};
const out = [];
${
  url
    ? `const spec = await import(${JSON.stringify(url)});
out.push(report('import'));
const r = await spec.loadProject({ inline: [{ content: 'services:\\n  web:\\n    image: nginx\\n    ports: ["80"]\\n' }], workingDir: process.cwd(), projectName: 'p' });
if (!r.ok) throw new Error('load failed');
spec.desiredState(r.project);
out.push(report('import + one load'));`
    : `out.push(report('import'), report('import + one load'));`
}
process.stdout.write(JSON.stringify(out));
`;
const samples = new Map();
for (let r = -1; r < RUNS; r++) {
  const order = r % 2 === 0 ? builds : [...builds].reverse();
  for (const [name, url] of order) {
    const p = spawnSync(process.execPath, ['--input-type=module', '-e', child(url)], { encoding: 'utf8' });
    if (p.status !== 0) throw new Error(`${name}: ${p.stderr}`);
    if (r < 0) continue;
    for (const s of JSON.parse(p.stdout)) {
      const k = `${name}\t${s.step}`;
      if (!samples.has(k)) samples.set(k, { cpu: [], rss: [] });
      samples.get(k).cpu.push(s.cpu);
      samples.get(k).rss.push(s.rss);
    }
  }
}
const minMed = (a) => {
  const s = [...a].sort((x, y) => x - y);
  return `${s[0].toFixed(1)} / ${s[s.length >> 1].toFixed(1)}`;
};
console.log(
  `# importing @orc/spec in a new process (${RUNS} runs each, alternating; node ${process.version})\n`,
);
console.log('| build | step | process CPU ms (min / median) | peak RSS MiB (min / median) |');
console.log('| --- | --- | ---: | ---: |');
for (const [k, v] of samples) {
  const [name, step] = k.split('\t');
  console.log(`| ${name} | ${step} | ${minMed(v.cpu)} | ${minMed(v.rss)} |`);
}
