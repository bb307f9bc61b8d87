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
 * A line that names `ps`, `up` or `down` first goes to the hot bundle (src/hot-main.ts: those commands in
 * their plain forms, without commander or the other commands: ~80 KB instead of ~300 KB); it answers false
 * for any other line, which the full bundle then reads as before. ORC_HOT_BUNDLE=0 skips it (to measure it).
 */
function runHot(early) {
  if (process.env.ORC_HOT_BUNDLE === '0') return false;
  const args = process.argv;
  if (!args.includes('ps') && !args.includes('up') && !args.includes('down')) return false;
  const hot = runCached(hotBundle) ?? require(hotBundle);
  hot.run(args, early).then(
    (done) => {
      if (done) return;
      early?.socket.destroy();
      runFull();
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

/**
 * `orc -p NAME ps`: the request the hot path will send, or undefined for any other line. A guess from the
 * line alone: the hot path sends its own request and takes this one's answer only when both are the same
 * bytes to the same socket (src/client/wire.ts `offerEarly`), so a wrong guess costs a wasted GET, never a
 * wrong answer. ORC_EARLY_REQUEST=0 turns it off (to measure it).
 */
const PS_TABLE_ACCEPT = 'application/vnd.orc.ps-table+json, application/json;q=0.9';

function earlyPs() {
  const env = process.env;
  if (env.ORC_EARLY_REQUEST === '0' || env.ORC_HOT_BUNDLE === '0' || env.ORC_INVOKED_AS) return undefined;
  const args = process.argv;
  let name;
  let i = 2;
  if (args[i] === '-p' || args[i] === '--project-name') name = args[++i];
  else if (args[i]?.startsWith('--project-name=')) name = args[i].slice('--project-name='.length);
  if (!name || name.startsWith('-') || args[++i] !== 'ps') return undefined;
  // Only the table's request (src/commands/ps-run.ts): the other forms read the whole summary, and files
  // name the project another way.
  const other = ['-q', '--quiet', '--services', '--orphans', '--format', '-f', '--file', '--project-'];
  for (const arg of args.slice(i + 1)) {
    if (other.some((o) => arg.startsWith(o))) return undefined;
  }
  // The daemon's address as src/client/address.ts resolves it (unix sockets only).
  const host = env.ORC_HOST?.trim();
  let socketPath;
  if (!host) {
    const uid = process.getuid?.() ?? 0;
    socketPath =
      uid === 0 ? '/run/orc/orc.sock' : join(env.XDG_RUNTIME_DIR || `/tmp/orc-${uid}`, 'orc', 'orc.sock');
  } else if (host.startsWith('unix:///')) socketPath = host.slice('unix://'.length);
  else return undefined;
  const path = `/v1/projects/${encodeURIComponent(name)}?detail=false`;
  return {
    socketPath,
    // The table view (src/client/api.ts PS_TABLE_ACCEPT).
    head: `GET ${path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nAccept: ${PS_TABLE_ACCEPT}\r\n\r\n`,
  };
}

/**
 * Sends `orc -p NAME ps`'s request first, and reads and runs the hot bundle once it is on its way: the
 * daemon answers (3-6 ms for 200 containers) while this process compiles the bundle and reads its flags
 * (~5 ms), instead of after (issue 17, item 6, in wall time). What arrives before the hot path takes the
 * connection is kept for it; a connection that fails is handed over failed, and the hot path then sends
 * its own request (and reports, or starts a daemon, as it always does).
 */
function runEarly() {
  const guess = earlyPs();
  if (!guess) return false;
  const socket = require('node:net').connect({ path: guess.socketPath });
  const early = { ...guess, socket, chunks: [], ended: false, error: undefined };
  let started = false;
  const start = () => {
    if (started) return;
    started = true;
    if (!runHot(early)) {
      socket.destroy();
      runFull();
    }
  };
  const onData = (chunk) => early.chunks.push(chunk);
  const onEnd = () => {
    early.ended = true;
  };
  const onError = (err) => {
    early.error = err;
    start();
  };
  socket.on('data', onData);
  socket.on('end', onEnd);
  socket.on('error', onError);
  early.release = () => {
    socket.off('data', onData);
    socket.off('end', onEnd);
    socket.off('error', onError);
  };
  socket.once('connect', () => {
    socket.write(guess.head);
    start();
  });
  return true;
}

if (!answeredVersion() && !runEarly() && !runHot()) runFull();
