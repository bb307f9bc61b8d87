/**
 * Walks a SwarmPlan: each operation starts once the operations it comes `after` are done, bounded by the
 * daemon's limiter, and reports progress in the executor's vocabulary (kind, resource, action = the
 * operation's kind, state pending → working → done | error | skipped, message = the cause). A failed
 * operation skips its dependents, except past a `wait-service` that is not `required`. The walker
 * decides nothing: what to do and in which order is the plan's (swarm/plan.ts).
 */
import type { ProgressEvent } from '../contract/types.js';
import type { RegistryAuth } from '../engine/images.js';
import type { SwarmEngine } from '../engine/swarm.js';
import type { Limiter } from '../execute/limiter.js';
import { bindSwarmReferences } from './bind.js';
import type { ObservedSwarm, SwarmOperation, SwarmPlan } from './types.js';
import { removeVolumeWhenReleased } from './volume.js';
import { waitServiceConverged, waitServiceGone } from './wait.js';

type Progress = Omit<ProgressEvent, 'operationId' | 'time' | 'project'>;

export interface SwarmExecuteOptions {
  swarm: SwarmEngine;
  /** The objects the plan was made from: ids of existing secrets, configs and networks by name. */
  observed: ObservedSwarm;
  limiter: Limiter;
  progress(e: Progress): void;
  /** Credentials for a service's image, forwarded so every node can pull it. */
  authFor?(image: string): Promise<RegistryAuth | undefined>;
  /** `remove-volume`: volumes live per node; the daemon can only reach the manager's engine. */
  removeVolume?(name: string): Promise<void>;
  waitTimeoutMs: number;
  signal?: AbortSignal;
}

export interface SwarmExecuteResult {
  ok: boolean;
  failed: Array<{ op: SwarmOperation; error: Error }>;
  skipped: SwarmOperation[];
  /** Engine warnings (an image digest not resolvable, ...). */
  warnings: string[];
}

export async function executeSwarmPlan(plan: SwarmPlan, o: SwarmExecuteOptions): Promise<SwarmExecuteResult> {
  const ids = {
    secrets: Object.fromEntries(o.observed.secrets.map((s) => [s.name, s.id])),
    configs: Object.fromEntries(o.observed.configs.map((c) => [c.name, c.id])),
    networks: Object.fromEntries(o.observed.networks.map((n) => [n.name, n.id])),
  };
  const result: SwarmExecuteResult = { ok: true, failed: [], skipped: [], warnings: [] };
  const byId = new Map(plan.operations.map((op) => [op.id, op]));
  const done = new Map<string, Promise<'done' | 'failed' | 'skipped'>>();

  const perform = async (op: SwarmOperation): Promise<void> => {
    switch (op.kind) {
      case 'create-network':
        ids.networks[op.name] = await o.swarm.createNetwork(op.body);
        return;
      case 'remove-network':
        return o.swarm.removeNetwork(op.networkId);
      case 'create-secret':
      case 'create-config': {
        const kind = op.kind === 'create-secret' ? 'secret' : 'config';
        const id = await o.swarm.createFile(kind, { ...op.spec, Data: op.data.base64 });
        (kind === 'secret' ? ids.secrets : ids.configs)[op.name] = id;
        return;
      }
      case 'remove-secret':
        return o.swarm.removeFile('secret', op.secretId);
      case 'remove-config':
        return o.swarm.removeFile('config', op.configId);
      case 'create-service':
      case 'update-service': {
        const bound = bindSwarmReferences(op.spec, ids);
        if (bound.missing.length) throw new Error(`${op.name}: no id for ${bound.missing.join(', ')}`);
        const image = bound.spec.TaskTemplate.ContainerSpec.Image;
        const auth = image ? await o.authFor?.(image) : undefined;
        const res =
          op.kind === 'create-service'
            ? await o.swarm.createService(bound.spec, auth)
            : await o.swarm.updateService(op.serviceId, op.version, bound.spec, auth);
        result.warnings.push(...res.warnings.map((w) => `${op.name}: ${w}`));
        return;
      }
      case 'remove-service':
        return o.swarm.removeService(op.serviceId);
      case 'wait-service':
        return waitServiceConverged(o.swarm, op.name, op.until, {
          timeoutMs: o.waitTimeoutMs,
          ...(o.signal ? { signal: o.signal } : {}),
        });
      case 'wait-service-gone':
        return waitServiceGone(o.swarm, op.serviceId, {
          timeoutMs: o.waitTimeoutMs,
          ...(o.signal ? { signal: o.signal } : {}),
        });
      case 'remove-volume':
        if (o.removeVolume)
          await removeVolumeWhenReleased(o.removeVolume, op.name, o.signal ? { signal: o.signal } : {});
        return;
    }
  };

  const run = (op: SwarmOperation): Promise<'done' | 'failed' | 'skipped'> => {
    const existing = done.get(op.id);
    if (existing) return existing;
    const p = (async () => {
      const deps = await Promise.all(
        op.after.map(async (id) => {
          const dep = byId.get(id);
          if (!dep) return 'done' as const;
          const state = await run(dep);
          // A wait that is not required lets its dependents go on (depends_on required: false).
          if (state !== 'done' && dep.kind === 'wait-service' && !dep.required) return 'done' as const;
          return state;
        }),
      );
      const { kind, resource } = describe(op);
      if (deps.some((d) => d !== 'done') || o.signal?.aborted) {
        result.skipped.push(op);
        o.progress({ kind, resource, action: op.kind, state: 'skipped', message: 'a step it needs failed' });
        return 'skipped' as const;
      }
      const started = Date.now();
      return o.limiter.run(async () => {
        o.progress({ kind, resource, action: op.kind, state: 'working', message: op.cause });
        try {
          await perform(op);
          o.progress({ kind, resource, action: op.kind, state: 'done', elapsedMs: Date.now() - started });
          return 'done' as const;
        } catch (err) {
          const error = err instanceof Error ? err : new Error(String(err));
          result.failed.push({ op, error });
          o.progress({
            kind,
            resource,
            action: op.kind,
            state: 'error',
            message: error.message,
            elapsedMs: Date.now() - started,
          });
          return 'failed' as const;
        }
      });
    })();
    done.set(op.id, p);
    return p;
  };

  await Promise.all(plan.operations.map(run));
  // A failed wait that nobody required is a warning, not a failed up.
  for (const f of result.failed) {
    if (f.op.kind === 'wait-service' && !f.op.required) result.warnings.push(f.error.message);
  }
  result.failed = result.failed.filter((f) => !(f.op.kind === 'wait-service' && !f.op.required));
  result.ok = result.failed.length === 0 && result.skipped.length === 0;
  return result;
}

function describe(op: SwarmOperation): { kind: Progress['kind']; resource: string } {
  switch (op.kind) {
    case 'create-network':
    case 'remove-network':
      return { kind: 'network', resource: op.name };
    case 'create-secret':
    case 'remove-secret':
      return { kind: 'secret', resource: op.name };
    case 'create-config':
    case 'remove-config':
      return { kind: 'config', resource: op.name };
    case 'remove-volume':
      return { kind: 'volume', resource: op.name };
    default:
      return { kind: 'service', resource: op.name };
  }
}
