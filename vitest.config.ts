import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (p: string) => fileURLToPath(new URL(p, import.meta.url));

// Tests run against the sources, not dist/, so a test never sees a stale build.
const alias = {
  '@orc/spec': src('./packages/spec/src/index.ts'),
  // Before '@orc/daemon': a prefix alias would take the subpath too.
  '@orc/daemon/frames': src('./apps/daemon/src/contract/frames.ts'),
  '@orc/daemon': src('./apps/daemon/src/index.ts'),
};

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'unit',
          // vitest 4 groups projects that differ in maxWorkers; each group needs its own order.
          sequence: { groupOrder: 0 },
          include: ['packages/*/src/**/*.test.ts', 'apps/*/src/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'integration',
          sequence: { groupOrder: 1 },
          include: ['test/**/*.test.ts', 'apps/*/test/**/*.test.ts', 'packages/*/test/**/*.test.ts'],
          exclude: ['**/node_modules/**', 'apps/daemon/test/disruptive/**', 'test/cluster/**'],
          globalSetup: ['./test/setup/global-setup.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // Two cores: more parallel files only make the engine the bottleneck and timing-sensitive tests flaky.
          maxWorkers: 2,
        },
      },
      {
        resolve: { alias },
        test: {
          // Swarm target (issue 15) on a 3-node lab of private dockerds (scripts/swarm-lab.sh), never the
          // shared engine; run after the integration project (`scripts/test.sh`, `npm run test:cluster`).
          name: 'cluster',
          sequence: { groupOrder: 2 },
          include: ['test/cluster/**/*.test.ts'],
          globalSetup: ['./test/setup/cluster-setup.ts'],
          environment: 'node',
          testTimeout: 180_000,
          hookTimeout: 180_000,
          maxWorkers: 1,
        },
      },
      {
        resolve: { alias },
        test: {
          // Tests that take the engine down (a dockerd restart): every other test would fail meanwhile, so
          // they run alone, after the rest (`scripts/test.sh`), never in the default run.
          name: 'disruptive',
          sequence: { groupOrder: 3 },
          include: ['apps/daemon/test/disruptive/**/*.test.ts'],
          globalSetup: ['./test/setup/global-setup.ts'],
          environment: 'node',
          testTimeout: 300_000,
          hookTimeout: 300_000,
          maxWorkers: 1,
        },
      },
    ],
  },
});
