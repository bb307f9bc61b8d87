/**
 * The planner fed by the real spec pipeline (compose text → Project → desired state), checked with the
 * in-memory simulator: the contract between the two packages (labels, names, hashes, definitions).
 */
import { desiredState, loadProject } from '@orc/spec';
import { describe, expect, it } from 'vitest';
import { applyPlan } from '../../test/support/plan/simulate.js';
import type { ObservedProject } from '../observe/types.js';
import { planDown } from './down.js';
import { renderPlan } from './render.js';
import { plan } from './up.js';

async function desiredFrom(yaml: string) {
  const loaded = await loadProject({
    workingDir: '/srv/demo',
    inline: [{ name: 'compose.yaml', content: yaml }],
    env: {},
    projectName: 'demo',
  });
  if (!loaded.ok) throw new Error(loaded.errors.map((e) => e.message).join('\n'));
  return desiredState(loaded.project);
}

const nothing = (project: string, images: Record<string, string>): ObservedProject => ({
  project,
  containers: [],
  networks: [],
  volumes: [],
  images,
  foreign: { containersByName: {}, networksByName: {}, volumesByName: {} },
});

const compose = (greeting: string) => `
services:
  db:
    image: orc-fixture/busybox:1
    command: ["sleep", "3600"]
    volumes: [data:/data]
    networks: [back]
    healthcheck:
      test: ["CMD", "true"]
  web:
    image: orc-fixture/busybox:1
    command: ["httpd", "-f"]
    environment:
      GREETING: ${greeting}
    networks: [front, back]
    depends_on:
      db:
        condition: service_healthy
    deploy:
      replicas: 2
networks:
  front: {}
  back: {}
volumes:
  data: {}
`;

describe('plan on the real desired state', () => {
  const images = { 'orc-fixture/busybox:1': `sha256:${'a'.repeat(64)}` };

  it('first up, then nothing to do, then a change explained field by field, then down', async () => {
    const v1 = await desiredFrom(compose('hello'));
    const first = plan(v1, nothing('demo', images));
    expect(renderPlan(first)).toEqual([
      'create network demo_back (missing)',
      'create network demo_front (missing)',
      'create volume demo_data (missing)',
      'create container demo-db-1 (missing)',
      'start container demo-db-1 (created)',
      'create container demo-web-1 (missing)',
      'create container demo-web-2 (missing)',
      'wait for container demo-db-1 healthy (web depends on db (service_healthy))',
      'start container demo-web-1 (created)',
      'start container demo-web-2 (created)',
    ]);
    const up = applyPlan(nothing('demo', images), first);
    expect(renderPlan(plan(v1, up))).toEqual([]);

    const v2 = await desiredFrom(compose('bye'));
    const change = plan(v2, up);
    const recreates = renderPlan(change).filter((l) => l.startsWith('recreate'));
    expect(recreates).toHaveLength(2);
    for (const line of recreates)
      expect(line).toContain('(config hash differs: environment.GREETING "hello" → "bye")');
    // db is untouched: web's new containers only wait for it to be healthy.
    expect(renderPlan(change).filter((l) => l.includes('demo-db-1'))).toEqual([
      'wait for container demo-db-1 healthy (web depends on db (service_healthy))',
    ]);
    const changed = applyPlan(up, change);
    expect(renderPlan(plan(v2, changed))).toEqual([]);

    const down = planDown(v2, changed);
    const gone = applyPlan(changed, down);
    expect(gone.containers).toEqual([]);
    expect(gone.networks).toEqual([]);
    expect(gone.volumes.map((v) => v.name)).toEqual(['demo_data']);
  });
});

describe('plan on the real desired state: shared namespaces', () => {
  const images = { 'orc-fixture/busybox:1': `sha256:${'a'.repeat(64)}` };
  const text = (v: string) => `
services:
  vpn:
    image: orc-fixture/busybox:1
    command: ["sleep", "3600"]
    environment: { V: "${v}" }
  app:
    image: orc-fixture/busybox:1
    command: ["sleep", "3600"]
    network_mode: service:vpn
`;

  it('a service in another one’s network namespace is created after it and recreated with it', async () => {
    const v1 = await desiredFrom(text('1'));
    const first = plan(v1, nothing('demo', images));
    expect(first.operations.find((o) => o.id === 'create-container:demo-app-1')?.after).toContain(
      'create-container:demo-vpn-1',
    );
    const up = applyPlan(nothing('demo', images), first);
    expect(renderPlan(plan(v1, up))).toEqual([]);
    const v2 = await desiredFrom(text('2'));
    const lines = renderPlan(plan(v2, up)).filter((l) => l.startsWith('recreate'));
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(
      /^recreate container demo-app-1 as \w{12}_demo-app-1 \(dependency recreated: vpn/,
    );
  });
});
