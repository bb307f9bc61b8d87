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
const Module = require('node:module');
const { dirname, join } = require('node:path');

const bundle = join(__dirname, '..', 'dist', 'orc.js');

/**
 * Runs the bundle compiled from the V8 code cache the build wrote beside it (tsup.config.ts): parsing and
 * compiling 270 KB is a large part of the CLI's own start-up (docs/benchmarks.md, "CLI start-up"). V8
 * refuses a cache made by another node or for another text, and the bundle then compiles as usual.
 * Not for `orc daemon`: on Node 20 an `import()` in a script compiled from a cache finds no loader, and
 * the daemon is the bundle's one `import()` (an ES module); its start-up does not matter anyway.
 * ORC_CODE_CACHE=0 turns the cache off (to measure it).
 */
function runCached() {
  if (process.env.ORC_CODE_CACHE === '0' || process.argv.includes('daemon')) return false;
  let cachedData;
  try {
    cachedData = readFileSync(`${bundle}.cache`);
  } catch {
    return false;
  }
  const { Script } = require('node:vm');
  const script = new Script(Module.wrap(readFileSync(bundle, 'utf8')), { filename: bundle, cachedData });
  const mod = new Module(bundle, module);
  mod.filename = bundle;
  mod.paths = Module._nodeModulePaths(dirname(bundle));
  const main = script.runInThisContext();
  main.call(mod.exports, mod.exports, Module.createRequire(bundle), mod, bundle, dirname(bundle));
  return true;
}

if (!answeredVersion() && !runCached()) require(bundle);
