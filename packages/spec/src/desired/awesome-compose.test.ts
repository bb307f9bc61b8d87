/**
 * Every real project of the awesome-compose corpus (read in place) through the whole spec path:
 * load → desiredState (twice: same bytes) → invariants the daemon relies on → renderConfig →
 * load the rendered YAML again → the same config hashes (render and loader agree).
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadProject } from '../load/load-project.js';
import { formatProblem } from '../model/errors.js';
import { Labels } from '../model/labels.js';
import type { Project } from '../model/project.js';
import { renderConfig } from '../render/render-config.js';
import { desiredState } from './desired-state.js';

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

async function load(file: string): Promise<Project> {
  const r = await loadProject({ workingDir: dirname(file), files: [file], env: { HOME: '/home/tester' } });
  if (!r.ok) throw new Error(r.errors.map(formatProblem).join('\n'));
  return r.project;
}

describe.skipIf(!present)('awesome-compose: desired state and rendering', () => {
  const files = present ? composeFiles(corpus) : [];

  it.each(files.map((f) => [f.slice(corpus.length + 1), f]))('%s', async (_, file) => {
    const project = await load(file);
    const state = desiredState(project);
    expect(JSON.stringify(desiredState(await load(file)))).toBe(JSON.stringify(state));

    const networkNames = new Set(state.networks.map((n) => n.name));
    const volumeNames = new Set(state.volumes.map((v) => v.name));
    const containerNames = state.services.flatMap((s) => s.containers.map((c) => c.name));
    expect(new Set(containerNames).size).toBe(containerNames.length);
    const seen = new Set<string>();
    for (const service of state.services) {
      // Dependency order: whatever a service needs comes earlier.
      for (const dep of [...Object.keys(service.depends_on), ...service.uses]) {
        if (dep in project.services) expect(seen.has(dep)).toBe(true);
      }
      seen.add(service.name);
      expect(JSON.parse(service.definition)).toMatchObject({ name: service.name });
      for (const container of service.containers) {
        const body = container.create;
        expect(body.Labels[Labels.configHash]).toBe(service.hash);
        expect(body.Labels[Labels.project]).toBe(project.name);
        for (const endpoint of container.endpoints) expect(networkNames.has(endpoint.name)).toBe(true);
        const mode = body.HostConfig.NetworkMode ?? '';
        if (mode.startsWith('container:')) expect(containerNames).toContain(mode.slice('container:'.length));
        else if (!['host', 'none', 'bridge'].includes(mode)) expect(mode).toBe(container.endpoints[0]?.name);
        for (const mount of body.HostConfig.Mounts ?? []) {
          if (mount.Type === 'volume' && mount.Source) expect(volumeNames.has(mount.Source)).toBe(true);
          if (mount.Type === 'bind') expect(mount.Source?.startsWith('/')).toBe(true);
        }
        expect(body.HostConfig.LogConfig?.Type).toBeTruthy();
      }
    }

    const rendered = renderConfig(project);
    const again = await loadProject({
      workingDir: project.working_dir,
      inline: [{ name: 'rendered.yaml', content: rendered }],
      env: {},
      projectName: project.name,
    });
    if (!again.ok)
      throw new Error(`rendered config does not load:\n${again.errors.map(formatProblem).join('\n')}`);
    const hashes = (s: typeof state) => Object.fromEntries(s.services.map((x) => [x.name, x.hash]));
    expect(hashes(desiredState(again.project))).toEqual(hashes(state));
  });
});
