/**
 * `update_config.failure_action: rollback`. A start-first gate that failed has already removed its new
 * container (execute/start-first.ts); the service must also go back to the definition it had, else the
 * next convergence pass would try the same failing update again, forever.
 */
import type { DesiredState } from '@orc/spec';
import type { Plan } from '../plan/types.js';

/** The desired state with rolled-back services reverted to `previous`; undefined when nothing rolls back. */
export function rolledBackDesired(
  planned: Plan,
  err: unknown,
  current: DesiredState,
  previous: DesiredState | undefined,
): { desired: DesiredState; services: string[] } | undefined {
  if (!previous) return undefined;
  const failed = new Set(failedOps(err));
  const services = new Set<string>();
  for (const op of planned.operations) {
    if (op.kind === 'wait-container' && op.gate?.failureAction === 'rollback' && failed.has(op.id))
      services.add(op.service ?? '');
  }
  const reverted = [...services].filter((s) => previous.services.some((p) => p.name === s));
  if (reverted.length === 0) return undefined;
  return {
    services: reverted,
    desired: {
      ...current,
      services: current.services.map((s) =>
        reverted.includes(s.name) ? (previous.services.find((p) => p.name === s.name) ?? s) : s,
      ),
    },
  };
}

function failedOps(err: unknown): string[] {
  const details = (err as { details?: { failures?: Array<{ op?: unknown }> } } | undefined)?.details;
  return (details?.failures ?? []).map((f) => f.op).filter((op): op is string => typeof op === 'string');
}
