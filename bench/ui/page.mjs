#!/usr/bin/env node
/**
 * `node bench/ui/page.mjs`: how fast the status page (`orc daemon --ui`) draws the project list, in Debian's
 * Chromium, for 10 / 100 / 500 projects of 5 containers each. The page and the daemon are real; the list
 * itself (`GET /v1/projects`) is answered by the browser with made-up summaries, so the figure is the
 * page's own work, whatever the engine holds. It also times the daemon's real `GET /v1/projects`.
 * Prints a markdown table; asserts nothing. Needs the build (`npx turbo run build`) and /usr/bin/chromium.
 *
 * Knobs: ORC_BENCH_UI_SIZES=10,100,500  ORC_BENCH_UI_REPS=5
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = fileURLToPath(new URL('../..', import.meta.url));
const sizes = (process.env.ORC_BENCH_UI_SIZES ?? '10,100,500').split(',').map(Number);
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
try {
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(`${base}/`);
  await page.getByLabel('Token').fill(token);
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Projects' }).waitFor();

  const real = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    const res = await fetch(`${base}/v1/projects`, { headers: { authorization: `Bearer ${token}` } });
    const body = await res.json();
    real.push({ ms: performance.now() - t0, n: body.projects.length });
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

  console.log(`\n### Status page, Chromium (median of ${reps})\n`);
  console.log(
    '| projects (5 containers each) | navigation start → list drawn (ms) | filter and unfilter, with layout (ms) | JS heap (MiB) |',
  );
  console.log('| ---: | ---: | ---: | ---: |');
  for (const r of rows)
    console.log(`| ${r.n} | ${r.draw.toFixed(0)} | ${r.filter.toFixed(0)} | ${r.heapMiB.toFixed(1)} |`);
  console.log(
    `\nThe daemon's own GET /v1/projects on this engine: ${real[0]?.n ?? 0} projects, median ${median(real.map((r) => r.ms)).toFixed(0)} ms`,
  );
} finally {
  await context.close();
  daemon.kill('SIGTERM');
  await new Promise((r) => daemon.once('close', r));
  rmSync(dir, { recursive: true, force: true });
}
