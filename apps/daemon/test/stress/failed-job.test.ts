import { Labels } from '@orc/spec';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DaemonEvent } from '../../src/contract/types.js';
import { inlineSource, isHandle, startCore, type TestCore } from '../support/core.js';
import { docker, FIXTURE_IMAGE, removeProject, uniqueProject } from '../support/engine.js';

const PROJECTS = Number(process.env.ORC_STRESS_PROJECTS ?? 6);
const SAMPLE_MS = Number(process.env.ORC_STRESS_MS ?? 8000);

const yaml = `services:
  migrate:
    image: ${FIXTURE_IMAGE}
    command: ["sh", "-c", "echo migrating; exit 3"]
  app:
    image: ${FIXTURE_IMAGE}
    command: ["sleep", "300"]
    depends_on:
      migrate:
        condition: service_completed_successfully
`;

interface Row {
  project: string;
  service: string;
  number: string;
  replace: string;
  name: string;
}

/** Every container of these projects, by label (a name filter would match substrings). */
async function containers(projects: string[]): Promise<Row[]> {
  const out = await docker(
    'ps',
    '-a',
    '--filter',
    `label=${Labels.project}`,
    '--format',
    `{{.Label "${Labels.project}"}}\t{{.Label "${Labels.service}"}}\t{{.Label "${Labels.containerNumber}"}}\t{{.Label "${Labels.replace}"}}\t{{.Names}}`,
  );
  return out
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const [project = '', service = '', number = '', replace = '', name = ''] = l.split('\t');
      return { project, service, number, replace, name };
    })
    .filter((r) => projects.includes(r.project));
}

// Issue 22 item 1: after an `up` failed because a job it waits for exited non-zero, a project held two
// `created` containers for app-1 under load. This runs the case in parallel, with the supervisor's
// repair passes racing the failing ups, and counts containers per (project, service, number).
describe('stress: a failing job under load never leaves two containers for one number', () => {
  const projects = Array.from({ length: PROJECTS }, () => uniqueProject('failjob'));
  let core: TestCore;
  let dispose: () => Promise<void>;
  const events: DaemonEvent[] = [];
  const ac = new AbortController();
  beforeAll(async () => {
    ({ core, dispose } = await startCore({ resyncIntervalMs: 300, parallelism: 16 }));
    void (async () => {
      for await (const e of core.events({}, ac.signal))
        if (projects.includes(e.project ?? '')) events.push(e);
    })();
  });
  afterAll(async () => {
    ac.abort();
    await dispose?.();
    await Promise.all(projects.map((p) => removeProject(p)));
  });

  it(`${PROJECTS} projects in parallel, sampled for ${SAMPLE_MS} ms`, async () => {
    const ups = projects.map(async (p) => {
      const h = await core.up(inlineSource(p, yaml), {});
      if (!isHandle(h)) throw new Error('did not load');
      return h.done;
    });
    let doubles = 0;
    let temporaries = 0;
    const deadline = Date.now() + SAMPLE_MS;
    while (Date.now() < deadline) {
      const rows = await containers(projects);
      const perNumber = new Map<string, number>();
      for (const r of rows) {
        const key = `${r.project}/${r.service}/${r.number}`;
        perNumber.set(key, (perNumber.get(key) ?? 0) + 1);
      }
      doubles += [...perNumber.values()].filter((n) => n > 1).length;
      temporaries += rows.filter((r) => r.replace !== '').length;
      await new Promise((r) => setTimeout(r, 150));
    }
    const results = await Promise.all(ups);
    for (const r of results) expect(r.error?.message).toMatch(/migrate-1/);

    const recreates = events.filter((e) => e.type === 'recreate');
    console.log(
      `stress: ${PROJECTS} projects, ${SAMPLE_MS} ms: ${recreates.length} recreate events, ` +
        `${temporaries} temporary-container samples, ${doubles} two-containers-for-one-number samples`,
    );
    expect(recreates.map((e) => `${e.project} ${e.container} ${e.reason}`)).toEqual([]);
    expect(doubles).toBe(0);
    expect(temporaries).toBe(0);
    const final = await containers(projects);
    for (const p of projects) {
      const app = final.filter((r) => r.project === p && r.service === 'app');
      expect(app.map((r) => r.number)).toEqual(['1']);
    }
  }, 120_000);
});
