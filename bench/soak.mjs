#!/usr/bin/env node
/**
 * `npm run bench:soak`: the daemon under a long soak (issue 16 item 5), reported, never asserted as a
 * speed. It runs the soak test (apps/daemon/test/soak.test.ts, which the suite runs for 2 minutes) for
 * ORC_SOAK_SECONDS (default 1800) with ORC_SOAK_CONTAINERS (default 50) crash-looping containers, and
 * writes its table (restarts in events vs ps, log lines followed, RSS and fd slopes) to
 * bench/results/soak.md.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const report = join(root, 'bench/results/soak.md');
mkdirSync(join(root, 'bench/results'), { recursive: true });
const env = {
  ...process.env,
  ORC_SOAK_SECONDS: process.env.ORC_SOAK_SECONDS ?? '1800',
  ORC_SOAK_CONTAINERS: process.env.ORC_SOAK_CONTAINERS ?? '50',
  ORC_SOAK_REPORT: report,
};
const r = spawnSync('npx', ['vitest', 'run', '--project', 'integration', 'apps/daemon/test/soak.test.ts'], {
  cwd: root,
  env,
  stdio: 'inherit',
});
console.log(readFileSync(report, 'utf8'));
process.exit(r.status ?? 1);
