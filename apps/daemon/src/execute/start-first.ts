/**
 * The health gate of a start-first update: the new container (under its temporary name) must become
 * ready, and still be ready after `update_config.delay`, before the old one is stopped. If it is not, the
 * new container is removed here: left in place, the next convergence pass would take the newest,
 * up-to-date container as the survivor and finish the replace with a container that never became healthy.
 */

import { isOrcError, OrcError } from '../contract/errors.js';
import type { Engine } from '../engine/engine.js';
import type { Operation } from '../plan/types.js';
import { endpointSettings } from './endpoint.js';
import { type WaitOptions, waitForContainer } from './wait.js';

type GateOp = Extract<Operation, { kind: 'wait-container' }> & {
  gate: NonNullable<Extract<Operation, { kind: 'wait-container' }>['gate']>;
};

export function isGate(op: Operation): op is GateOp {
  return op.kind === 'wait-container' && op.gate !== undefined;
}

/**
 * `failure_action: continue` (swarm's meaning: the update goes on despite a failed task): the new
 * container takes over even though it did not become ready, and `report` says so; `pause` and `rollback`
 * remove it and fail the operation (the old one keeps serving).
 */
export async function passGate(
  engine: Engine,
  op: GateOp,
  wait: WaitOptions,
  report: (message: string) => void = () => undefined,
): Promise<void> {
  try {
    await waitForContainer(engine, op.name, op.until, wait);
    if (op.gate.delayMs > 0) {
      await sleep(op.gate.delayMs, wait.signal);
      await waitForContainer(engine, op.name, op.until, { ...wait, timeoutMs: 0 });
    }
  } catch (err) {
    if (op.gate.failureAction !== 'continue' || wait.signal?.aborted) await rollBack(engine, op, err);
    report(
      `the new container did not become ${op.until} (${isOrcError(err) ? err.message : String(err)}); ` +
        `it replaces ${op.gate.old} anyway (update_config.failure_action: continue)`,
    );
  }
  await takeOver(engine, op);
}

/**
 * The new container joins the service's aliases (it was created without them), then the old one leaves
 * them before it is stopped: clients resolving the service name only ever get a container that serves.
 */
async function takeOver(engine: Engine, op: GateOp): Promise<void> {
  for (const ep of op.gate.endpoints) {
    const settings = endpointSettings(ep);
    await engine.disconnectNetwork(ep.name, op.name);
    await engine.connectNetwork(ep.name, op.name, settings);
  }
  // Best effort: the old container is stopped right after this, drained or not.
  for (const ep of op.gate.endpoints) {
    await engine.disconnectNetwork(ep.name, op.gate.old).catch(() => undefined);
  }
}

async function rollBack(engine: Engine, op: GateOp, err: unknown): Promise<never> {
  const why = isOrcError(err) ? err.message : String(err);
  // Removed whatever the failure was: the old container is the one that must keep serving.
  await engine.removeContainer(op.name, { force: true });
  throw new OrcError(
    isOrcError(err) ? err.code : 'INTERNAL',
    `start-first update of ${op.gate.old} rolled back: the new container did not become ${op.until} (${why}); ` +
      `it was removed and ${op.gate.old} keeps serving` +
      (op.gate.failureAction === 'rollback'
        ? '; the service goes back to its previous definition (update_config.failure_action: rollback)'
        : '; the update is paused: fix the service and run up again (update_config.failure_action: pause)'),
    { rolledBack: op.gate.old, service: op.service },
  );
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(t);
      resolve();
    });
  });
}
