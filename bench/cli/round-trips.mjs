#!/usr/bin/env node
/**
 * The CLI's own cost of a no-op `up -d` and of `orc ps` (issue 17, items 2 and 6), beside `node -e 0`,
 * against a stand-in daemon that answers at once from memory (a 200-container project, a no-op up): what
 * is left is the CLI process (start-up, module loading, transport, round trips, rendering), which is
 * what the CLI can change; the daemon's own time is in `npm run bench` (section noop/cli).
 * Interleaved runs (one of each command in turn), wall time and CPU time (user + sys) of each child. A bare
 * client (`node -e`: connect, request, parse, write) runs beside them: the floor of any CLI that is a node process.
 * Node cannot read a child's rusage, so a short Python loop (os.wait4) runs the children.
 *   node bench/cli/round-trips.mjs [runs] [[LABEL=]OTHER_ORC_BIN ...]   (e.g. main=<main's apps/cli/bin/orc.js>)
 *   node bench/cli/round-trips.mjs serve SOCKET   (only the stand-in, e.g. to profile: node --cpu-prof orc ps)
 * Prints a table with ✓/✗ against the targets (≤ 1.3× `node -e 0` for both, on CPU and wall medians).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const runs = Number(process.argv[2] === 'serve' ? 0 : process.argv[2] || 20);
const others = process.argv.slice(3);
const CONTAINERS = 200;

// ORC_RT_HOST + ORC_RT_PROJECT: the `ps` rows against a real daemon and one of its projects (e.g. 200
// containers up), instead of the stand-in (without the `up -d` rows).
const realHost = process.env.ORC_RT_HOST;
const project = process.env.ORC_RT_PROJECT ?? 'bench-rt';
const container = (i) => ({
  ID: `${i}`.padStart(64, 'a'),
  Name: `${project}-s${i}-1`,
  Service: `s${i}`,
  Project: project,
  Number: 1,
  State: 'running',
  Health: i <= 4 ? 'healthy' : '',
  ExitCode: 0,
  Image: 'orc-fixture/busybox:1',
  Command: 'sleep 86400',
  Created: '2026-12-04T10:00:00Z',
  Status: 'Up 2 hours',
  RestartCount: 0,
  StartedAt: '2026-12-04T10:00:01Z',
  Publishers: [],
  Networks: [`${project}_net`],
});
const summary = JSON.stringify({
  name: project,
  workingDir: '/tmp',
  configFiles: ['/tmp/compose.yaml'],
  registered: true,
  status: `running(${CONTAINERS})`,
  services: Array.from({ length: CONTAINERS }, (_, i) => ({
    name: `s${i}`,
    desired: 'running',
    replicas: 1,
  })),
  containers: Array.from({ length: CONTAINERS }, (_, i) => container(i)),
});
const record = (state) => ({
  id: 'op-1',
  project,
  kind: 'up',
  state,
  startedAt: '2026-12-04T10:00:00Z',
  ...(state === 'running' ? {} : { finishedAt: '2026-12-04T10:00:00Z' }),
  warnings: [],
});

/** Answers like the daemon (the routes the CLI's `ps` and `up -d` use, old and new), from memory. */
function standIn(req, res) {
  const url = req.url ?? '';
  req.resume();
  req.on('end', () => {
    const json = (status, body) => {
      const text = typeof body === 'string' ? body : JSON.stringify(body);
      res.writeHead(status, {
        'Content-Type': 'application/json',
        'Content-Length': Buffer.byteLength(text),
      });
      res.end(text);
    };
    const ndjson = (items) => {
      res.writeHead(200, { 'Content-Type': 'application/x-ndjson' });
      for (const item of items) res.write(`${JSON.stringify(item)}\n`);
      res.end();
    };
    if (url === '/v1/health') return json(200, { status: 'ok' });
    if (url.startsWith(`/v1/projects/${project}`) && req.method === 'GET') return json(200, summary);
    if (url === '/v1/projects?stream=true')
      return ndjson([
        { type: 'accepted', operation: record('running') },
        { type: 'end', operation: record('succeeded') },
      ]);
    if (url === '/v1/projects') return json(202, { operation: record('running') });
    if (url === '/v1/operations/op-1/progress')
      return ndjson([{ type: 'end', operation: record('succeeded') }]);
    return json(404, { code: 'NOT_FOUND', message: `stand-in: no ${req.method} ${url}` });
  });
}

/**
 * A bare client (`node -e`): what any node CLI must do for `ps` and a no-op `up -d` (connect, send, read the
 * answer to its end, parse it, write a few lines), with nothing of orc's (no flags, no rendering rules, no
 * bundle): the floor the CLI's own cost is read against.
 */
const BARE = (head, done) => `
const s = require('node:net').connect({ path: process.env.ORC_HOST.slice(7) });
const chunks = [];
s.on('connect', () => s.write(${head}));
s.on('data', (d) => chunks.push(d));
s.on('end', () => {
  const text = Buffer.concat(chunks).toString();
  const body = text.slice(text.indexOf('\\r\\n\\r\\n') + 4);
  ${done}
  process.exit(0);
});`;
const BARE_PS = BARE(
  `'GET /v1/projects/${project}?detail=false HTTP/1.1\\r\\nHost: localhost\\r\\nConnection: close\\r\\n\\r\\n'`,
  `let out = '';
  for (const c of JSON.parse(body).containers) out += c.Name + '  ' + c.Image + '  ' + c.Service + '  ' + c.Status + '\\n';
  require('node:fs').writeSync(1, out);`,
);
const BARE_UP = BARE(
  `(() => {
    const b = JSON.stringify({ source: { workingDir: process.cwd(), env: process.env, files: ['compose.yaml'] }, options: {} });
    return 'POST /v1/projects?stream=true HTTP/1.1\\r\\nHost: localhost\\r\\nConnection: close\\r\\nContent-Type: application/json\\r\\nContent-Length: ' + Buffer.byteLength(b) + '\\r\\n\\r\\n' + b;
  })()`,
  `const last = JSON.parse(body.split('\\r\\n').filter((l) => l.startsWith('{')).at(-1));
  require('node:fs').writeSync(1, last.operation.state + '\\n');`,
);

const PY = `
import json, os, sys, time
spec = json.load(sys.stdin)
out = {c['label']: [] for c in spec['commands']}
for i in range(spec['count'] + 1):
    for c in spec['commands']:
        t0 = time.perf_counter()
        pid = os.fork()
        if pid == 0:
            fd = os.open(os.devnull, os.O_RDWR)
            os.dup2(fd, 0); os.dup2(fd, 1); os.dup2(fd, 2)
            os.chdir(c['cwd'])
            os.execve(c['argv'][0], c['argv'], c['env'])
        _, status, ru = os.wait4(pid, 0)
        wall = (time.perf_counter() - t0) * 1000
        if os.waitstatus_to_exitcode(status) != 0:
            sys.exit('%s exited %d' % (c['label'], os.waitstatus_to_exitcode(status)))
        if i > 0:
            out[c['label']].append([wall, (ru.ru_utime + ru.ru_stime) * 1000])
print(json.dumps(out))
`;

function runInterleaved(commands, count) {
  return new Promise((resolve, reject) => {
    const py = spawn('python3', ['-c', PY], { stdio: ['pipe', 'pipe', 'inherit'] });
    let text = '';
    py.stdout.on('data', (d) => {
      text += d;
    });
    py.on('exit', (code) =>
      code === 0 ? resolve(JSON.parse(text)) : reject(new Error(`harness exited ${code}`)),
    );
    py.stdin.end(JSON.stringify({ commands, count }));
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'orc-bench-rt-'));
  const socketPath = join(dir, 'orc.sock');
  const server = createServer(standIn);
  if (!realHost) await new Promise((resolve) => server.listen(socketPath, resolve));
  const env = { ...process.env, ORC_HOST: realHost ?? `unix://${socketPath}`, ORC_NO_AUTOSTART: '1' };
  // Another tree's bin or bundle, as PATH or LABEL=PATH (e.g. main=/tmp/main/apps/cli/bin/orc.js).
  const named = (arg) => {
    const eq = arg.indexOf('=');
    return eq > 0 ? [arg.slice(0, eq), arg.slice(eq + 1)] : [basename(arg), arg];
  };
  const trees = [['this tree', join(root, 'apps/cli/bin/orc.js')], ...others.map(named)];
  const commands = [
    { label: 'node -e 0', argv: [process.execPath, '-e', '0'], env, cwd: dir },
    // The floor of a CLI that is a node process: one connection, one request, JSON.parse, one write.
    { label: 'bare client: ps', argv: [process.execPath, '-e', BARE_PS], env, cwd: dir },
    { label: 'bare client: up -d', argv: [process.execPath, '-e', BARE_UP], env, cwd: dir },
  ];
  // This tree once more without the V8 code cache, without the hot bundle and without the early request
  // (bin/orc.js reads ORC_CODE_CACHE, ORC_HOT_BUNDLE and ORC_EARLY_REQUEST), to show what each buys.
  const variants = [
    ...trees.map(([name, bin]) => [name, bin, env]),
    ['this tree, no code cache', trees[0][1], { ...env, ORC_CODE_CACHE: '0' }],
    ['this tree, no hot bundle', trees[0][1], { ...env, ORC_HOT_BUNDLE: '0' }],
    // `ps`'s request sent by the hot path rather than by bin/orc.js before the bundle (ORC_EARLY_REQUEST).
    ['this tree, no early request', trees[0][1], { ...env, ORC_EARLY_REQUEST: '0' }],
  ];
  for (const [name, bin, vEnv] of variants) {
    commands.push(
      { label: `${name}: ps`, argv: [process.execPath, bin, '-p', project, 'ps'], env: vEnv, cwd: dir },
      {
        label: `${name}: up -d`,
        argv: [process.execPath, bin, '-p', project, 'up', '-d'],
        env: vEnv,
        cwd: dir,
      },
      { label: `${name}: --version`, argv: [process.execPath, bin, '--version'], env: vEnv, cwd: dir },
    );
  }
  // Against a real daemon only `ps` (and --version, node): a no-op `up` would need the project's files.
  if (realHost) commands.splice(0, commands.length, ...commands.filter((c) => !c.label.endsWith('up -d')));
  const load0 = loadavg()[0];
  let samples;
  try {
    samples = await runInterleaved(commands, runs);
  } finally {
    if (!realHost) server.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const base = samples['node -e 0'];
  const baseWall = median(base.map((s) => s[0]));
  const baseCpu = median(base.map((s) => s[1]));
  console.log(
    `CLI round trips vs node -e 0 (${realHost ? `daemon at ${realHost}, project ${project}` : `stand-in daemon, ${CONTAINERS} containers`}): ${runs} interleaved runs, node ${process.version}, load ${load0.toFixed(1)} → ${loadavg()[0].toFixed(1)}`,
  );
  console.log('| command | wall median ms | × node | CPU median ms | × node | target |');
  console.log('| --- | ---: | ---: | ---: | ---: | --- |');
  for (const c of commands) {
    const s = samples[c.label];
    const wall = median(s.map((x) => x[0]));
    const cpu = median(s.map((x) => x[1]));
    const rw = wall / baseWall;
    const rc = cpu / baseCpu;
    // --version's target is the issue's 100 ms median (wall); the others are ≤ 1.3× node in CPU.
    const target =
      c.label === 'node -e 0'
        ? ''
        : c.label.endsWith('--version')
          ? `≤ 100 ms ${wall <= 100 ? '✓' : '✗'} (wall)`
          : `≤ 1.3× ${rc <= 1.3 ? '✓' : '✗'} (CPU)`;
    console.log(
      `| ${c.label} | ${wall.toFixed(1)} | ${rw.toFixed(2)}× | ${cpu.toFixed(1)} | ${rc.toFixed(2)}× | ${target} |`,
    );
  }
}

if (process.argv[2] === 'serve') {
  const server = createServer(standIn);
  server.listen(process.argv[3], () => console.log(`stand-in daemon on unix://${process.argv[3]}`));
} else await main();
