/**
 * Issue 15: what Swarm cannot do is listed at once, every error and every warning with its file:line:col,
 * before anything is created; never only the first, never a silent drop in a dependency.
 */
import { describe, expect, it } from 'vitest';
import { formatProblem } from '../model/errors.js';
import { problemsFor } from '../validate/applicable.js';
import { SwarmProblemsError } from './errors.js';
import { swarmCovered } from './selection.js';
import { loadText, projectOf } from './test-load.js';
import { swarmDesiredState } from './translate.js';

// Line numbers matter below: each problem must point at its own line.
const MANY = `services:
  web:
    image: web:1
    privileged: true
    devices: ["/dev/fuse"]
    container_name: web
    ports:
      - target: 80
        published: "8000-8001"
        mode: ingress
    deploy:
      endpoint_mode: dnsrr
    depends_on: [tool]
  tool:
    image: t:1
    network_mode: "none"
    shm_size: 1g
  other:
    image: o:1
    volumes_from: [tool]
`;

/** `file:line:col path message` of each problem, as people read them. */
function where(problems: Array<{ file?: string; line?: number; col?: number; message: string }>): string[] {
  return problems.map((p) => `${p.file ?? '?'}:${p.line ?? '?'}:${p.col ?? '?'} ${p.message.split(':')[0]}`);
}

async function loadedForSwarm(yaml: string) {
  const loaded = await loadText(yaml, { target: 'swarm' });
  if (!loaded.ok) throw new Error(loaded.errors.map(formatProblem).join('\n'));
  return loaded;
}

describe('a swarm target lists every problem at once, located', () => {
  it('the loader: every error of every service (two at one port too) and every warning, each at its line', async () => {
    const loaded = await loadedForSwarm(MANY);
    const errors = problemsFor(loaded.project, Object.keys(loaded.project.services));
    expect(where(errors).sort()).toEqual(
      [
        'compose.yaml:4:5 "privileged"',
        'compose.yaml:5:5 "devices"',
        'compose.yaml:8:9 a published port range',
        'compose.yaml:8:9 an ingress port with endpoint_mode dnsrr',
        'compose.yaml:16:19 network_mode "none"',
        'compose.yaml:20:5 "volumes_from"',
      ].sort(),
    );
    expect(where(loaded.warnings).sort()).toEqual(
      ['compose.yaml:6:5 "container_name"', 'compose.yaml:17:5 "shm_size"'].sort(),
    );
    for (const p of [...errors, ...loaded.warnings]) expect(p.hint ?? '', p.message).not.toBe('');
  });

  it('the translation: one SwarmProblemsError with all of them, located, not the first alone', async () => {
    const loaded = await loadedForSwarm(MANY);
    let thrown: unknown;
    try {
      swarmDesiredState(loaded.project);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(SwarmProblemsError);
    const e = thrown as SwarmProblemsError;
    expect(where(e.problems).sort()).toEqual(
      where(problemsFor(loaded.project, Object.keys(loaded.project.services))).sort(),
    );
    expect(e.message).toMatch(/^compose\.yaml:\d+:\d+: .* \(and 5 more\)$/);
    expect(e.problems.every((p) => p.path?.startsWith('services.'))).toBe(true);
  });

  it('the translation of a project loaded for the local target: every problem, by key path', async () => {
    const project = await projectOf(MANY);
    let thrown: unknown;
    try {
      swarmDesiredState(project);
    } catch (err) {
      thrown = err;
    }
    const e = thrown as SwarmProblemsError;
    expect(e.problems.map((p) => p.path).sort()).toEqual(
      [
        'services.other.volumes_from',
        'services.tool.network_mode',
        'services.web.devices',
        'services.web.ports[0]',
        'services.web.ports[0]',
        'services.web.privileged',
      ].sort(),
    );
    expect(e.problems.every((p) => p.file === undefined)).toBe(true);
  });

  it("a service's dependencies are checked with it (they are created too); --no-deps checks it alone", async () => {
    const project = await projectOf(`
services:
  web: {image: web:1, depends_on: [db]}
  db: {image: db:1, depends_on: [disk]}
  disk: {image: d:1, privileged: true}
  lone: {image: l:1}
`);
    expect(() => swarmDesiredState(project, { services: ['web'] })).toThrow(
      /"privileged": not on a swarm target/,
    );
    expect(swarmDesiredState(project, { services: ['web'], noDeps: true }).services).toHaveLength(4);
    expect(swarmDesiredState(project, { services: ['lone'] }).services).toHaveLength(4);
  });
});

describe('swarmCovered', () => {
  it('the named services with their depends_on, transitively; only the named with noDeps; all without names', async () => {
    const project = await projectOf(`
services:
  a: {image: x, depends_on: [b]}
  b: {image: x, depends_on: {c: {condition: service_healthy}}}
  c: {image: x}
  d: {image: x, depends_on: [a]}
`);
    expect(swarmCovered(project, ['a'])).toEqual(['a', 'b', 'c']);
    expect(swarmCovered(project, ['d', 'c'])).toEqual(['a', 'b', 'c', 'd']);
    expect(swarmCovered(project, ['a'], true)).toEqual(['a']);
    expect(swarmCovered(project)).toEqual(['a', 'b', 'c', 'd']);
    expect(swarmCovered(project, ['nope'])).toEqual([]);
  });
});
