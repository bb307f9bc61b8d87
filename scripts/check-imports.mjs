#!/usr/bin/env node
/**
 * The import rules of docs/architecture.md, checked (part of `npm run lint` and scripts/test.sh):
 *   1. the daemon's floors: a folder of apps/daemon/src imports only from floors below its own;
 *   2. only engine/ imports dockerode; plan/ is pure (no engine, no I/O modules, only observe's types);
 *   3. no import cycle between modules (apps/daemon/src, packages/spec/src).
 * A short script of ours rather than dependency-cruiser: the rules are a table of ten lines, the check
 * runs in well under a second with no dependency, and its messages say which rule and how to fix it.
 * Test files (`*.test.ts`) may import anything below them plus test support; they are not checked.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const daemon = join(root, 'apps/daemon/src');

/** Floors of apps/daemon/src, ground first. A folder may import its own floor's folder and lower floors. */
export const FLOORS = [
  ['contract'], // shared vocabulary: error type and codes, wire types (TypeBox), events, frames
  ['engine', 'config', 'explain'], // the Engine API (only dockerode importer); settings; definition diffs
  ['observe', 'images', 'store'], // what exists; images; what the user asked for
  ['plan', 'logs'], // pure planner; log streaming
  ['execute'], // performs plan operations by kind
  ['supervise', 'swarm'], // the reconcile loop; the Swarm target (observe/plan/performers of its own)
  ['verbs'], // up, down, run, ... over observe → plan → execute, per target
  ['api'], // fastify plugins
  ['.'], // main.ts, index.ts
];
const floorOf = new Map(FLOORS.flatMap((names, i) => names.map((n) => [n, i])));

/** The Swarm target's pure half (planner, diff, render): held to the planner's rule, within swarm/. */
const PURE_SWARM = new Set(['types.ts', 'plan.ts', 'down.ts', 'diff.ts', 'render.ts', 'bind.ts']);
const isPureSwarm = (file) => folderOf(file) === 'swarm' && PURE_SWARM.has(basename(file));

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^'";]*?from\s*'([^']+)'|import\(\s*'([^']+)'\s*\)/g;

function walk(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (p.endsWith('.ts') && !p.endsWith('.test.ts') && !p.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

function importsOf(file) {
  const text = readFileSync(file, 'utf8');
  const out = [];
  for (const m of text.matchAll(IMPORT)) out.push(m[1] ?? m[2]);
  return out;
}

function resolveRelative(from, spec) {
  const base = resolve(dirname(from), spec);
  const candidates = [base.replace(/\.js$/, '.ts'), `${base}.ts`, join(base, 'index.ts')];
  return candidates.find((c) => existsSync(c));
}

const folderOf = (file) => {
  const rel = relative(daemon, file).split('/');
  return rel.length === 1 ? '.' : rel[0];
};

const problems = [];
const graph = new Map();

for (const top of [daemon, join(root, 'packages/spec/src')]) {
  for (const file of walk(top)) {
    const edges = [];
    for (const spec of importsOf(file)) {
      if (!spec.startsWith('.')) {
        if (top === daemon) checkExternal(file, spec);
        continue;
      }
      const target = resolveRelative(file, spec);
      if (!target) continue; // typecheck reports it
      edges.push(target);
      if (top === daemon) checkFloors(file, target, spec);
    }
    graph.set(file, edges);
  }
}

function checkExternal(file, spec) {
  const folder = folderOf(file);
  if (spec === 'dockerode' && folder !== 'engine')
    problems.push(
      `${rel(file)}: imports dockerode; only engine/ may talk to the Engine API (add a typed call there)`,
    );
  if ((folder === 'plan' || isPureSwarm(file)) && (spec.startsWith('node:') || spec === 'p-queue'))
    problems.push(`${rel(file)}: imports ${spec}; the planner is a pure function of (desired, observed)`);
}

function checkFloors(file, target, spec) {
  const from = folderOf(file);
  const to = relative(daemon, target).startsWith('..') ? undefined : folderOf(target);
  if (to === undefined) {
    problems.push(`${rel(file)}: imports ${spec}, outside apps/daemon/src (test support belongs to tests)`);
    return;
  }
  if (isPureSwarm(file) && !isPureSwarm(target) && to !== 'contract') {
    problems.push(
      `${rel(file)}: the Swarm planner is pure: it imports ${spec}, which is neither contract/ nor one of swarm/'s pure modules`,
    );
    return;
  }
  if (from === to) return;
  const a = floorOf.get(from);
  const b = floorOf.get(to);
  if (a === undefined || b === undefined) {
    problems.push(
      `${rel(file)}: folder ${a === undefined ? from : to}/ has no floor; add it to FLOORS in scripts/check-imports.mjs and docs/architecture.md`,
    );
    return;
  }
  if (b >= a) {
    problems.push(
      `${rel(file)}: ${from}/ (floor ${a}) imports ${spec} in ${to}/ (floor ${b}); imports point down: ` +
        'move the shared piece to a lower floor (contract/ for vocabulary) or pass it in as a parameter',
    );
    return;
  }
  if (from === 'plan' && to === 'observe' && !target.endsWith('observe/types.ts'))
    problems.push(
      `${rel(file)}: the planner reads observed state as data (observe/types.ts), never the engine`,
    );
}

// Cycles between modules (Tarjan's strongly connected components).
let index = 0;
const stack = [];
const info = new Map();
function strong(v) {
  info.set(v, { index, low: index, on: true });
  index++;
  stack.push(v);
  for (const w of graph.get(v) ?? []) {
    if (!graph.has(w)) continue;
    if (!info.has(w)) {
      strong(w);
      info.get(v).low = Math.min(info.get(v).low, info.get(w).low);
    } else if (info.get(w).on) info.get(v).low = Math.min(info.get(v).low, info.get(w).index);
  }
  if (info.get(v).low === info.get(v).index) {
    const scc = [];
    let w;
    do {
      w = stack.pop();
      info.get(w).on = false;
      scc.push(w);
    } while (w !== v);
    if (scc.length > 1) problems.push(`import cycle: ${scc.map(rel).sort().join(' ↔ ')}`);
  }
}
for (const v of graph.keys()) if (!info.has(v)) strong(v);

function rel(file) {
  return relative(root, file);
}

if (problems.length) {
  console.error(`import rules (docs/architecture.md): ${problems.length} problem(s)`);
  for (const p of problems) console.error(`  ${p}`);
  process.exit(1);
}
console.log(`import rules: ${graph.size} modules checked, imports point down, no cycles`);
