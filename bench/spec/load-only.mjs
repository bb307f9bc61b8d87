#!/usr/bin/env node
/**
 * loadProject + desiredState alone on the 1,000-service file, 30 times, without the benchmark's
 * other steps (renderConfig, the bare `yaml` parse): the thing to run under `node --cpu-prof` and
 * summarise with bench/compare/cpuprofile.mjs.
 *
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof bench/spec/load-only.mjs
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { desiredState, loadProject } from '@orc/spec';
import { composeText } from './load.bench.mjs';

const dir = mkdtempSync(join(tmpdir(), 'orc-prof-'));
writeFileSync(join(dir, 'compose.yaml'), composeText(1000));
const times = [];
for (let i = 0; i < 30; i++) {
  const t0 = performance.now();
  const r = await loadProject({ workingDir: dir, env: { TAG: '1' }, projectName: 'bench' });
  const t1 = performance.now();
  desiredState(r.project);
  times.push([t1 - t0, performance.now() - t1]);
}
times.sort((a, b) => a[0] + a[1] - b[0] - b[1]);
console.log('median load, desired:', times[15].map((x) => x.toFixed(1)).join(', '));
