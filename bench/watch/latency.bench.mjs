#!/usr/bin/env node
// `develop.watch` latency on the real engine: from a write on the host to the file being in the container.
// The daemon's `sync` event is sent once the engine has unpacked the tar, so "write → event" is the
// time to "in the container"; a few samples are also checked by polling `docker exec cat` (whose own
// ~100 ms start-up is in that figure). Also: a batch of many files, a 1 MiB file, and how the watchers
// (Node's `fs.watch` recursive vs orc's per-directory walk) see a burst of new directories.
// Prints tables; asserts nothing.
//   node bench/watch/latency.bench.mjs [samples]
// Needs `npx turbo run build` and the fixture image (orc-fixture/busybox:1).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, watch, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'node_modules/.bin/orc');
const samples = Number(process.argv[2] || 20);
const image = process.env.ORC_FIXTURE_IMAGE ?? 'orc-fixture/busybox:1';
if (!existsSync(bin)) {
  console.error(`${bin} is missing: run \`npx turbo run build\` first`);
  process.exit(1);
}
const work = mkdtempSync(join(tmpdir(), 'orcb-watch-'));
const project = `orcb-watch-${process.pid}`;
const env = {
  ...process.env,
  ORC_HOST: `unix://${join(work, 'orc.sock')}`,
  ORC_STATE_DIR: join(work, 'state'),
};
const app = join(work, 'app');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const orc = (...args) => spawnSync(bin, ['-p', project, ...args], { cwd: app, env, encoding: 'utf8' });
const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return [s.length, s[0], q(0.5), q(0.9), s[s.length - 1]].map((v, i) =>
    i === 0 ? String(v) : v.toFixed(0),
  );
};
const table = (head, rows) => {
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (r) => `| ${r.map((c, i) => String(c).padEnd(w[i])).join(' | ')} |`;
  return [line(head), line(w.map((n) => '-'.repeat(n))), ...rows.map(line)].join('\n');
};

async function engineSection() {
  mkdirSync(join(app, 'src'), { recursive: true });
  writeFileSync(
    join(app, 'compose.yaml'),
    `services:\n  web:\n    image: ${image}\n    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]\n    stop_grace_period: 1s\n    develop:\n      watch:\n        - {path: ./src, action: sync, target: /app/src}\n`,
  );
  const up = orc('up', '-d', '--watch');
  if (up.status !== 0) throw new Error(`up failed: ${up.stderr}`);
  const events = spawn(bin, ['-p', project, 'events', '--json'], { cwd: app, env });
  const seen = [];
  let buf = '';
  events.stdout.on('data', (c) => {
    buf += c.toString();
    let nl = buf.indexOf('\n');
    while (nl >= 0) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      nl = buf.indexOf('\n');
      if (!line.trim()) continue;
      const e = JSON.parse(line);
      if (e.type === 'watch' && e.action === 'sync')
        seen.push({ at: Date.now(), files: e.attributes?.files ?? '' });
    }
  });
  const waitFor = async (name, ms = 10_000) => {
    const end = Date.now() + ms;
    while (Date.now() < end) {
      const hit = seen.find((s) => s.files.split(',').includes(name));
      if (hit) return hit.at;
      await sleep(5);
    }
    return undefined;
  };
  // The event stream is open once a warm-up write shows in it.
  for (let i = 0; i < 50 && !(await waitFor('warm.txt', 200)); i++)
    writeFileSync(join(app, 'src/warm.txt'), `${i}`);

  const rows = [];
  const one = [];
  for (let i = 0; i < samples; i++) {
    const name = `f${i}.txt`;
    const t0 = Date.now();
    writeFileSync(join(app, 'src', name), `${i}\n`);
    const at = await waitFor(name);
    if (at) one.push(at - t0);
    await sleep(300);
  }
  rows.push(['one small file → sync event (in the container)', ...stats(one)]);

  const polled = [];
  for (let i = 0; i < Math.min(5, samples); i++) {
    const name = `p${i}.txt`;
    const t0 = Date.now();
    writeFileSync(join(app, 'src', name), 'x\n');
    for (let k = 0; k < 200; k++) {
      const r = spawnSync('docker', ['exec', `${project}-web-1`, 'cat', `/app/src/${name}`], {
        encoding: 'utf8',
      });
      if (r.status === 0) {
        polled.push(Date.now() - t0);
        break;
      }
    }
    await sleep(300);
  }
  rows.push(['one small file → seen by polling `docker exec cat`', ...stats(polled)]);

  const batch = [];
  for (let i = 0; i < Math.max(3, Math.floor(samples / 4)); i++) {
    const t0 = Date.now();
    mkdirSync(join(app, 'src', `b${i}`), { recursive: true });
    for (let k = 0; k < 50; k++) writeFileSync(join(app, 'src', `b${i}`, `f${k}.txt`), `${k}\n`);
    const at = await waitFor(`b${i}/f49.txt`);
    if (at) batch.push(at - t0);
    await sleep(400);
  }
  rows.push(['50 files in a new directory (one batch)', ...stats(batch)]);

  const big = [];
  const mib = Buffer.alloc(1024 * 1024, 7);
  for (let i = 0; i < Math.max(3, Math.floor(samples / 4)); i++) {
    const t0 = Date.now();
    writeFileSync(join(app, 'src', `big${i}.bin`), mib);
    const at = await waitFor(`big${i}.bin`);
    if (at) big.push(at - t0);
    await sleep(300);
  }
  rows.push(['one 1 MiB file', ...stats(big)]);
  events.kill('SIGINT');
  console.log(`\n## watch latency (ms): write on the host → file in the container\n`);
  console.log(table(['case', 'n', 'min', 'median', 'p90', 'max'], rows));
  console.log(
    `\nBatches wait for 200 ms without a change (1 s at most), so ~200 ms of each figure is that wait. load average ${loadavg()[0].toFixed(1)}`,
  );
}

/** A burst of new nested directories with files: how many of the files each watcher reports within 2 s. */
async function watcherSection() {
  const { watchTree } = await import(join(root, 'apps/daemon/dist/verbs/watch/tree.js'));
  const rows = [];
  for (const kind of ['node fs.watch recursive', 'orc per-directory walk']) {
    const dir = join(work, `burst-${kind.split(' ')[0]}`);
    mkdirSync(join(dir, 'node_modules'), { recursive: true });
    for (let i = 0; i < 300; i++) mkdirSync(join(dir, 'node_modules', `pkg${i}`, 'lib'), { recursive: true });
    const seen = new Set();
    const t0 = Date.now();
    let close;
    let dirs = '-';
    if (kind.startsWith('node')) {
      const w = watch(dir, { recursive: true }, (_e, name) => name && seen.add(join(dir, name.toString())));
      close = () => w.close();
    } else {
      const w = watchTree({
        roots: [dir],
        skipDir: (d) => d.endsWith('/node_modules'),
        onChange: (p) => seen.add(p),
        onProblem: () => undefined,
      });
      await w.ready;
      dirs = String(w.dirs);
      close = () => w.close();
    }
    const setup = Date.now() - t0;
    const expected = [];
    for (let i = 0; i < 20; i++) {
      const sub = join(dir, `d${i}`, 'inner');
      mkdirSync(sub, { recursive: true });
      for (let k = 0; k < 10; k++) {
        const f = join(sub, `f${k}.txt`);
        writeFileSync(f, 'x');
        expected.push(f);
      }
    }
    await sleep(2000);
    close();
    rows.push([kind, `${setup}`, dirs, `${expected.filter((f) => seen.has(f)).length}/${expected.length}`]);
  }
  console.log(
    '\n## watchers: 20 new directories × 10 files written at once (300 ignored dirs under node_modules)\n',
  );
  console.log(table(['watcher', 'setup ms', 'dirs watched', 'files reported in 2 s'], rows));
}

try {
  await watcherSection();
  await engineSection();
} finally {
  orc('down');
  const pid = /ready on .*\(pid (\d+)/.exec(
    (() => {
      try {
        return spawnSync('cat', [join(work, 'state', 'daemon.out')], { encoding: 'utf8' }).stdout;
      } catch {
        return '';
      }
    })(),
  )?.[1];
  if (pid) process.kill(Number(pid), 'SIGTERM');
  await sleep(500);
  rmSync(work, { recursive: true, force: true });
}
