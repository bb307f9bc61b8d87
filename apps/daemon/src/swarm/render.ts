/** A Swarm plan as text, one line per operation with its cause: `up --dry-run`, events and table tests. */
import type { SwarmModeBody, SwarmOperation, SwarmPlan } from './types.js';

/** Secret and config values never appear: only names, keys and causes. */
export function renderSwarmOperation(op: SwarmOperation): string {
  const why = op.cause ? ` (${op.cause})` : '';
  switch (op.kind) {
    case 'create-network':
      return `create network ${op.name} [${op.body.Driver}]${why}`;
    case 'remove-network':
      return `remove network ${op.name}${why}`;
    case 'create-secret':
      return `create secret ${op.name} for ${op.key}${why}`;
    case 'remove-secret':
      return `remove secret ${op.name}${why}`;
    case 'create-config':
      return `create config ${op.name} for ${op.key}${why}`;
    case 'remove-config':
      return `remove config ${op.name}${why}`;
    case 'create-service':
      return `create service ${op.name}${modeText(op.spec.Mode)}${why}`;
    case 'update-service':
      return `update service ${op.name} (version ${op.version})${why}`;
    case 'remove-service':
      return `remove service ${op.name}${why}`;
    case 'wait-service':
      return `wait for service ${op.name} ${op.until}${op.required ? '' : ' (optional)'}${why}`;
    case 'wait-service-gone':
      return `wait until the tasks of ${op.name} are gone${why}`;
    case 'remove-volume':
      return `remove volume ${op.name} on every node${why}`;
  }
}

function modeText(mode: SwarmModeBody): string {
  if ('Replicated' in mode) return ` ×${mode.Replicated.Replicas}`;
  if ('ReplicatedJob' in mode) return ` job ×${mode.ReplicatedJob.TotalCompletions}`;
  if ('Global' in mode) return ' global';
  return ' global job';
}

/** Operations in plan order, then `error:` and `warning:` lines. */
export function renderSwarmPlan(plan: SwarmPlan): string[] {
  return [
    ...plan.operations.map(renderSwarmOperation),
    ...plan.problems.map((p) => `error: ${p.message} [${p.code}]`),
    ...plan.warnings.map((w) => `warning: ${w}`),
  ];
}
