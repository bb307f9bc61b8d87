#!/usr/bin/env node
/**
 * Spec pipeline benchmark: compose file → loadProject (parse, interpolate, validate, normalise)
 * → desiredState (create bodies + config hashes) → renderConfig, on generated projects of
 * 100 and 1,000 services. Prints a markdown table (min / median of several runs); asserts nothing.
 *
 *   npx turbo run build --filter=@orc/spec && node bench/spec/load.bench.mjs [runs]
 *
 * Target we report against: load + desiredState ≤ 80 ms for 1,000 services (issue 17).
 * Wall times swing with the machine's load; the CPU column (process CPU time, GC threads included)
 * is steadier. The two parse columns are the same text alone: `js-yaml`'s load (what the loader
 * parses with) and `yaml`'s parseDocument (what it parses with only to locate a problem, or when
 * js-yaml's reading could differ: packages/spec/src/load/fast-yaml.ts).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { desiredState, loadProject, renderConfig, serviceHash } from '@orc/spec';
import { load as jsYamlLoad } from 'js-yaml';
import { parseDocument } from 'yaml';

const isMain = process.argv[1] === fileURLToPath(import.meta.url);
const RUNS = Number((isMain && process.argv[2]) || 7);
const SIZES = [100, 1000];
const TARGET_MS = 80;

/**
 * A realistic-looking project: a shared `<<: *common` block (the alias trap), interpolation,
 * ports, named and bind volumes, two networks, a healthcheck, resources, and a dependency chain.
 */
export function composeText(count) {
  const lines = [
    'x-common: &common',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: compose interpolation, not a JS template
    '  image: orc-fixture/busybox:${TAG:-1}',
    '  restart: unless-stopped',
    '  labels:',
    '    com.example.team: bench',
    '  logging:',
    '    driver: json-file',
    '    options: { max-size: "1m", max-file: "2" }',
    'services:',
  ];
  for (let i = 0; i < count; i++) {
    const name = `svc${String(i).padStart(4, '0')}`;
    lines.push(
      `  ${name}:`,
      '    <<: *common',
      `    command: ["sh", "-c", "httpd -f -p 80"]`,
      '    environment:',
      `      SERVICE_NAME: ${name}`,
      // biome-ignore lint/suspicious/noTemplateCurlyInString: compose interpolation, not a JS template
      '      REGION: ${REGION:-eu}',
      '      DEBUG: "false"',
      '    ports:',
      '      - "80"',
      '    expose: ["9000"]',
      '    volumes:',
      '      - data:/data',
      '      - ./conf:/conf:ro',
      '    networks: [front, back]',
      '    healthcheck:',
      '      test: ["CMD-SHELL", "wget -qO- http://localhost/ || exit 1"]',
      '      interval: 10s',
      '      timeout: 2s',
      '      retries: 3',
      '    deploy:',
      '      resources:',
      '        limits: { memory: 64m, cpus: "0.25" }',
    );
    if (i > 0 && i % 10 !== 0) {
      const dep = `svc${String(i - 1).padStart(4, '0')}`;
      lines.push('    depends_on:', `      ${dep}:`, '        condition: service_started');
    }
  }
  lines.push('networks:', '  front: {}', '  back: {}', 'volumes:', '  data: {}', '');
  return lines.join('\n');
}

function stats(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  return { min: sorted[0], median: sorted[Math.floor(sorted.length / 2)] };
}

const fmt = (ms) => ms.toFixed(1);

/**
 * Loads not timed before the timed ones: the first loads of a process run while V8 still compiles the
 * loader and grows its young generation from 1 MB (the 2nd–4th loads took 100–370 ms where the 10th on took
 * 60–100, session 32), and the target is the loader's own steady time in a process that loads again.
 */
const WARMUP = 3;

/**
 * Exported (with `runs`) for bench/run.mjs, which gathers every benchmark into one report. The timed loads
 * run back to back; the other columns (hashes, renderConfig, the two parsers alone) are measured after
 * them, on their own: `yaml`'s parse of the whole file builds a document many times the loader's size, and
 * when it ran between the timed loads they paid for its heap (session 32: medians ~150 ms against ~90).
 */
export async function measure(count, runs = RUNS) {
  const dir = mkdtempSync(join(tmpdir(), 'orc-bench-spec-'));
  try {
    const text = composeText(count);
    writeFileSync(join(dir, 'compose.yaml'), text);
    const phases = {
      load: [],
      desired: [],
      hash: [],
      render: [],
      total: [],
      cpu: [],
      yamlParse: [],
      jsYamlParse: [],
    };
    let project;
    for (let run = 1 - WARMUP; run <= runs; run++) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      const result = await loadProject({ workingDir: dir, env: { TAG: '1' }, projectName: 'bench' });
      const t1 = performance.now();
      if (!result.ok) {
        const first = result.errors[0];
        throw new Error(`load failed: ${first?.code} ${first?.message} (${first?.path ?? ''})`);
      }
      const state = desiredState(result.project);
      const t2 = performance.now();
      const cpu = process.cpuUsage(c0);
      if (state.services.length !== count)
        throw new Error(`expected ${count} services, got ${state.services.length}`);
      project = result.project;
      if (run <= 0) continue; // warm-up
      phases.cpu.push((cpu.user + cpu.system) / 1000);
      phases.load.push(t1 - t0);
      phases.desired.push(t2 - t1);
      phases.total.push(t2 - t0);
    }
    for (let run = 0; run <= runs; run++) {
      const t2 = performance.now();
      for (const service of Object.values(project.services)) serviceHash(service);
      const t3 = performance.now();
      renderConfig(project);
      const t4 = performance.now();
      const p0 = process.cpuUsage();
      parseDocument(text, { merge: true, uniqueKeys: false });
      const parseCpu = process.cpuUsage(p0);
      const j0 = process.cpuUsage();
      jsYamlLoad(text);
      const jsParseCpu = process.cpuUsage(j0);
      if (run === 0) continue; // warm-up
      phases.yamlParse.push((parseCpu.user + parseCpu.system) / 1000);
      phases.jsYamlParse.push((jsParseCpu.user + jsParseCpu.system) / 1000);
      phases.hash.push(t3 - t2);
      phases.render.push(t4 - t3);
    }
    return phases;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (isMain) await printTable();

async function printTable() {
  console.log(
    `# spec pipeline (${RUNS} runs after ${WARMUP} warm-ups; node ${process.version}; target load+desired ≤ ${TARGET_MS} ms @ 1000)\n`,
  );
  console.log(
    '| services | load+normalise (min / median ms) | desiredState incl. hashes | hashes alone | renderConfig yaml | load+desired (min / median ms) | load+desired CPU | js-yaml parse alone CPU | yaml parse alone CPU |',
  );
  console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const count of SIZES) {
    const p = await measure(count);
    const cell = (samples) => {
      const s = stats(samples);
      return `${fmt(s.min)} / ${fmt(s.median)}`;
    };
    console.log(
      `| ${count} | ${cell(p.load)} | ${cell(p.desired)} | ${cell(p.hash)} | ${cell(p.render)} | ${cell(p.total)} | ${cell(p.cpu)} | ${cell(p.jsYamlParse)} | ${cell(p.yamlParse)} |`,
    );
  }
}
