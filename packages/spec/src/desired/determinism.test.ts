import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Network, Project, Service, Volume } from '../model/project.js';
import { desiredState } from './desired-state.js';
import { proj, svc } from './test-builders.js';

const word = fc.stringMatching(/^[a-z][a-z0-9]{0,6}$/);

const serviceFields = fc.record(
  {
    environment: fc.dictionary(fc.stringMatching(/^[A-Z]{1,5}$/), word, { maxKeys: 4 }),
    labels: fc.dictionary(word, word, { maxKeys: 3 }),
    command: fc.array(word, { maxLength: 3 }),
    restart: fc.constantFrom('always', 'no', 'unless-stopped'),
    scale: fc.integer({ min: 0, max: 3 }),
    sysctls: fc.dictionary(word, word, { maxKeys: 2 }),
    uses_data: fc.boolean(),
    on_back: fc.boolean(),
  },
  { requiredKeys: ['scale', 'uses_data', 'on_back'] },
);

/** Up to 6 services; each may depend on services generated before it (no cycles). */
const projectArb: fc.Arbitrary<Project> = fc
  .array(serviceFields, { minLength: 1, maxLength: 6 })
  .chain((list) =>
    fc.tuple(
      fc.constant(list),
      fc.array(fc.subarray([...list.keys()]), { minLength: list.length, maxLength: list.length }),
    ),
  )
  .map(([list, deps]) => {
    const services: Service[] = list.map(({ uses_data, on_back, ...fields }, i) => {
      const depends = (deps[i] ?? []).filter((d) => d < i);
      return svc(`s${i}`, {
        ...fields,
        networks: on_back ? { default: null, back: { aliases: [`a${i}`] } } : { default: null },
        volumes: uses_data ? [{ type: 'volume', source: 'data', target: '/data' }] : [],
        depends_on: Object.fromEntries(
          depends.map((d) => [
            `s${d}`,
            { condition: 'service_started' as const, required: true, restart: false },
          ]),
        ),
      });
    });
    const network = (name: string): Network => ({ name, labels: { z: '1', a: '2' }, extensions: {} });
    const volume: Volume = { name: 'demo_data', driver_opts: { o: 'x', b: 'y' }, labels: {}, extensions: {} };
    return proj(services, {
      networks: { default: network('demo_default'), back: network('demo_back') },
      volumes: { data: volume },
    });
  });

function shuffleKeys(value: unknown, rand: () => number): unknown {
  if (Array.isArray(value)) return value.map((v) => shuffleKeys(v, rand));
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value);
    for (let i = keys.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [keys[i], keys[j]] = [keys[j] as string, keys[i] as string];
    }
    const out: Record<string, unknown> = {};
    for (const key of keys) out[key] = shuffleKeys((value as Record<string, unknown>)[key], rand);
    return out;
  }
  return value;
}

function seeded(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

describe('desiredState determinism (fast-check)', () => {
  it('gives the same bytes for the same project, whatever the key order of any map', () => {
    fc.assert(
      fc.property(projectArb, fc.integer(), (project, seed) => {
        const shuffled = shuffleKeys(structuredClone(project), seeded(seed)) as Project;
        expect(JSON.stringify(desiredState(shuffled))).toBe(JSON.stringify(desiredState(project)));
      }),
      { numRuns: 200 },
    );
  });

  it('always lists a service after everything it depends on', () => {
    fc.assert(
      fc.property(projectArb, (project) => {
        const order = desiredState(project).services.map((s) => s.name);
        for (const [i, name] of order.entries()) {
          for (const dep of Object.keys(project.services[name]?.depends_on ?? {})) {
            expect(order.indexOf(dep)).toBeLessThan(i);
          }
        }
      }),
    );
  });

  it('network and volume hashes ignore key order and change with their config', () => {
    fc.assert(
      fc.property(projectArb, fc.integer(), word, (project, seed, value) => {
        const state = desiredState(project);
        const shuffled = desiredState(shuffleKeys(structuredClone(project), seeded(seed)) as Project);
        expect(shuffled.networks.map((n) => n.hash)).toEqual(state.networks.map((n) => n.hash));
        expect(shuffled.volumes.map((v) => v.hash)).toEqual(state.volumes.map((v) => v.hash));
        const changed = structuredClone(project);
        if (changed.networks.default) changed.networks.default.labels = { extra: value };
        if (changed.volumes.data) changed.volumes.data.driver_opts = { o: `${value}!` };
        const after = desiredState(changed);
        const hashOf = (s: typeof state, key: string) => s.networks.find((n) => n.key === key)?.hash;
        expect(hashOf(after, 'default')).not.toBe(hashOf(state, 'default'));
        const volumeHash = (s: typeof state) => s.volumes.find((v) => v.key === 'data')?.hash;
        if (volumeHash(state)) expect(volumeHash(after)).not.toBe(volumeHash(state));
      }),
    );
  });
});
