import { defineConfig } from 'tsup';

// One bundled file keeps `orc --version` fast; the daemon is loaded only by `orc daemon`.
export default defineConfig({
  entry: { orc: 'src/main.ts' },
  format: ['esm'],
  target: 'node20',
  platform: 'node',
  bundle: true,
  splitting: false,
  sourcemap: true,
  clean: true,
  external: ['@orc/daemon'],
});
