#!/usr/bin/env node
// CommonJS (bin/package.json): starting with `require` keeps node's ESM loader out of every command.
'use strict';

/**
 * `orc --version` answered before the bundle is even read (issue 17: ~120 ms median beside `node -e 0`
 * 88 ms in the lead's bench; reading and running the 270 KB bundle is most of the difference). The same
 * constant as src/version.ts (bin.test.ts holds them equal). Only the plain line: as a docker CLI
 * plugin (ORC_INVOKED_AS) the bundle reads the invocation and answers as compose.
 */
const VERSION = '0.1.0';

/** True when the line was the plain version question and is answered. */
function answeredVersion() {
  const args = process.argv;
  if (args.length !== 3 || (args[2] !== '--version' && args[2] !== '-v')) return false;
  // As a docker CLI plugin, or told to stand in for compose, the bundle answers (as compose).
  if (process.env.ORC_INVOKED_AS || process.env.ORC_AS_COMPOSE) return false;
  // `orc --version | true`: a reader that went away is not an error of ours (as in src/main.ts).
  process.stdout.on('error', (err) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
  process.stdout.write(`${VERSION}\n`);
  return true;
}

const { readFileSync } = require('node:fs');
const { dirname, join } = require('node:path');
// This module's own class is node's Module: `require('node:module')` would load node's public module API
// (and with it the ESM loader's and source maps' modules) for nothing.
const Module = module.constructor;

const dist = join(__dirname, '..', 'dist');
const bundle = join(dist, 'orc.js');
const hotBundle = join(dist, 'hot.js');

/**
 * Runs a bundle compiled from the V8 code cache the build wrote beside it (tsup.config.ts): parsing and
 * compiling it is a large part of the CLI's own start-up (docs/benchmarks.md, "CLI start-up"). V8 refuses
 * a cache made by another node or for another text, and the bundle then compiles as usual. Its exports,
 * or undefined when there is no cache (or ORC_CODE_CACHE=0 turns it off, to measure it).
 */
function runCached(file) {
  if (process.env.ORC_CODE_CACHE === '0') return undefined;
  let cachedData;
  try {
    cachedData = readFileSync(`${file}.cache`);
  } catch {
    return undefined;
  }
  const { Script } = require('node:vm');
  const script = new Script(Module.wrap(readFileSync(file, 'utf8')), { filename: file, cachedData });
  const mod = new Module(file, module);
  mod.filename = file;
  mod.paths = Module._nodeModulePaths(dirname(file));
  const main = script.runInThisContext();
  main.call(mod.exports, mod.exports, Module.createRequire(file), mod, file, dirname(file));
  return mod.exports;
}

/**
 * The full bundle (src/main.ts: every command, commander). Not from the cache for `orc daemon`: on Node 20
 * an `import()` in a script compiled from a cache finds no loader, and the daemon is the bundle's one
 * `import()` (an ES module); its start-up does not matter anyway.
 */
function runFull() {
  if (process.argv.includes('daemon') || !runCached(bundle)) require(bundle);
}

/**
 * A line that names `ps` or `up` first goes to the hot bundle (src/hot-main.ts: those two commands in their
 * plain forms, without commander or the other commands: ~70 KB instead of ~300 KB); it answers false for
 * any other line, which the full bundle then reads as before. ORC_HOT_BUNDLE=0 skips it (to measure it).
 */
function runHot() {
  if (process.env.ORC_HOT_BUNDLE === '0') return false;
  const args = process.argv;
  if (!args.includes('ps') && !args.includes('up')) return false;
  const hot = runCached(hotBundle) ?? require(hotBundle);
  hot.run(args).then(
    (done) => {
      if (!done) runFull();
    },
    (err) => {
      // As src/main.ts: what escapes is a bug, said in one line (the stack with --debug).
      process.stderr.write(
        `orc: ${args.includes('--debug') && err instanceof Error ? err.stack : String(err)}\n`,
      );
      process.exit(1);
    },
  );
  return true;
}

if (!answeredVersion() && !runHot()) runFull();
