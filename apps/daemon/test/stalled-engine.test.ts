import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../src/api/server.js';
import { createEngine } from '../src/engine/engine.js';
import { eventually, finish, inlineSource, isHandle, startCore, type TestCore } from './support/core.js';
import { docker, FIXTURE_IMAGE, uniqueProject } from './support/engine.js';
import { type PrivateEngine, startPrivateEngine } from './support/private-engine.js';

const yaml = `services:\n  web:\n    image: ${FIXTURE_IMAGE}\n    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 86400 & wait"]\n`;

// Issue 16 item 4: dockerd stopped with SIGSTOP accepts connections and never answers. A private
// engine, so that the shared one keeps serving the other tests.
describe('a stalled engine (SIGSTOP)', () => {
  const project = uniqueProject('stall');
  let engine: PrivateEngine;
  let core: TestCore;
  let dispose: () => Promise<void>;
  beforeAll(async () => {
    engine = await startPrivateEngine();
    ({ core, dispose } = await startCore({
      engine: createEngine(new Docker({ socketPath: engine.socket }), { readTimeoutMs: 2000 }),
      resyncIntervalMs: 500,
    }));
  }, 60_000);
  afterAll(async () => {
    process.kill(engine.pid, 'SIGCONT');
    await dispose?.();
    await engine?.stop();
  }, 60_000);

  it('health says so at once, reads end with ENGINE_UNAVAILABLE, and after SIGCONT it converges with no duplicate', async () => {
    const { record } = await finish(core, core.up(inlineSource(project, yaml), {}));
    expect(record.error).toBeUndefined();
    const app = await buildServer({
      core,
      shutdown: new AbortController().signal,
      version: 't',
      security: { transport: 'unix', allowOrigins: [], allowHosts: [] },
    });
    const countWeb = async () =>
      (
        await docker(
          '-H',
          engine.host,
          'ps',
          '-a',
          '--filter',
          `label=com.docker.compose.project=${project}`,
          '--format',
          '{{.Label "com.docker.compose.service"}}/{{.Label "com.docker.compose.container-number"}}',
        )
      )
        .split('\n')
        .filter(Boolean);

    process.kill(engine.pid, 'SIGSTOP');
    try {
      const t0 = Date.now();
      const health = await app.inject({ method: 'GET', url: '/v1/health' });
      const healthMs = Date.now() - t0;
      console.log(`stalled engine: /v1/health answered ${health.statusCode} in ${healthMs} ms`);
      expect(health.statusCode).toBe(503);
      expect(health.json()).toMatchObject({
        code: 'ENGINE_UNAVAILABLE',
        message: expect.stringMatching(/did not answer/),
      });
      expect(healthMs).toBeLessThan(5000); // a hang would never answer; the bound is 900 ms

      const ls = await app.inject({ method: 'GET', url: '/v1/projects' });
      expect(ls.statusCode).toBe(503);
      expect(ls.json().code).toBe('ENGINE_UNAVAILABLE');

      // An up while the engine is stalled fails clearly (its observe times out), and changes nothing.
      const again = await core.up(inlineSource(project, yaml), {}).then(
        async (h) => (isHandle(h) ? (await h.done).error : undefined),
        (err: unknown) => err,
      );
      expect(again).toMatchObject({ code: 'ENGINE_UNAVAILABLE' });
    } finally {
      process.kill(engine.pid, 'SIGCONT');
    }
    // Remove the container by hand right after: the daemon's passes must repair it once, not twice.
    await docker('-H', engine.host, 'rm', '-f', `${project}-web-1`);
    await eventually(async () =>
      (await docker('-H', engine.host, 'inspect', '--format', '{{.State.Status}}', `${project}-web-1`).catch(
        () => '',
      )) === 'running'
        ? true
        : undefined,
    );
    await new Promise((r) => setTimeout(r, 1500)); // a few more passes
    expect(await countWeb()).toEqual(['web/1']);
    expect((await app.inject({ method: 'GET', url: '/v1/health' })).statusCode).toBe(200);
    await app.close();
    const { record: down } = await finish(core, core.down({ name: project }, {}));
    expect(down.error).toBeUndefined();
  }, 120_000);
});
