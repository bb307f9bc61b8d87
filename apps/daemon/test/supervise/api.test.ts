/**
 * Supervision through the daemon process and its HTTP API: `--log-opt` sets the logging of services that
 * set none, and the daemon's own restarts show in the project route and in the event stream.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupDaemon, type DaemonProcess, startDaemon } from '../api/support/daemon.js';
import { eventually } from '../support/core.js';
import { docker, FIXTURE_IMAGE, removeProject, uniqueProject } from '../support/engine.js';

const project = uniqueProject('supapi');

const compose = `
services:
  quiet:
    image: ${FIXTURE_IMAGE}
    command: ["sleep", "86400"]
    stop_grace_period: 1s
  crashy:
    image: ${FIXTURE_IMAGE}
    command: ["sh", "-c", "exit 7"]
    deploy:
      restart_policy:
        condition: on-failure
        delay: 500ms
        max_attempts: 1
`;

describe('supervision over HTTP (daemon process)', () => {
  let d: DaemonProcess;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'orc-sup-api-'));
    d = await startDaemon({ args: ['--log-opt', 'max-size=1m', '--log-opt', 'max-file=2'] });
  });
  afterAll(async () => {
    await d?.stop();
    await removeProject(project);
    cleanupDaemon(d);
    rmSync(dir, { recursive: true, force: true });
  });

  it('applies --log-opt to services without logging; reports restarts and the give-up in the API and events', async () => {
    const events = await d.stream(`/v1/events?project=${project}`);
    try {
      const res = await d.request('POST', '/v1/projects', {
        source: {
          workingDir: dir,
          projectName: project,
          inline: [{ name: 'compose.yaml', content: compose }],
          env: {},
        },
      });
      expect(res.status, res.text).toBe(202);
      const gaveUp = await events.until((l) => l.includes('"give-up"'));
      expect(JSON.parse(gaveUp)).toMatchObject({
        type: 'restart',
        service: 'crashy',
        action: 'give-up',
        reason: 'exited with code 7; gave up after 1 restarts (max_attempts 1)',
      });
      expect(events.lines.some((l) => l.includes('"restart"') && l.includes('"action":"restart"'))).toBe(
        true,
      );

      const crashy = await eventually(async () => {
        const p = await d.request('GET', `/v1/projects/${project}`);
        // biome-ignore lint/suspicious/noExplicitAny: JSON from the API
        const c = p.json?.containers?.find((x: any) => x.Service === 'crashy');
        return c?.RestartReason?.includes('gave up') ? c : undefined;
      });
      expect(crashy).toMatchObject({ State: 'exited', ExitCode: 7, RestartCount: 1 });
      expect(crashy.Status).toMatch(/gave up after 1 restarts/);

      const logConfig = JSON.parse(
        await docker('inspect', '--format', '{{json .HostConfig.LogConfig}}', `${project}-quiet-1`),
      );
      expect(logConfig).toEqual({ Type: 'json-file', Config: { 'max-file': '2', 'max-size': '1m' } });
    } finally {
      events.close();
    }
  });
});
