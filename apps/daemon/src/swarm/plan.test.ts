import { SwarmLabels } from '@orc/spec';
import { describe, expect, it } from 'vitest';
import {
  applySwarmPlan,
  convergedSwarm,
  nothing,
  swarmFromCompose,
} from '../../test/support/swarm/fixtures.js';
import { planSwarm } from './plan.js';
import { renderSwarmPlan } from './render.js';

const STACK = `
services:
  db:
    image: db:1
    healthcheck: {test: "true", interval: 1s}
    secrets: [pw]
  migrate:
    image: tool:1
    depends_on: {db: {condition: service_healthy}}
  web:
    image: web:1
    environment: {A: "1"}
    deploy: {replicas: 6, endpoint_mode: dnsrr}
    networks: [front, default]
    depends_on:
      db: {condition: service_healthy}
      migrate: {condition: service_completed_successfully}
      cache: {condition: service_started, required: false}
  cache:
    image: cache:1
networks:
  front: {}
secrets:
  pw: {content: "s3cret"}
`;

const lines = (plan: ReturnType<typeof planSwarm>) =>
  renderSwarmPlan(plan).map((l) => l.replace(/_[0-9a-f]{12}\b/g, '_<hash>'));

describe('planSwarm: from nothing', () => {
  it('creates networks and secrets first, then each service after what it depends on has converged', async () => {
    const desired = await swarmFromCompose(STACK);
    const plan = planSwarm(desired, nothing());
    expect(lines(plan)).toEqual([
      'create network demo_default [overlay] (missing)',
      'create network demo_front [overlay] (missing)',
      'create secret demo_pw_<hash> for pw (missing)',
      'create service demo_cache ×1 (missing)',
      'create service demo_db ×1 (missing)',
      'wait for service demo_db healthy (migrate depends on it)',
      'create service demo_migrate job ×1 (missing)',
      'wait for service demo_cache running (optional) (web depends on it)',
      'wait for service demo_migrate completed (web depends on it)',
      'create service demo_web ×6 (missing)',
    ]);
    const after = Object.fromEntries(plan.operations.map((op) => [op.id, op.after]));
    expect(after['create-service:demo_web']?.sort()).toEqual([
      'create-network:demo_default',
      'create-network:demo_front',
      'wait-service:demo_cache:running',
      'wait-service:demo_db:healthy',
      'wait-service:demo_migrate:completed',
    ]);
    expect(after['wait-service:demo_db:healthy']).toEqual(['create-service:demo_db']);
    expect(after['create-service:demo_db']).toEqual([
      'create-network:demo_default',
      expect.stringMatching(/^create-secret:demo_pw_[0-9a-f]{12}$/),
    ]);
    expect(plan.problems).toEqual([]);
  });

  it('never renders a secret value', async () => {
    const desired = await swarmFromCompose(STACK);
    expect(renderSwarmPlan(planSwarm(desired, nothing())).join('\n')).not.toContain('s3cret');
  });

  it('up --wait waits for every service: healthy with a healthcheck, completed for a job, else running', async () => {
    const desired = await swarmFromCompose(STACK);
    const plan = planSwarm(desired, convergedSwarm(desired), { wait: true });
    expect(lines(plan)).toEqual([
      'wait for service demo_cache running (up --wait)',
      'wait for service demo_db healthy (up --wait)',
      'wait for service demo_migrate completed (up --wait)',
      'wait for service demo_web running (up --wait)',
    ]);
  });
});

/** web is updated only once what it depends on has converged, as when it is created. */
const WEB_WAITS = [
  'wait for service demo_cache running (optional) (web depends on it)',
  'wait for service demo_db healthy (web depends on it)',
  'wait for service demo_migrate completed (web depends on it)',
];

describe('planSwarm: converged and changed', () => {
  it('a converged stack (as the engine returns it: ids bound, defaults added, digests pinned) plans nothing', async () => {
    const desired = await swarmFromCompose(STACK);
    expect(planSwarm(desired, convergedSwarm(desired))).toEqual({
      project: 'demo',
      operations: [],
      warnings: [],
      problems: [],
    });
  });

  it('applying a plan converges: the next plan is empty', async () => {
    const desired = await swarmFromCompose(STACK);
    const after = applySwarmPlan(nothing(), planSwarm(desired, nothing()));
    expect(planSwarm(desired, after).operations).toEqual([]);
  });

  it('changing one service updates that one only, with its version and the fields that changed', async () => {
    const before = await swarmFromCompose(STACK);
    const observed = convergedSwarm(before);
    const desired = await swarmFromCompose(STACK.replace('A: "1"', 'A: "2", B: "x"'));
    const plan = planSwarm(desired, observed);
    expect(lines(plan)).toEqual([
      ...WEB_WAITS,
      'update service demo_web (version 10) (config differs: environment.A, environment.B)',
    ]);
    const op = plan.operations.at(-1);
    expect(op?.after).toEqual(plan.operations.slice(0, 3).map((o) => o.id));
    expect(op?.kind === 'update-service' && [op.serviceId, op.changed]).toEqual([
      'svc-demo_web',
      ['ContainerSpec.Env.A', 'ContainerSpec.Env.B'],
    ]);
    expect(planSwarm(desired, applySwarmPlan(observed, plan)).operations).toEqual([]);
  });

  it('update_config order start-first goes into the update', async () => {
    const yaml = 'services: {web: {image: web:1, deploy: {update_config: {order: start-first}}}}';
    const desired = await swarmFromCompose(yaml.replace('web:1', 'web:2'));
    const plan = planSwarm(desired, convergedSwarm(await swarmFromCompose(yaml)));
    const [op] = plan.operations;
    expect(op?.kind === 'update-service' && [op.changed, op.spec.UpdateConfig]).toEqual([
      ['ContainerSpec.Image', 'Labels.com.docker.stack.image'],
      { Order: 'start-first' },
    ]);
  });

  it('a service scaled or edited by hand is restored, and says it changed on the cluster', async () => {
    const desired = await swarmFromCompose(STACK);
    const observed = convergedSwarm(desired);
    const web = observed.services.find((s) => s.name === 'demo_web');
    if (!web) throw new Error('no web');
    web.spec = { ...web.spec, Mode: { Replicated: { Replicas: 2 } } };
    web.spec.TaskTemplate.ContainerSpec.Env = ['A=1', 'DEBUG=1'];
    expect(lines(planSwarm(desired, observed))).toEqual([
      ...WEB_WAITS,
      'update service demo_web (version 10) (changed on the cluster: environment.DEBUG, deploy.replicas)',
    ]);
  });

  it('a changed secret value: a new version first, the service rolls to it, the old version goes after', async () => {
    const before = await swarmFromCompose(STACK);
    const observed = convergedSwarm(before);
    const desired = await swarmFromCompose(STACK.replace('s3cret', 'n3w'));
    const plan = planSwarm(desired, observed);
    expect(lines(plan)).toEqual([
      'create secret demo_pw_<hash> for pw (value changed (new version))',
      'update service demo_db (version 10) (config differs: secrets)',
      'remove secret demo_pw_<hash> (old version of pw)',
    ]);
    const [create, update, remove] = plan.operations;
    expect(update?.after).toEqual([create?.id]);
    expect(remove?.after).toEqual([update?.id]);
    expect(
      create?.kind === 'create-secret' && remove?.kind === 'remove-secret' && create.name !== remove.name,
    ).toBe(true);
    const after = applySwarmPlan(observed, plan);
    expect(after.secrets.map((s) => s.name)).toEqual(desired.secrets.map((s) => s.name));
    expect(planSwarm(desired, after).operations).toEqual([]);
  });

  it('keeps an old secret version a service outside the selection still uses', async () => {
    const yaml =
      'services: {a: {image: a, secrets: [s]}, b: {image: b, secrets: [s]}}\nsecrets: {s: {content: "1"}}';
    const observed = convergedSwarm(await swarmFromCompose(yaml));
    const desired = await swarmFromCompose(yaml.replace('"1"', '"2"'));
    const plan = planSwarm(desired, observed, { services: ['a'] });
    expect(lines(plan)).toEqual([
      'create secret demo_s_<hash> for s (value changed (new version))',
      'update service demo_a (version 10) (config differs: secrets)',
    ]);
  });

  it('--force-recreate updates unchanged services, bumping ForceUpdate', async () => {
    const desired = await swarmFromCompose('services: {web: {image: web:1}}');
    const plan = planSwarm(desired, convergedSwarm(desired), { forceUpdate: true });
    expect(lines(plan)).toEqual(['update service demo_web (version 10) (forced (--force-recreate))']);
    const [op] = plan.operations;
    expect(op?.kind === 'update-service' && op.spec.TaskTemplate.ForceUpdate).toBe(1);
  });

  it('a pinned image (after build and push) rolls the service to the digest', async () => {
    const desired = await swarmFromCompose('services: {web: {image: reg:5000/web:1, build: .}}');
    const observed = convergedSwarm(desired);
    const digest = `reg:5000/web:1@sha256:${'cd'.repeat(32)}`;
    const plan = planSwarm(desired, observed, { images: { web: digest } });
    expect(lines(plan)).toEqual([
      'update service demo_web (version 10) (image digest changed (sha256:abababababab → sha256:cdcdcdcdcdcd))',
    ]);
    const after = applySwarmPlan(observed, plan);
    expect(planSwarm(desired, after, { images: { web: digest } }).operations).toEqual([]);
    // A later pass that knows no digest (the supervisor's) leaves the pinned service alone.
    expect(planSwarm(desired, after).operations).toEqual([]);

    // A rebuild that pushed other bits: the cause names both digests; with another change, both causes.
    const next = `reg:5000/web:1@sha256:${'ef'.repeat(32)}`;
    expect(lines(planSwarm(desired, after, { images: { web: next } }))).toEqual([
      'update service demo_web (version 11) (image digest changed (sha256:cdcdcdcdcdcd → sha256:efefefefefef))',
    ]);
    const edited = await swarmFromCompose(
      'services: {web: {image: reg:5000/web:1, build: ., environment: {A: "2"}}}',
    );
    expect(lines(planSwarm(edited, after, { images: { web: next } }))).toEqual([
      'update service demo_web (version 11) (image digest changed (sha256:cdcdcdcdcdcd → sha256:efefefefefef); config differs: environment)',
    ]);
    // --dry-run: a new build not pushed yet is named by its image id, and said to be pushed by up.
    const built = `reg:5000/web:1@sha256:${'01'.repeat(32)}`;
    expect(lines(planSwarm(desired, after, { images: { web: built }, unpushed: ['web'] }))).toEqual([
      'update service demo_web (version 11) (image digest changed (sha256:cdcdcdcdcdcd → a new build (image sha256:010101010101), pushed by up))',
    ]);
  });

  it('a mode change is a remove and a create (Swarm cannot update a mode)', async () => {
    const observed = convergedSwarm(await swarmFromCompose('services: {agent: {image: a}}'));
    const desired = await swarmFromCompose('services: {agent: {image: a, deploy: {mode: global}}}');
    const plan = planSwarm(desired, observed);
    expect(lines(plan)).toEqual([
      'remove service demo_agent (mode changes from replicated to global (Swarm cannot update a mode: removed and created))',
      'create service demo_agent global (mode changes from replicated to global (Swarm cannot update a mode: removed and created))',
    ]);
    expect(plan.operations[1]?.after).toEqual(['remove-service:demo_agent']);
  });

  it('says when the last update of a service is paused', async () => {
    const desired = await swarmFromCompose('services: {web: {image: web:1}}');
    const observed = convergedSwarm(desired);
    Object.assign(observed.services[0] ?? {}, {
      updateState: 'paused',
      updateMessage: 'update paused due to failure',
    });
    expect(planSwarm(desired, observed).warnings).toEqual([
      'the last update of demo_web is paused: update paused due to failure',
    ]);
  });

  it('a service not made by orc (docker stack deploy) is taken over with an update', async () => {
    const desired = await swarmFromCompose('services: {web: {image: web:1}}');
    const observed = convergedSwarm(desired);
    const web = observed.services[0];
    if (!web) throw new Error('no web');
    const { [SwarmLabels.orcConfigHash]: _hash, ...labels } = web.labels;
    web.labels = labels;
    expect(lines(planSwarm(desired, observed))).toEqual([
      'update service demo_web (version 10) (not made by orc)',
    ]);
  });
});

describe('planSwarm: selection, orphans, problems', () => {
  it('a named service comes with its dependencies, unless --no-deps', async () => {
    const desired = await swarmFromCompose(STACK);
    const names = (plan: ReturnType<typeof planSwarm>) =>
      plan.operations.filter((o) => o.kind === 'create-service').map((o) => o.service);
    expect(names(planSwarm(desired, nothing(), { services: ['migrate'] }))).toEqual(['db', 'migrate']);
    const alone = planSwarm(desired, nothing(), { services: ['migrate'], noDeps: true });
    expect(names(alone)).toEqual(['migrate']);
    expect(alone.warnings).toEqual([
      'service db is not deployed and not part of this plan: nothing waits for it',
    ]);
    expect(planSwarm(desired, nothing(), { services: ['nope'] }).problems).toEqual([
      { code: 'UNKNOWN_SERVICE', message: 'no such service: nope' },
    ]);
  });

  it('orphans are left with a warning, or removed with --remove-orphans; disabled services are not orphans', async () => {
    const observed = convergedSwarm(
      await swarmFromCompose('services: {a: {image: a}, b: {image: b}, c: {image: c}}'),
    );
    const desired = await swarmFromCompose('services: {a: {image: a}}');
    expect(lines(planSwarm(desired, observed, { disabledServices: ['c'] }))).toEqual([
      "warning: service demo_b is not in the project's files (orphan); --remove-orphans removes it",
    ]);
    expect(lines(planSwarm(desired, observed, { removeOrphans: true, disabledServices: ['c'] }))).toEqual([
      'remove service demo_b (orphan)',
    ]);
  });

  it('missing external networks and secrets are problems, not operations', async () => {
    const desired = await swarmFromCompose(`
services: {web: {image: w, networks: [edge], secrets: [key]}}
networks: {edge: {external: true}}
secrets: {key: {external: true, name: prod_key}}
`);
    const plan = planSwarm(desired, nothing());
    expect(plan.problems).toEqual([
      { code: 'EXTERNAL_NETWORK_MISSING', message: 'external network edge does not exist on the swarm' },
      { code: 'EXTERNAL_SECRET_MISSING', message: 'external secret prod_key does not exist on the swarm' },
    ]);
    expect(planSwarm(desired, convergedSwarm(desired)).problems).toEqual([]);
  });

  it('a network of the same name that is not the project’s is a name conflict', async () => {
    const desired = await swarmFromCompose('services: {web: {image: w}}');
    const observed = nothing();
    observed.networks.push({ id: 'n1', name: 'demo_default', labels: {} });
    expect(planSwarm(desired, observed).problems.map((p) => p.code)).toEqual(['NAME_CONFLICT']);
  });

  it('a network that changed in the files is reported (Swarm cannot update one in place)', async () => {
    const observed = convergedSwarm(await swarmFromCompose('services: {web: {image: w}}'));
    const desired = await swarmFromCompose(
      'services: {web: {image: w}}\nnetworks: {default: {attachable: true}}',
    );
    expect(planSwarm(desired, observed).warnings).toEqual([
      'network demo_default differs from the files; Swarm cannot change a network in place: `orc down` and `up` recreate it',
    ]);
  });
});
