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
  // commander is bundled too: resolving and wrapping a CommonJS package at run time costs more than it weighs.
  // The exec frame codec is the daemon's (one codec for both ends), small and bundled in.
  noExternal: ['commander', '@orc/daemon/frames'],
  // ...and, being CommonJS, it requires node builtins: give the ESM bundle a `require` for them.
  banner: {
    js: "import { createRequire as __orcCreateRequire } from 'node:module';\nconst require = __orcCreateRequire(import.meta.url);",
  },
});
