/** A plan as text, one line per operation with its cause: `up --dry-run`, events and table tests. */
import type { Operation, Plan } from './types.js';

export function renderOperation(op: Operation): string {
  const why = op.cause ? ` (${op.cause})` : '';
  switch (op.kind) {
    case 'create-network':
      return `create network ${op.name}${why}`;
    case 'remove-network':
      return `remove network ${op.name} [${op.networkId.slice(0, 12)}]${why}`;
    case 'create-volume':
      return `create volume ${op.name}${why}`;
    case 'remove-volume':
      return `remove volume ${op.name}${why}`;
    case 'ensure-image':
      return `${op.build ? 'build' : 'pull'} image ${op.image}${op.build ? '' : ` (policy ${op.pullPolicy})`}${why}`;
    case 'create-container':
      return op.replaces
        ? `recreate container ${op.name} as ${op.createAs}${why}`
        : `create container ${op.name}${why}`;
    case 'start-container':
      return `start container ${op.name}${why}`;
    case 'stop-container':
      return `stop container ${op.name}${why}`;
    case 'remove-container':
      return `remove container ${op.name}${op.volumes ? ' with its anonymous volumes' : ''}${why}`;
    case 'rename-container':
      return `rename container ${op.from} → ${op.to}${why}`;
    case 'restart-container':
      return `restart container ${op.name}${why}`;
    case 'kill-container':
      return `kill container ${op.name} with ${op.signal}${why}`;
    case 'pause-container':
      return `pause container ${op.name}${why}`;
    case 'unpause-container':
      return `unpause container ${op.name}${why}`;
    case 'connect-network':
      return `connect container ${op.container} to network ${op.network}${why}`;
    case 'disconnect-network':
      return `disconnect container ${op.container} from network ${shortRef(op.network)}${why}`;
    case 'run-provider':
      return `run provider ${op.provider.type} ${op.command} for service ${op.service}${why}`;
    case 'run-init':
      return `run pre_start[${op.step.index - 1}] of ${op.service} in ${op.name} (${op.step.create.Image}: ${words(op.step.create.Cmd)})${why}`;
    case 'exec-hook':
      return `run ${op.phase}[${op.hook.index - 1}] in container ${op.name} (${words(op.hook.Cmd)})${why}`;
    case 'wait-container':
      return `wait for container ${op.name} ${op.until}${op.required ? '' : ' (optional)'}${why}`;
  }
}

/** A command as a user would type it (exec form shown joined); the image's default when absent. */
function words(cmd: string[] | undefined): string {
  if (!cmd || cmd.length === 0) return "the image's command";
  return cmd.map((w) => (/[\s'"]/.test(w) ? JSON.stringify(w) : w)).join(' ');
}

/** Engine ids (64 hex) are shown as docker shows them (12); names as they are. */
function shortRef(ref: string): string {
  return /^[0-9a-f]{64}$/.test(ref) ? ref.slice(0, 12) : ref;
}

/** Operations in plan order, then `error:` and `warning:` lines. */
export function renderPlan(plan: Plan): string[] {
  return [
    ...plan.operations.map(renderOperation),
    ...plan.errors.map((e) => `error: ${e.message} [${e.code}]`),
    ...plan.warnings.map((w) => `warning: ${w}`),
  ];
}
