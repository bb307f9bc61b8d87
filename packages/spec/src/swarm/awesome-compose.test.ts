/**
 * Every real project of the awesome-compose corpus on a swarm target: it loads (what Swarm cannot do is
 * a located problem of its services, never a load failure or a crash), every problem has a file:line,
 * and the services without problems translate deterministically into specs named and labelled as
 * `docker stack deploy` would.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadProject } from '../load/load-project.js';
import { formatProblem } from '../model/errors.js';
import { SwarmLabels } from '../model/labels.js';
import { problemsFor } from '../validate/applicable.js';
import { swarmDesiredState } from './translate.js';

const here = dirname(fileURLToPath(import.meta.url));
const corpus = resolve(here, '../../../../../shared/corpus/awesome-compose');
const COMPOSE_NAME = /^(compose|docker-compose)\.ya?ml$/;
const present = existsSync(corpus);

function composeFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const p = join(dir, entry);
    if (statSync(p).isDirectory()) out.push(...composeFiles(p));
    else if (COMPOSE_NAME.test(entry)) out.push(p);
  }
  return out;
}

const readFile = (path: string) => new TextEncoder().encode(`contents of ${path}`);

describe.skipIf(!present)('awesome-compose on a swarm target', () => {
  const files = present ? composeFiles(corpus) : [];

  it.each(files.map((f) => [f.slice(corpus.length + 1), f]))('%s', async (_, file) => {
    const load = () =>
      loadProject({
        workingDir: dirname(file),
        files: [file],
        env: { HOME: '/home/tester' },
        target: 'swarm',
      });
    const r = await load();
    if (!r.ok) throw new Error(r.errors.map(formatProblem).join('\n'));
    const project = r.project;
    const names = Object.keys(project.services);
    for (const w of r.warnings) expect(w.file, formatProblem(w)).toBeDefined();
    const clean = names.filter((n) => problemsFor(project, [n]).length === 0);
    for (const name of names.filter((n) => !clean.includes(n))) {
      for (const p of problemsFor(project, [name])) expect(p.line, formatProblem(p)).toBeGreaterThan(0);
    }
    // Only what the clean services need (their dependencies may be the ones with problems).
    const ok = clean.filter((n) =>
      Object.keys(project.services[n]?.depends_on ?? {}).every((d) => clean.includes(d)),
    );
    // No service left to translate (e.g. each one builds and names no registry): an empty `services`
    // would mean "all" to the translation, which rightly refuses them.
    if (ok.length === 0) return;
    const desired = swarmDesiredState(project, { services: ok, readFile });
    const again = await load();
    if (!again.ok) throw new Error('second load failed');
    expect(JSON.stringify(swarmDesiredState(again.project, { services: ok, readFile }))).toBe(
      JSON.stringify(desired),
    );
    for (const service of desired.services.filter((s) => ok.includes(s.name))) {
      expect(service.spec.Name).toBe(`${project.name}_${service.name}`);
      expect(service.spec.Labels[SwarmLabels.namespace]).toBe(project.name);
      expect(service.spec.Labels[SwarmLabels.orcConfigHash]).toBe(service.hash);
      expect(service.spec.TaskTemplate.ContainerSpec.Labels?.[SwarmLabels.namespace]).toBe(project.name);
      for (const n of service.spec.TaskTemplate.Networks ?? []) {
        if (n.Target !== 'host') expect(desired.networks.map((x) => x.name)).toContain(n.Target);
      }
    }
  });
});
