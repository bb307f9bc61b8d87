import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applySwarmPlan, nothing, swarmFromCompose } from '../../test/support/swarm/fixtures.js';
import { planSwarm } from './plan.js';
import type { SwarmPlan } from './types.js';

interface Gen {
  services: Array<{
    tag: number;
    env: Record<string, string>;
    replicas: number;
    deps: Array<{ on: number; condition: string }>;
    secrets: boolean[];
    networks: boolean[];
  }>;
  secretValues: string[];
}

const CONDITIONS = ['service_started', 'service_healthy', 'service_completed_successfully'];

const stack: fc.Arbitrary<Gen> = fc.record({
  services: fc.array(
    fc.record({
      tag: fc.integer({ min: 1, max: 3 }),
      env: fc.dictionary(fc.constantFrom('A', 'B', 'C'), fc.constantFrom('1', '2')),
      replicas: fc.integer({ min: 0, max: 3 }),
      deps: fc.array(fc.record({ on: fc.nat(), condition: fc.constantFrom(...CONDITIONS) }), {
        maxLength: 2,
      }),
      secrets: fc.array(fc.boolean(), { minLength: 2, maxLength: 2 }),
      networks: fc.array(fc.boolean(), { minLength: 2, maxLength: 2 }),
    }),
    { minLength: 1, maxLength: 6 },
  ),
  secretValues: fc.array(fc.constantFrom('x', 'y', 'z'), { minLength: 2, maxLength: 2 }),
});

/** Compose text for a generated stack; a service depends only on earlier ones (no cycles). */
function yamlOf(g: Gen): string {
  const out = ['services:'];
  g.services.forEach((s, i) => {
    out.push(`  s${i}:`, `    image: img${i}:${s.tag}`, '    healthcheck: {test: "true"}');
    out.push(`    environment: ${JSON.stringify(s.env)}`);
    out.push(`    deploy: {replicas: ${s.replicas}}`);
    const deps = new Map(i === 0 ? [] : s.deps.map((d) => [`s${d.on % i}`, d.condition]));
    if (deps.size) {
      out.push('    depends_on:');
      for (const [on, condition] of deps) out.push(`      ${on}: {condition: ${condition}}`);
    }
    const secrets = s.secrets.flatMap((on, k) => (on ? [`k${k}`] : []));
    if (secrets.length) out.push(`    secrets: [${secrets.join(', ')}]`);
    const nets = s.networks.flatMap((on, k) => (on ? [`n${k}`] : []));
    if (nets.length) out.push(`    networks: [${nets.join(', ')}]`);
  });
  out.push('networks: {n0: {}, n1: {}}');
  out.push(`secrets: {k0: {content: "${g.secretValues[0]}"}, k1: {content: "${g.secretValues[1]}"}}`);
  return out.join('\n');
}

function wellFormed(plan: SwarmPlan): void {
  const seen = new Set<string>();
  for (const op of plan.operations) {
    expect(seen.has(op.id), `duplicate id ${op.id}`).toBe(false);
    for (const dep of op.after)
      expect(seen.has(dep), `${op.id} runs after ${dep}, which comes later`).toBe(true);
    seen.add(op.id);
  }
}

const changes = (plan: SwarmPlan) =>
  plan.operations.filter((o) => !o.kind.startsWith('wait')).map((o) => `${o.kind} ${o.service ?? o.id}`);

describe('planSwarm (property): converges, plans in order, changes only what changed', () => {
  it('from nothing: well-formed; applied, the next plan is empty', async () => {
    await fc.assert(
      fc.asyncProperty(stack, async (g) => {
        const desired = await swarmFromCompose(yamlOf(g));
        const plan = planSwarm(desired, nothing());
        wellFormed(plan);
        expect(plan.problems).toEqual([]);
        const after = applySwarmPlan(nothing(), plan);
        expect(planSwarm(desired, after).operations).toEqual([]);
      }),
      { numRuns: 40 },
    );
  });

  it('one service changed: exactly that service is updated; a secret changed: exactly its users', async () => {
    await fc.assert(
      fc.asyncProperty(stack, fc.nat(), async (g, pick) => {
        const before = await swarmFromCompose(yamlOf(g));
        const observed = applySwarmPlan(nothing(), planSwarm(before, nothing()));
        const i = pick % g.services.length;
        const edited = structuredClone(g);
        (edited.services[i] as Gen['services'][number]).env.ZZ = 'changed';
        const plan = planSwarm(await swarmFromCompose(yamlOf(edited)), observed);
        wellFormed(plan);
        expect(changes(plan)).toEqual([`update-service s${i}`]);

        const rotated = structuredClone(g);
        rotated.secretValues[0] = `${g.secretValues[0]}-new`;
        const desired = await swarmFromCompose(yamlOf(rotated));
        const roll = planSwarm(desired, observed);
        wellFormed(roll);
        const users = g.services.flatMap((s, k) => (s.secrets[0] ? [`update-service s${k}`] : []));
        const expected = users.length ? ['create-secret', ...users, 'remove-secret'] : [];
        expect(changes(roll).map((c) => (c.includes('secret') ? c.split(' ')[0] : c))).toEqual(expected);
        expect(planSwarm(desired, applySwarmPlan(observed, roll)).operations).toEqual([]);
      }),
      { numRuns: 30 },
    );
  });
});
