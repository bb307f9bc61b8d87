import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { Plugin } from 'esbuild';
import { defineConfig } from 'tsup';

/**
 * commander requires `node:child_process` at its top for executable subcommands, which orc never uses;
 * child_process drags net, dgram and friends in with it (~3 ms on every command). It gets a stand-in
 * that requires the real module if `spawn` is ever called.
 */
const lazyChildProcessForCommander: Plugin = {
  name: 'lazy-child-process-for-commander',
  setup(build) {
    build.onLoad({ filter: /[\\/]commander[\\/]lib[\\/]command\.js$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8');
      const eager = "const childProcess = require('node:child_process');";
      // A commander that no longer says it this way is bundled as it is (only slower): say so.
      if (!text.includes(eager))
        return { contents: text, loader: 'js', warnings: [{ text: `${eager} not found` }] };
      const lazy = "const childProcess = { spawn: (...a) => require('node:child_process').spawn(...a) };";
      return { contents: text.replace(eager, lazy), loader: 'js' };
    });
  },
};

/**
 * V8's code cache of the bundle (`dist/orc.js.cache`), read by bin/orc.js: compiled here once instead of
 * parsed on every command. Made by a plain `node` (the flags V8 checks must be those of a command) with
 * the wrapper node's own `require` uses, which bin/orc.js uses too.
 */
function writeCodeCache(bundle: string): void {
  const script = `
    const { readFileSync, writeFileSync } = require('node:fs');
    const vm = require('node:vm');
    const source = require('node:module').wrap(readFileSync(${JSON.stringify(bundle)}, 'utf8'));
    const cache = new vm.Script(source, { filename: ${JSON.stringify(bundle)} }).createCachedData();
    writeFileSync(${JSON.stringify(`${bundle}.cache`)}, cache);`;
  execFileSync(process.execPath, ['-e', script], { stdio: 'inherit' });
}

/**
 * One bundled CommonJS file keeps the CLI's start-up near node's own (issue 17, items 2 and 6; measured
 * side by side in docs/benchmarks.md, "CLI start-up"): no ESM loader (~5 ms of CPU on every command),
 * and node builtins required only when a command needs them (src/builtin.ts). The daemon is loaded only
 * by `orc daemon`, with a real `import()` (esbuild keeps it for an external in CommonJS output).
 */
export default defineConfig({
  // dist/hot.js: plain `ps`, `up` and `down` alone (src/hot-main.ts), run by bin/orc.js before the full bundle.
  entry: { orc: 'src/main.ts', hot: 'src/hot-main.ts' },
  format: ['cjs'],
  // The bundle keeps the name every script and the plugin wrapper know (dist/orc.js); dist/package.json
  // (written below) says it is CommonJS, in a package that is otherwise ESM.
  outExtension: () => ({ js: '.js' }),
  target: 'node20',
  platform: 'node',
  bundle: true,
  splitting: false,
  sourcemap: true,
  clean: true,
  external: ['@orc/daemon'],
  // commander is bundled too: resolving and wrapping a package at run time costs more than it weighs.
  // The exec frame codec is the daemon's (one codec for both ends), small and bundled in.
  noExternal: ['commander', '@orc/daemon/frames'],
  esbuildPlugins: [lazyChildProcessForCommander],
  // `import.meta.url` in CommonJS terms: the full bundle's path (dist/orc.js) in both bundles, as autostart
  // and the plugin's wrapper re-run it as `orc daemon` / `orc`, which only the full bundle serves.
  define: { 'import.meta.url': '__orcBundleUrl' },
  banner: {
    js: "'use strict';\nvar __orcBundleUrl = require('node:url').pathToFileURL(require('node:path').join(__dirname, 'orc.js')).href;",
  },
  async onSuccess() {
    writeFileSync('dist/package.json', '{ "type": "commonjs" }\n');
    writeCodeCache('dist/orc.js');
    writeCodeCache('dist/hot.js');
  },
});
