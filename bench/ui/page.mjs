#!/usr/bin/env node
/**
 * `node bench/ui/page.mjs`: how fast the status page (`orc daemon --ui`) draws the project list, in Debian's
 * Chromium.
 *
 * 1. Real projects (issue 19): ORC_BENCH_UI_REAL one-service projects (default 100) are started on the engine
 *    with `orc up -d` against the bench's own daemon, then, side by side in the same run: the daemon's
 *    `GET /v1/projects` (light: one engine list) against `GET /v1/projects?detail=true` (the answer before
 *    issue 19: an inspect per container), and the page's time from navigation start to those projects'
 *    rows drawn, with the page's list request answered by each. The projects are taken down at the end.
 * 2. Made-up lists: 10 / 100 / 500 projects of 5 containers each, answered by the browser itself, so the
 *    figure is the page's own work, whatever the engine holds.
 *
 * Prints markdown tables (✓/✗ against the targets of the real run); asserts nothing. Needs the build
 * (`npx turbo run build`), /usr/bin/chromium and the fixture image.
 *
 * Knobs: ORC_BENCH_UI_REAL=100 (0: skip)  ORC_BENCH_UI_SIZES=10,100,500 (empty: skip)  ORC_BENCH_UI_REPS=5
 */
import { execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = fileURLToPath(new URL('../..', import.meta.url));
const sizes = (process.env.ORC_BENCH_UI_SIZES ?? '10,100,500').split(',').filter(Boolean).map(Number);
const realCount = Number(process.env.ORC_BENCH_UI_REAL ?? 100);
/** Targets for the real run with 100 projects: the list's answer and the page showing it. */
const TARGET_LIST_MS = 300;
const TARGET_PAGE_MS = 1000;
const FIXTURE = process.env.ORC_FIXTURE_IMAGE ?? 'orc-fixture/busybox:1';
const reps = Number(process.env.ORC_BENCH_UI_REPS ?? 5);
const token = `bench-ui-${process.pid}-token`;
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

function freePort() {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function summaries(n) {
  const now = Date.now();
  return Array.from({ length: n }, (_, i) => {
    const name = `bench-${String(i).padStart(3, '0')}`;
    const services = ['web', 'api', 'worker', 'db', 'cache'].map((s) => ({
      name: s,
      desired: 'running',
      replicas: 1,
    }));
    return {
      name,
      workingDir: `/srv/projects/${name}`,
      configFiles: [`/srv/projects/${name}/compose.yaml`],
      registered: true,
      status: 'running(5)',
      services,
      lastChange: {
        time: new Date(now - i * 60_000).toISOString(),
        what: 'recreate web: config hash differs: image',
      },
      containers: services.map((s, j) => ({
        ID: `${i}-${j}`,
        Name: `${name}-${s.name}-1`,
        Service: s.name,
        Project: name,
        Number: 1,
        State: j === 4 && i % 10 === 0 ? 'exited' : 'running',
        Health: j === 0 ? (i % 7 === 0 ? 'unhealthy' : 'healthy') : '',
        ExitCode: j === 4 && i % 10 === 0 ? 1 : 0,
        Image: 'orc-fixture/busybox:1',
        Command: 'sh',
        Created: new Date(now - 3_600_000).toISOString(),
        Status: 'Up 1 hour',
        RestartCount: 0,
        Publishers: [],
        Networks: [`${name}_default`],
      })),
    };
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function run(cmd, args, env) {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { env, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) =>
      err ? reject(new Error(`${cmd} ${args.join(' ')}: ${stderr || err.message}`)) : resolve(stdout),
    );
  });
}

/** Runs `task` over `items`, `limit` at a time (the engine is shared: no stampede). */
async function pool(items, limit, task) {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) await task(items[next++]);
    }),
  );
}

/** One service per project; a healthcheck on every tenth so the list has health to show. */
function composeFile(i) {
  const health =
    i % 10 === 0 ? '\n    healthcheck: { test: ["CMD", "true"], interval: 30s, start_period: 1s }' : '';
  return `services:\n  app:\n    image: ${FIXTURE}\n    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 86400 & wait"]${health}\n`;
}

const dir = mkdtempSync(join(tmpdir(), 'orc-bench-ui-'));
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const daemon = spawn(
  join(root, 'node_modules/.bin/orc'),
  ['daemon', '--ui', '--ui-listen', `tcp://127.0.0.1:${port}`],
  {
    env: {
      ...process.env,
      ORC_TOKEN: token,
      ORC_HOST: `unix://${join(dir, 'orc.sock')}`,
      ORC_STATE_DIR: join(dir, 'state'),
      ORC_LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  },
);
await new Promise((resolve, reject) => {
  let out = '';
  daemon.stdout.on('data', (c) => {
    out += c;
    if (out.includes('status page on')) resolve();
  });
  daemon.once('close', () => reject(new Error(`the daemon ended:\n${out}`)));
});

const context = await chromium.launchPersistentContext(join(dir, 'profile'), {
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: FLAGS,
  viewport: { width: 1280, height: 900 },
});
const rows = [];
const prefix = `uilb${process.pid}`;
const realNames = Array.from({ length: realCount }, (_, i) => `${prefix}-${String(i).padStart(3, '0')}`);
const orcEnv = { ...process.env, ORC_HOST: `unix://${join(dir, 'orc.sock')}`, ORC_NO_AUTOSTART: '1' };
const orc = (args) => run(join(root, 'node_modules/.bin/orc'), args, orcEnv);
const real = { rows: [], created: [] };
try {
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(`${base}/`);
  await page.getByLabel('Token').fill(token);
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Projects' }).waitFor();

  if (realCount > 0) {
    const t0 = performance.now();
    await pool(realNames, 4, async (name) => {
      const d = join(dir, 'projects', name);
      mkdirSync(d, { recursive: true });
      writeFileSync(join(d, 'compose.yaml'), composeFile(realNames.indexOf(name)));
      real.created.push(name);
      await orc(['-p', name, '-f', join(d, 'compose.yaml'), 'up', '-d']);
    });
    const upSeconds = (performance.now() - t0) / 1000;
    const bench = (p) => p.name.startsWith(`${prefix}-`);
    const listTimes = { light: [], detail: [] };
    let counts = {};
    for (let i = 0; i < reps; i++) {
      // Side by side, alternating, so a load spike on the shared machine hits both.
      for (const [kind, url] of [
        ['light', '/v1/projects'],
        ['detail', '/v1/projects?detail=true'],
      ]) {
        const t = performance.now();
        const res = await fetch(`${base}${url}`, { headers: { authorization: `Bearer ${token}` } });
        const body = await res.json();
        listTimes[kind].push(performance.now() - t);
        counts = {
          ...counts,
          [kind]: { all: body.projects.length, ours: body.projects.filter(bench).length },
        };
      }
    }
    const pageTimes = { light: [], detail: [] };
    const fetchTimes = { light: [], detail: [] };
    for (let i = 0; i < reps; i++) {
      for (const kind of ['light', 'detail']) {
        // The page asks `/v1/projects`; for the answer before issue 19 the browser sends it with `?detail=true`.
        if (kind === 'detail')
          await page.route('**/v1/projects', (route) =>
            route.continue({ url: `${base}/v1/projects?detail=true` }),
          );
        await page.goto(`${base}/#/`);
        await page.reload();
        const drawn = await page.waitForFunction(
          ([p, k]) =>
            document.querySelectorAll(`tr[data-project^="${p}-"]`).length === k && performance.now(),
          [prefix, realCount],
          { polling: 'raf', timeout: 120_000 },
        );
        pageTimes[kind].push(await drawn.jsonValue());
        // The list request as the browser timed it (the first one of this navigation).
        fetchTimes[kind].push(
          await page.evaluate(
            () =>
              performance.getEntriesByType('resource').find((e) => /\/v1\/projects(\?|$)/.test(e.name))
                ?.duration ?? Number.NaN,
          ),
        );
        if (kind === 'detail') await page.unroute('**/v1/projects');
      }
    }
    real.rows = ['light', 'detail'].map((kind) => ({
      kind,
      list: median(listTimes[kind]),
      page: median(pageTimes[kind]),
      fetch: median(fetchTimes[kind]),
      ...counts[kind],
    }));
    real.upSeconds = upSeconds;
  }

  for (const n of sizes) {
    const body = JSON.stringify({ projects: summaries(n) });
    await page.route('**/v1/projects', (route) => route.fulfill({ contentType: 'application/json', body }));
    const draw = [];
    const filter = [];
    for (let i = 0; i < reps; i++) {
      await page.goto(`${base}/#/`);
      await page.reload();
      // In the page's own clock: from the start of the navigation to the list drawn (its rows in the DOM).
      const drawn = await page.waitForFunction(
        (k) => document.querySelectorAll('tr[data-project]').length === k && performance.now(),
        n,
        { polling: 'raf' },
      );
      draw.push(await drawn.jsonValue());
      // Typing in the filter redraws the table synchronously; the layout is forced so it is counted too.
      filter.push(
        await page.evaluate(() => {
          const input = document.getElementById('project-filter');
          const t = performance.now();
          input.value = 'bench-00';
          input.dispatchEvent(new Event('input'));
          void document.body.offsetHeight;
          input.value = '';
          input.dispatchEvent(new Event('input'));
          void document.body.offsetHeight;
          return performance.now() - t;
        }),
      );
    }
    const heap = await page.evaluate(() => performance.memory?.usedJSHeapSize ?? 0);
    rows.push({ n, draw: median(draw), filter: median(filter), heapMiB: heap / 1048576 });
    await page.unroute('**/v1/projects');
  }

  if (real.rows.length) {
    const mark = (ok) => (ok ? '✓' : '✗');
    console.log(
      `\n### ${realCount} real one-service projects (started in ${real.upSeconds.toFixed(0)} s), median of ${reps}\n`,
    );
    console.log(
      `| GET /v1/projects | projects in the answer (ours) | answer (ms, target ≤ ${TARGET_LIST_MS}) | the page's request, in the browser (ms) | navigation start → our ${realCount} rows drawn (ms, target ≤ ${TARGET_PAGE_MS}) |`,
    );
    console.log('| --- | ---: | ---: | ---: | ---: |');
    for (const r of real.rows) {
      const name = r.kind === 'light' ? 'light (default)' : '`?detail=true` (the answer before)';
      console.log(
        `| ${name} | ${r.all} (${r.ours}) | ${r.list.toFixed(0)} ${mark(r.list <= TARGET_LIST_MS)} | ${r.fetch.toFixed(0)} | ${r.page.toFixed(0)} ${mark(r.page <= TARGET_PAGE_MS)} |`,
      );
    }
  }
  if (rows.length) {
    console.log(`\n### Made-up lists answered by the browser: the page's own work (median of ${reps})\n`);
    console.log(
      '| projects (5 containers each) | navigation start → list drawn (ms) | filter and unfilter, with layout (ms) | JS heap (MiB) |',
    );
    console.log('| ---: | ---: | ---: | ---: |');
    for (const r of rows)
      console.log(`| ${r.n} | ${r.draw.toFixed(0)} | ${r.filter.toFixed(0)} | ${r.heapMiB.toFixed(1)} |`);
  }
} finally {
  await context.close();
  await pool(real.created, 4, (name) =>
    orc(['-p', name, '-f', join(dir, 'projects', name, 'compose.yaml'), 'down', '--remove-orphans']).catch(
      (err) => console.error(`cleanup ${name}: ${err.message}`),
    ),
  );
  daemon.kill('SIGTERM');
  await new Promise((r) => daemon.once('close', r));
  rmSync(dir, { recursive: true, force: true });
}
