import type { Api, UpItem } from '../client/api.js';
import type { OperationRecord, ProgressEvent } from '../client/types.js';
import type { Context } from '../context.js';
import { problemsOf } from '../context.js';
import { CliError, ExitCode } from '../errors.js';
import { plainLine } from './progress.js';
import { liveView } from './progress-tty.js';

type Renderer = { event(e: ProgressEvent): void; finish(): void };

function renderer(ctx: Context, title: string): Renderer {
  const mode = ctx.globals.progress === 'auto' ? (ctx.stderr.isTTY ? 'tty' : 'plain') : ctx.globals.progress;
  switch (mode) {
    case 'tty':
      return liveView(title, ctx.stderr, ctx.err);
    case 'json':
      // For scripts: one event per line on stdout, nothing else mixed in.
      return { event: (e) => ctx.stdout.write(`${JSON.stringify(e)}\n`), finish: () => undefined };
    case 'quiet':
      return { event: () => undefined, finish: () => undefined };
    default:
      return { event: (e) => ctx.stderr.write(`${plainLine(e)}\n`), finish: () => undefined };
  }
}

/**
 * Shows an operation's progress until it ends; resolves with its final record, or throws a CliError
 * (exit 1) that says what failed.
 */
export function followOperation(
  ctx: Context,
  client: Api,
  accepted: OperationRecord,
  title = 'Running',
  options: { quietPull?: boolean } = {},
): Promise<OperationRecord> {
  return follow(ctx, client, client.progress(accepted.id), accepted.id, title, options);
}

/** The same for an answer that carries the operation's progress itself (`up`: one round trip). */
export function followStream(
  ctx: Context,
  client: Api,
  items: AsyncIterable<UpItem>,
  title = 'Running',
  options: { quietPull?: boolean } = {},
): Promise<OperationRecord> {
  return follow(ctx, client, items, undefined, title, options);
}

async function follow(
  ctx: Context,
  client: Api,
  items: AsyncIterable<UpItem>,
  acceptedId: string | undefined,
  title: string,
  options: { quietPull?: boolean },
): Promise<OperationRecord> {
  const view = renderer(ctx, title);
  // `--quiet-pull`: an image pull says nothing unless it fails.
  const shown = (e: ProgressEvent) =>
    !(options.quietPull && e.kind === 'image' && e.action === 'pull' && e.state !== 'error');
  let final: OperationRecord | undefined;
  let id = acceptedId;
  try {
    for await (const item of items) {
      if (item.type === 'progress') {
        if (shown(item.event)) view.event(item.event);
      } else if (item.type === 'accepted') id = item.operation.id;
      else if (item.type === 'end') final = item.operation;
      else if (item.type === 'error') throw new CliError(item.error.message, ExitCode.failed);
    }
  } finally {
    view.finish();
  }
  if (!final) {
    if (id === undefined)
      throw new CliError('the daemon ended the answer before accepting the operation', ExitCode.failed);
    final = await client.getOperation(id);
  }
  if (ctx.globals.progress !== 'json' && ctx.globals.progress !== 'quiet') {
    for (const warning of final.warnings ?? []) ctx.stderr.write(`${ctx.err.yellow('WARN')} ${warning}\n`);
  }
  if (final.state === 'failed') throw operationFailure(final);
  return final;
}

export function operationFailure(record: OperationRecord): CliError {
  const problems = problemsOf(record.error?.details);
  const message = record.error?.message ?? `${record.kind} failed`;
  const text = problems.length ? problems.join('\n') : message;
  return new CliError(text, ExitCode.failed);
}
