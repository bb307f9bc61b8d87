/**
 * Runs lifecycle hooks: `pre_start` steps as init containers, `post_start` / `pre_stop` as execs in the
 * service's container. A hook that exits non-zero fails its operation, naming the hook, the exit code
 * and the end of what it printed, so the user sees why without digging through logs.
 */
import { Labels } from '@orc/spec';
import { isOrcError, OrcError } from '../contract/errors.js';
import { frameReader } from '../contract/frames.js';
import type { Engine } from '../engine/engine.js';
import { openExec } from '../engine/exec.js';
import { containerLogStream } from '../engine/logs.js';
import type { Operation } from '../plan/types.js';
import { endpointSettings } from './endpoint.js';
import type { OpContext } from './op-context.js';

type Op<K extends Operation['kind']> = Extract<Operation, { kind: K }>;

/** What a failed hook printed last: enough to see the error, bounded so an event stays small. */
const TAIL_BYTES = 2048;

export async function runInit(op: Op<'run-init'>, ctx: OpContext): Promise<void> {
  const { engine } = ctx;
  const { step } = op;
  const what = `service ${op.service}: pre_start[${step.index - 1}]`;
  // A step may name an image of its own, which nothing else in the plan pulls.
  if (!(await engine.inspectImage(step.create.Image))) {
    const image = step.create.Image;
    await ctx.ensureImage(
      {
        kind: 'ensure-image',
        id: `ensure-image:${image}`,
        after: [],
        cause: what,
        image,
        pullPolicy: 'missing',
        build: false,
      },
      ctx.report,
    );
  }
  await removeLeftover(engine, op.name, ctx.project);
  const id = await engine.createContainer(op.name, step.create);
  let code: number;
  try {
    for (const ep of step.endpoints.slice(1)) await engine.connectNetwork(ep.name, id, endpointSettings(ep));
    await engine.startContainer(id);
    code = await engine.waitContainer(id, ctx.signal);
  } catch (err) {
    await engine.removeContainer(id, { force: true, volumes: true }).catch(() => undefined);
    throw err;
  }
  ctx.report(`${what} exited with code ${code}`);
  if (code === 0) {
    await engine.removeContainer(id, { force: true, volumes: true });
    return;
  }
  // Kept, exited: its logs are there to read, and it tells the supervisor not to retry the steps alone.
  const output = await logTail(engine, id);
  throw hookFailed(what, code, output, `docker logs ${op.name}`);
}

/** A container of ours left under the step's name by an interrupted run: removed; anyone else's: refused. */
async function removeLeftover(engine: Engine, name: string, project: string): Promise<void> {
  const old = await engine.inspectContainer(name);
  if (!old) return;
  const labels = old.Config.Labels ?? {};
  if (labels[Labels.project] === project && labels[Labels.orcHook] === 'pre_start') {
    await engine.removeContainer(old.Id, { force: true, volumes: true });
    return;
  }
  throw new OrcError(
    'NAME_IN_USE',
    `container name ${name} (for a pre_start step) is already used by container ${old.Id.slice(0, 12)}, ` +
      'which orc did not create for it; orc left it untouched. Remove or rename it',
    { containerId: old.Id },
  );
}

export async function execHook(op: Op<'exec-hook'>, ctx: OpContext): Promise<void> {
  const what = `service ${op.service}: ${op.phase}[${op.hook.index - 1}] in ${op.name}`;
  let session: Awaited<ReturnType<typeof openExec>>;
  try {
    session = await openExec(ctx.engine, op.target, {
      service: op.service,
      cmd: op.hook.Cmd,
      ...(op.hook.Env ? { env: op.hook.Env } : {}),
      ...(op.hook.User ? { user: op.hook.User } : {}),
      ...(op.hook.WorkingDir ? { workdir: op.hook.WorkingDir } : {}),
      ...(op.hook.Privileged ? { privileged: true } : {}),
    });
  } catch (err) {
    // Stopped or gone since the plan was made: nothing to run the hook in (compose skips it too).
    if (op.phase === 'pre_stop' && (isOrcError(err, 'NOT_FOUND') || isOrcError(err, 'CONFLICT'))) {
      ctx.report(`${what} skipped: the container is no longer running`);
      return;
    }
    throw err;
  }
  let tail = Buffer.alloc(0);
  session.stream.on(
    'data',
    frameReader((_type, payload) => {
      tail = Buffer.concat([tail, payload]);
      if (tail.length > TAIL_BYTES) tail = tail.subarray(tail.length - TAIL_BYTES);
    }),
  );
  session.stream.resume();
  const code = await session.exitCode();
  ctx.report(`${what} exited with code ${code}`);
  if (code !== 0) throw hookFailed(what, code, tail.toString('utf8'));
}

function hookFailed(what: string, code: number, output: string, more?: string): OrcError {
  const last = output.trim().split('\n').slice(-5).join('\n');
  return new OrcError(
    'HOOK_FAILED',
    `${what} exited with code ${code}${last ? `:\n${last}` : ''}${more ? `\n(all of its output: ${more})` : ''}`,
    { code },
  );
}

async function logTail(engine: Engine, id: string): Promise<string> {
  try {
    const stream = await containerLogStream(engine, id, { follow: false, tail: 20 });
    const lines: string[] = [];
    const read = frameReader((_type, payload) => {
      // Each line comes with a timestamp first (the stream asks for them): drop it.
      for (const line of payload.toString('utf8').split('\n'))
        if (line) lines.push(line.replace(/^\S+ /, ''));
    });
    for await (const chunk of stream) read(chunk as Buffer);
    return lines.join('\n').slice(-TAIL_BYTES);
  } catch {
    return '';
  }
}
