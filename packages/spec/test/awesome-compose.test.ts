import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatProblem, loadProject } from '../src/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const corpus = resolve(here, '../../../../shared/corpus/awesome-compose');
const COMPOSE_NAME = /^(compose|docker-compose)\.ya?ml$/;

function composeFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const p = join(dir, entry);
    if (statSync(p).isDirectory()) out.push(...composeFiles(p));
    else if (COMPOSE_NAME.test(entry)) out.push(p);
  }
  return out;
}

const present = existsSync(corpus);
if (!present)
  console.warn(`skipping the awesome-compose corpus: ${corpus} is absent (a clone without ../shared)`);

describe.skipIf(!present)('awesome-compose corpus', () => {
  const files = present ? composeFiles(corpus) : [];

  it('has the compose files the corpus promises', () => {
    expect(files.length).toBeGreaterThanOrEqual(39);
  });

  it.each(files.map((f) => [f.slice(corpus.length + 1), f]))(
    '%s loads, validates and normalises',
    async (_, file) => {
      const r = await loadProject({
        workingDir: dirname(file),
        files: [file],
        env: { HOME: '/home/tester' },
      });
      const errors = r.ok ? [] : r.errors.map(formatProblem);
      expect(errors).toEqual([]);
      if (!r.ok) return;
      const p = r.project;
      expect(Object.keys(p.services).length).toBeGreaterThan(0);
      for (const svc of Object.values(p.services)) {
        // Normalised: long syntax everywhere, absolute paths, a network for every service.
        expect(svc.image ?? svc.build?.context).toBeTruthy();
        if (svc.build && !svc.build.context.includes('://'))
          expect(svc.build.context.startsWith('/')).toBe(true);
        for (const v of svc.volumes) if (v.type === 'bind') expect(v.source?.startsWith('/')).toBe(true);
        for (const port of svc.ports) expect(port.target).toBeGreaterThan(0);
        if (!svc.network_mode) expect(Object.keys(svc.networks).length).toBeGreaterThan(0);
        for (const net of Object.keys(svc.networks)) expect(p.networks[net]).toBeDefined();
      }
    },
  );
});
