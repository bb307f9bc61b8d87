import { type ContainerCreateBody, Labels } from '@orc/spec';
import { isOrcError, OrcError } from '../contract/errors.js';
import type { Operation } from '../plan/types.js';
import { endpointSettings } from './endpoint.js';
import { writeFiles } from './files.js';
import { execHook, runInit } from './hooks.js';
import type { OpContext } from './op-context.js';
import { runProvider } from './provider.js';
import { isGate, passGate } from './start-first.js';
import { waitForContainer } from './wait.js';

export type { OpContext } from './op-context.js';

type Op<K extends Operation['kind']> = Extract<Operation, { kind: K }>;

/** Runs one plan operation against the engine. Every step is safe to repeat after a crash. */
export async function runOperation(op: Operation, ctx: OpContext): Promise<void> {
  const { engine } = ctx;
  switch (op.kind) {
    case 'create-network':
      return createNetwork(op, ctx);
    case 'remove-network':
      return removeNetwork(op, ctx);
    case 'create-volume':
      return createVolume(op, ctx);
    case 'remove-volume':
      return engine.removeVolume(op.name);
    case 'ensure-image':
      await ctx.ensureImage(op, ctx.report);
      ctx.imageIds.delete(op.image);
      return;
    case 'create-container':
      return createContainer(op, ctx);
    case 'start-container':
      return engine.startContainer(op.name);
    case 'stop-container':
      return stopContainer(op, ctx);
    case 'remove-container':
      return engine.removeContainer(op.containerId, { force: true, volumes: op.volumes });
    case 'rename-container':
      return renameContainer(op, ctx);
    case 'restart-container':
      return engine.restartContainer(op.containerId, op.timeoutSeconds);
    case 'kill-container':
      return engine.killContainer(op.containerId, op.signal);
    case 'pause-container':
      return engine.pauseContainer(op.containerId);
    case 'unpause-container':
      return engine.unpauseContainer(op.containerId);
    case 'connect-network':
      return engine.connectNetwork(op.network, op.container, endpointSettings(op.endpoint));
    case 'disconnect-network':
      return engine.disconnectNetwork(op.network, op.container);
    case 'run-init':
      return runInit(op, ctx);
    case 'run-provider':
      return runProvider(op, ctx);
    case 'exec-hook':
      return execHook(op, ctx);
    case 'wait-container': {
      const wait = {
        ...(op.service ? { service: op.service } : {}),
        timeoutMs: ctx.waitTimeoutMs,
        ...(ctx.signal ? { signal: ctx.signal } : {}),
        ...(ctx.nudge ? { nudge: ctx.nudge } : {}),
      };
      if (isGate(op)) return passGate(engine, op, wait, ctx.report);
      return waitForContainer(engine, op.name, op.until, wait);
    }
  }
}

async function createNetwork(op: Op<'create-network'>, ctx: OpContext): Promise<void> {
  try {
    await ctx.engine.createNetwork({ CheckDuplicate: true, ...op.body });
  } catch (err) {
    if (!isOrcError(err, 'CONFLICT')) throw err;
    // Created by an earlier, interrupted pass (ours), or someone else's network with that name.
    const same = (await ctx.engine.listNetworks({ name: [op.name] })).filter((n) => n.Name === op.name);
    if (same.some((n) => n.Labels?.[Labels.project] === ctx.project)) return;
    throw new OrcError(
      'NAME_IN_USE',
      `network ${op.name} already exists and was not created by orc for project ${ctx.project}; ` +
        `remove it, or declare it \`external: true\` in the compose file`,
    );
  }
}

/** Attempts at removing a network that answers "has active endpoints" (100 ms × attempt apart: 4.5 s in all). */
const NETWORK_REMOVE_ATTEMPTS = 10;

/**
 * The engine may release a removed container's endpoint a moment after the remove returns ("has active
 * endpoints"): retry a few times while only our own (departing) containers hold it; name anyone else's.
 * An endpoint that outlives every retry with no container left behind it is Engine 20.10's stale endpoint
 * (moby/moby#42119): said as such, since "stop or disconnect the containers" cannot help there.
 */
async function removeNetwork(op: Op<'remove-network'>, ctx: OpContext): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await ctx.engine.removeNetwork(op.networkId);
    } catch (err) {
      if (!isOrcError(err, 'CONFLICT')) throw err;
      const net = await ctx.engine.inspectNetwork(op.networkId);
      if (!net) return;
      const holders = Object.values(net.Containers ?? {}).map((c) => c.Name);
      const found = await Promise.all(holders.map((n) => ctx.engine.inspectContainer(n)));
      // Gone already (only its endpoint lingers), or ours and departing.
      const foreign = holders.filter((_, i) => {
        const c = found[i];
        return c && c.Config.Labels?.[Labels.project] !== ctx.project;
      });
      if (foreign.length) {
        throw new OrcError(
          'CONFLICT',
          `network ${op.name} is still used by ${foreign.join(', ')}, which orc does not manage for project ${ctx.project}; ` +
            'disconnect them (docker network disconnect) and run the command again',
        );
      }
      if (attempt >= NETWORK_REMOVE_ATTEMPTS) {
        if (found.some((c) => c)) throw err;
        // The fix goes in the message: an operation's failure carries its message only (summariseFailure).
        throw new OrcError(
          'CONFLICT',
          `network ${op.name} cannot be removed: no container uses it, but the engine still holds an endpoint ` +
            'of a removed container (a known Docker Engine fault, moby/moby#42119, seen with Engine 20.10). Only a ' +
            'restart of the Docker engine frees it (running containers stop unless live-restore is on); then run the ' +
            'command again',
          { engine: (err as Error).message },
        );
      }
      await new Promise((r) => setTimeout(r, 100 * attempt));
    }
  }
}

async function createVolume(op: Op<'create-volume'>, ctx: OpContext): Promise<void> {
  const existing = await ctx.engine.inspectVolume(op.name);
  if (existing) {
    // Never touch data we did not make; say so and use it as it is (compose does the same).
    if (existing.Labels?.[Labels.project] !== ctx.project) {
      ctx.report(
        `volume ${op.name} already exists but was not created by orc for this project; using it as it is`,
      );
    }
    return;
  }
  await ctx.engine.createVolume(op.body);
}

function imageId(ref: string, ctx: OpContext): Promise<string> {
  let p = ctx.imageIds.get(ref);
  if (!p) {
    p = ctx.engine.inspectImage(ref).then((img) => {
      if (!img) {
        throw new OrcError('IMAGE_MISSING', `image ${ref} is not present locally; pull or build it first`);
      }
      return img.Id;
    });
    p.catch(() => ctx.imageIds.delete(ref));
    ctx.imageIds.set(ref, p);
  }
  return p;
}

async function createContainer(op: Op<'create-container'>, ctx: OpContext): Promise<void> {
  // The planner passes the id observe has just read: one engine round trip less per `up` and repair.
  const id = op.imageId ?? (await imageId(op.body.Image, ctx));
  const labels: Record<string, string> = { ...op.body.Labels, [Labels.image]: id };
  if (op.replaces) labels[Labels.replace] = op.replaces;
  const body = { ...(op.aliasesAfterGate ? withoutAliases(op.body) : op.body), Labels: labels };
  let containerId: string;
  try {
    containerId = await ctx.engine.createContainer(op.createAs, body);
  } catch (err) {
    if (!isOrcError(err, 'CONFLICT')) throw err;
    throw await nameConflict(op, ctx);
  }
  // API 1.41 takes one network at create: connect the others before the container starts.
  for (const ep of op.endpoints.slice(1)) {
    const settings = endpointSettings(ep);
    if (op.aliasesAfterGate) delete settings.Aliases;
    await ctx.engine.connectNetwork(ep.name, containerId, settings);
  }
  if (op.files?.length) await writeFiles(ctx.engine, containerId, op.files);
}

/** The create body without network aliases (a start-first replacement gets them once it is ready). */
function withoutAliases(body: ContainerCreateBody): ContainerCreateBody {
  const configs = body.NetworkingConfig?.EndpointsConfig;
  if (!configs) return body;
  const EndpointsConfig = Object.fromEntries(
    Object.entries(configs).map(([net, { Aliases: _aliases, ...rest }]) => [net, rest]),
  );
  return { ...body, NetworkingConfig: { EndpointsConfig } };
}

/**
 * A 409 on create: someone holds the name. The executor decides nothing about it: it says who holds it
 * and ends the step. A container of this project (a leftover of an interrupted pass, or one made since
 * the plan was made) is a stale plan: the verb plans again from what exists, and the planner adopts or
 * replaces it by its usual rules. Anyone else's is a name in use, never touched.
 */
async function nameConflict(op: Op<'create-container'>, ctx: OpContext): Promise<OrcError> {
  const holder = await ctx.engine.inspectContainer(op.createAs);
  const holderProject = holder?.Config.Labels?.[Labels.project];
  if (!holder || holderProject === ctx.project) {
    return new OrcError(
      'STALE_PLAN',
      `container name ${op.createAs} was taken since the plan was made` +
        (holder ? ` (by container ${holder.Id.slice(0, 12)} of this project)` : ' (and freed again)'),
      { name: op.createAs, ...(holder ? { containerId: holder.Id } : {}) },
    );
  }
  const owner = holderProject ? `project ${holderProject}` : 'something orc does not manage';
  return new OrcError(
    'NAME_IN_USE',
    `container name ${op.createAs} is already used by container ${holder.Id.slice(0, 12)} (${owner}); ` +
      `orc left it untouched. Remove or rename it, or set another container_name / project name (-p)`,
    { containerId: holder.Id },
  );
}

async function stopContainer(op: Op<'stop-container'>, ctx: OpContext): Promise<void> {
  const { engine } = ctx;
  if (!op.signal) return engine.stopContainer(op.containerId, op.timeoutSeconds);
  const d = await engine.inspectContainer(op.containerId);
  if (!d?.State.Running) return;
  if ((d.Config.StopSignal ?? 'SIGTERM') === op.signal)
    return engine.stopContainer(op.containerId, op.timeoutSeconds);
  // API 1.41's stop has no signal parameter: send it ourselves, give it the grace period, then SIGKILL.
  await engine.killContainer(op.containerId, op.signal);
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(), op.timeoutSeconds * 1000);
  try {
    await engine.waitContainer(op.containerId, ac.signal);
  } catch {
    await engine.killContainer(op.containerId, 'SIGKILL');
  } finally {
    clearTimeout(timer);
  }
}

async function renameContainer(op: Op<'rename-container'>, ctx: OpContext): Promise<void> {
  try {
    await ctx.engine.renameContainer(op.from, op.to);
  } catch (err) {
    // Already renamed by an interrupted pass: `from` is gone and `to` is ours.
    if (isOrcError(err, 'NOT_FOUND')) {
      const to = await ctx.engine.inspectContainer(op.to);
      if (to?.Config.Labels?.[Labels.project] === ctx.project) return;
    }
    throw err;
  }
}
