/** Turns the bench's raw samples into statistics, a markdown report, and a PNG chart. */
import { writeFileSync } from 'node:fs';
import { createCanvas } from '@napi-rs/canvas';
import { Chart } from 'chart.js/auto';

export const STEPS = [
  ['cold', 'cold up -d'],
  ['noop', 'no-op up -d'],
  ['change', 'change one, up -d'],
  ['down', 'down'],
];
export const TOOLS = ['orc', 'compose', 'floor'];

export function stats(samples) {
  if (!samples?.length) return undefined;
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { n: sorted.length, min: sorted[0], median, max: sorted[sorted.length - 1] };
}

const ms = (x) =>
  x === undefined ? '–' : x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${x.toFixed(x < 10 ? 1 : 0)} ms`;
const cell = (s) => (s ? `${ms(s.min)} / ${ms(s.median)}` : '–');
const ratio = (a, b) => (a && b ? a.median / b.median : undefined);
const fmtRatio = (r) => (r === undefined ? '–' : `${r.toFixed(2)}×`);
const mark = (ok) => (ok === undefined ? '' : ok ? '✓' : '✗');

/**
 * Targets, each `{ what, target, value, ok }`, from the summarised results. Medians are compared: the
 * min is printed beside them to show how much of a miss is noise.
 */
export function targets(s) {
  const out = [];
  const biggest = s.stacks.at(-1);
  if (biggest) {
    const noop = biggest.ops.noop;
    out.push({
      what: `no-op up, ${biggest.n} services`,
      target: '≤ 100 ms',
      value: ms(noop.orc?.median),
      ok: noop.orc ? noop.orc.median <= 100 : undefined,
    });
    const r = ratio(noop.orc, noop.compose);
    out.push({
      what: `no-op up, ${biggest.n} services, vs compose`,
      target: '≤ 0.1×',
      value: fmtRatio(r),
      ok: r === undefined ? undefined : r <= 0.1,
    });
  }
  for (const st of s.stacks) {
    // Issue 17, item 3: ≤ 1.05× the floor up to 100 services, ≤ 1.1× at 1,000.
    const goal = st.n <= 100 ? 1.05 : 1.1;
    const cold = ratio(st.ops.cold.orc, st.ops.cold.floor);
    out.push({
      what: `cold up, ${st.n} services, vs floor`,
      target: `≤ ${goal}×`,
      value: fmtRatio(cold),
      ok: cold === undefined ? undefined : cold <= goal,
    });
    const change = ratio(st.ops.change.orc, st.ops.change.floor);
    out.push({
      what: `change one, ${st.n} services, vs one recreate`,
      target: '≤ 1.2×',
      value: fmtRatio(change),
      ok: change === undefined ? undefined : change <= 1.2,
    });
    const down = ratio(st.ops.down.orc, st.ops.down.floor);
    out.push({
      what: `down, ${st.n} services, vs floor`,
      target: `≤ ${goal}×`,
      value: fmtRatio(down),
      ok: down === undefined ? undefined : down <= goal,
    });
  }
  for (const x of s.noop ?? []) {
    const goal = x.n <= 100 ? 1.3 : 1.6;
    const r = ratio(x.orc, x.node);
    out.push({
      what: `no-op up, ${x.n} services, vs \`node -e 0\` (same run, interleaved)`,
      target: `≤ ${goal}×`,
      value: fmtRatio(r),
      ok: r === undefined ? undefined : r <= goal,
    });
  }
  if (s.drift)
    out.push({
      what: 'drift repair (rm -f → replacement running)',
      target: '≤ 1 s',
      value: ms(s.drift.median),
      ok: s.drift.median <= 1000,
    });
  if (s.driftAfterGone)
    out.push({
      what: "drift repair, orc's part (container gone → replacement started)",
      target: '≤ 1 s',
      value: ms(s.driftAfterGone.median),
      ok: s.driftAfterGone.median <= 1000,
    });
  for (const idle of s.idle ?? []) {
    out.push({
      what: `idle daemon CPU, ${idle.containers} containers, ${idle.seconds.toFixed(0)} s`,
      target: '< 1 %',
      value: `${idle.cpuPercent.toFixed(2)} %`,
      ok: idle.cpuPercent < 1,
    });
    const goal = idle.containers <= 200 ? 100 : 150;
    out.push({
      what: `idle daemon RSS, ${idle.containers} containers (max of 1 s samples)`,
      target: `≤ ${goal} MB`,
      value: `${idle.rss.max.toFixed(0)} MiB`,
      ok: idle.rss.max <= goal,
    });
  }
  if (s.cli?.version)
    out.push({
      what: '`orc --version`',
      target: '≤ 100 ms',
      value: ms(s.cli.version.median),
      ok: s.cli.version.median <= 100,
    });
  if (s.cli?.ps && s.cli?.node) {
    const r = ratio(s.cli.ps, s.cli.node);
    out.push({
      what: `\`orc -p NAME ps\` (${s.cliContainers ?? '?'} containers) vs \`node -e 0\` (same run, interleaved)`,
      target: '≤ 1.3×',
      value: fmtRatio(r),
      ok: r === undefined ? undefined : r <= 1.3,
    });
  }
  if (s.cli?.psDir && s.cli?.node) {
    const r = ratio(s.cli.psDir, s.cli.node);
    out.push({
      what: `\`orc ps\` in the project's folder (${s.cliContainers ?? '?'} containers) vs \`node -e 0\` (same run, interleaved)`,
      target: '≤ 1.3×',
      value: fmtRatio(r),
      ok: r === undefined ? undefined : r <= 1.3,
    });
  }
  return out;
}

/** Raw samples → summary (stats everywhere); the JSON written keeps both. */
export function summarise(raw) {
  return {
    stacks: raw.stacks.map((st) => ({
      n: st.n,
      ops: Object.fromEntries(
        STEPS.map(([step]) => [step, Object.fromEntries(TOOLS.map((t) => [t, stats(st.ops[step]?.[t])]))]),
      ),
    })),
    noop: (raw.noop ?? []).map((x) => ({ n: x.n, node: stats(x.node), orc: stats(x.orc) })),
    drift: stats(raw.drift),
    driftAfterGone: stats(raw.driftAfterGone),
    // Runs before the list of sizes wrote one object.
    idle: [raw.idle ?? []].flat().map((x) => ({ ...x, rss: stats(x.rssMiB) })),
    cliContainers: raw.cliContainers ?? raw.idle?.containers,
    cli: raw.cli && Object.fromEntries(Object.entries(raw.cli).map(([k, v]) => [k, stats(v)])),
    loader: raw.loader && Object.fromEntries(Object.entries(raw.loader).map(([k, v]) => [k, stats(v)])),
  };
}

export function markdown(meta, s) {
  const L = [];
  const load = meta.loadAverage;
  L.push(
    `Run ${meta.date} · ${meta.cpus} × ${meta.cpuModel} · ${meta.memGiB} GiB · Linux ${meta.kernel} · Docker Engine ${meta.engine} · ${meta.compose} · node ${meta.node}`,
    `Load average (1 min) during the run: min ${load.min.toFixed(1)}, mean ${load.mean.toFixed(1)}, max ${load.max.toFixed(1)} (${load.samples} samples every 5 s; ${meta.cpus} cores). Repetitions: ${meta.reps} per step (no-op: ${meta.noopReps}); cells are min / median wall time, from process start to exit for orc (CLI; daemon already running) and docker-compose.`,
    '',
    '| services | step | orc | docker-compose 1.29 | engine floor | orc / compose | orc / floor |',
    '| ---: | --- | ---: | ---: | ---: | ---: | ---: |',
  );
  for (const st of s.stacks)
    for (const [step, label] of STEPS) {
      const o = st.ops[step];
      L.push(
        `| ${st.n} | ${label} | ${cell(o.orc)} | ${cell(o.compose)} | ${cell(o.floor)} | ${fmtRatio(ratio(o.orc, o.compose))} | ${fmtRatio(ratio(o.orc, o.floor))} |`,
      );
    }
  L.push(
    '',
    'Engine floor: the same create bodies sent straight to the engine with dockerode, all containers created at once and each started as soon as its dependencies are; its no-op is one list by label, its change-one is one recreate (create under a temporary name, stop, remove, rename, start).',
    '',
    '| figure | orc (min / median) | docker-compose 1.29 |',
    '| --- | ---: | --- |',
  );
  for (const x of s.noop ?? [])
    L.push(
      `| no-op \`up -d\`, ${x.n} services, beside \`node -e 0\` (${cell(x.node)}), interleaved, ${x.orc?.n ?? 0} runs each | ${cell(x.orc)} (${fmtRatio(ratio(x.orc, x.node))}) | |`,
    );
  if (s.drift)
    L.push(
      `| drift repair: \`docker rm -f\` of a container → its replacement started (${s.drift.n} times) | ${cell(s.drift)} | none: compose does not watch |`,
    );
  if (s.driftAfterGone)
    L.push(
      `| drift repair, orc's part: old container gone (engine \`destroy\` event) → replacement started | ${cell(s.driftAfterGone)} | |`,
    );
  for (const idle of s.idle ?? [])
    L.push(
      `| idle daemon, ${idle.containers} containers under management, ${idle.seconds.toFixed(0)} s: CPU | ${idle.cpuPercent.toFixed(2)} % | no daemon |`,
      `| idle daemon, ${idle.containers} containers: RSS (min / median of 1 s samples; max ${idle.rss.max.toFixed(0)} MiB) | ${idle.rss.min.toFixed(0)} / ${idle.rss.median.toFixed(0)} MiB | no daemon |`,
    );
  if (s.cli) {
    if (s.cli.node) L.push(`| \`node -e 0\` (baseline for the rows below) | ${cell(s.cli.node)} | |`);
    if (s.cli.version) L.push(`| \`orc --version\` | ${cell(s.cli.version)} | |`);
    if (s.cli.ps)
      L.push(`| \`orc -p NAME ps\` (${s.cliContainers ?? ''} containers) | ${cell(s.cli.ps)} | |`);
    if (s.cli.psDir) L.push(`| \`orc ps\` in the project's folder (same project) | ${cell(s.cli.psDir)} | |`);
    if (s.cli.composePs) L.push(`| \`docker-compose ps\` (same project) | | ${cell(s.cli.composePs)} |`);
  }
  if (s.loader)
    L.push(
      `| loader: 1,000 services, load + normalise + desired state with hashes (@orc/spec) | ${cell(s.loader.total)} | |`,
    );
  L.push('', '| target | goal | measured | |', '| --- | --- | ---: | :---: |');
  for (const t of targets(s)) L.push(`| ${t.what} | ${t.target} | ${t.value} | ${mark(t.ok)} |`);
  if (meta.errors?.length)
    L.push('', '**Errors during the run:**', '', ...meta.errors.map((e) => `- ${e.replace(/\n/g, ' ')}`));
  return `${L.join('\n')}\n`;
}

const COLORS = { orc: '#2563eb', compose: '#f59e0b', floor: '#6b7280' };
const LABELS = { orc: 'orc', compose: 'docker-compose 1.29', floor: 'engine floor' };

/** One bar chart per step (x: stack size, bars: tools, y: median ms), tiled 2 × 2 into one PNG. */
export async function chart(meta, s, file) {
  const W = 640;
  const H = 400;
  const HEAD = 60;
  const out = createCanvas(W * 2, H * 2 + HEAD);
  const g = out.getContext('2d');
  g.fillStyle = '#ffffff';
  g.fillRect(0, 0, out.width, out.height);
  g.fillStyle = '#111827';
  g.font = 'bold 22px DejaVu Sans';
  g.fillText('orc vs docker-compose 1.29 vs engine floor — median wall time (ms, lower is better)', 16, 28);
  g.font = '15px DejaVu Sans';
  g.fillStyle = '#374151';
  g.fillText(
    `${meta.date.slice(0, 16)} · ${meta.cpus} cores · Engine ${meta.engine} · load avg ${meta.loadAverage.mean.toFixed(1)} (max ${meta.loadAverage.max.toFixed(1)}) · repetitions: ${meta.reps}`,
    16,
    50,
  );
  for (const [i, [step, label]] of STEPS.entries()) {
    const c = createCanvas(W, H);
    const ctx = c.getContext('2d');
    new Chart(ctx, {
      type: 'bar',
      data: {
        labels: s.stacks.map((st) => `${st.n} services`),
        datasets: TOOLS.map((t) => ({
          label: LABELS[t],
          backgroundColor: COLORS[t],
          data: s.stacks.map((st) => st.ops[step][t]?.median ?? null),
        })),
      },
      options: {
        responsive: false,
        animation: false,
        devicePixelRatio: 1,
        plugins: {
          title: { display: true, text: label, font: { size: 18, family: 'DejaVu Sans' } },
          legend: { labels: { font: { size: 13, family: 'DejaVu Sans' } } },
        },
        scales: {
          y: {
            beginAtZero: true,
            title: { display: true, text: 'ms' },
            ticks: { font: { family: 'DejaVu Sans' } },
          },
          x: { ticks: { font: { size: 13, family: 'DejaVu Sans' } } },
        },
      },
    });
    g.drawImage(c, (i % 2) * W, HEAD + Math.floor(i / 2) * H);
  }
  writeFileSync(file, await out.encode('png'));
}
