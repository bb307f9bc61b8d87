import { describe, expect, it } from 'vitest';
import type { Engine } from '../engine/engine.js';
import type { EngineContainerDetails } from '../engine/types.js';
import { waitForContainer } from './wait.js';

function engineWith(state: Partial<EngineContainerDetails['State']>): Engine {
  const details = {
    Id: 'id',
    Name: '/demo-db-1',
    State: {
      Status: 'running',
      Running: true,
      ExitCode: 0,
      ...state,
    },
    Config: { Image: 'x', Labels: {} },
  } as unknown as EngineContainerDetails;
  return { inspectContainer: async () => details } as unknown as Engine;
}

const probe = (exit: number, out: string) => ({ Start: '', End: '', ExitCode: exit, Output: out });

describe('waitForContainer', () => {
  it('names the service and its last probe output when health never comes', async () => {
    const engine = engineWith({
      Health: { Status: 'starting', FailingStreak: 2, Log: [probe(1, 'connection refused\n')] },
    });
    await expect(
      waitForContainer(engine, 'demo-db-1', 'healthy', { service: 'db', timeoutMs: 0 }),
    ).rejects.toMatchObject({
      code: 'WAIT_TIMEOUT',
      message:
        'service db (container demo-db-1) did not become healthy within 0s; last health probe exited 1: connection refused',
    });
  });

  it('fails at once on unhealthy, with the probe output', async () => {
    const engine = engineWith({
      Health: { Status: 'unhealthy', FailingStreak: 3, Log: [probe(2, 'db not ready')] },
    });
    await expect(
      waitForContainer(engine, 'demo-db-1', 'healthy', { service: 'db', timeoutMs: 60_000 }),
    ).rejects.toMatchObject({
      code: 'UNHEALTHY',
      message: expect.stringContaining('exited 2: db not ready'),
    });
  });

  it('refuses to wait for health on a container without a healthcheck', async () => {
    await expect(
      waitForContainer(engineWith({}), 'demo-db-1', 'healthy', { service: 'db', timeoutMs: 60_000 }),
    ).rejects.toMatchObject({ code: 'UNHEALTHY', message: expect.stringContaining('has no healthcheck') });
  });

  it('is done when the condition holds', async () => {
    await waitForContainer(
      engineWith({ Health: { Status: 'healthy', FailingStreak: 0, Log: [] } }),
      'x',
      'healthy',
      {
        timeoutMs: 0,
      },
    );
    await waitForContainer(engineWith({ Status: 'exited', Running: false, ExitCode: 0 }), 'x', 'exited-0', {
      timeoutMs: 0,
    });
    await expect(
      waitForContainer(engineWith({ Status: 'exited', Running: false, ExitCode: 1 }), 'x', 'running', {
        timeoutMs: 0,
      }),
    ).rejects.toMatchObject({ code: 'CONTAINER_EXITED' });
  });
});
