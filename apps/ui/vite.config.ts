import { defineConfig } from 'vite';

// Plain TypeScript, no framework: the page is a few tables and a picture. Everything is bundled into
// dist/ (one script, one stylesheet), served by the daemon from memory; nothing is fetched from elsewhere.
export default defineConfig({
  base: '/',
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    target: 'es2022',
    sourcemap: false,
    modulePreload: { polyfill: false },
    reportCompressedSize: true,
  },
});
