import type { FastifyReply, FastifyRequest } from 'fastify';
import { statusForCode } from '../contract/errors.js';
import type { OperationRecord } from '../contract/types.js';
import type { Core, OperationHandle } from '../verbs/types.js';
import { toErrorResponse } from './errors.js';
import { openStream, pickFormat, type StreamFormat, sendStreamError } from './stream.js';

/**
 * Answers an accepted operation: at once with 202 + Location, or (`?wait=true`) when it ends, with 200
 * or the error status of its failure (the final record in `details.operation`).
 */
export async function replyOperation(
  reply: FastifyReply,
  handle: OperationHandle,
  wait: boolean | undefined,
): Promise<void> {
  const location = `/v1/operations/${encodeURIComponent(handle.record.id)}`;
  reply.header('Location', location);
  if (!wait) {
    await reply.status(202).send({ operation: handle.record });
    return;
  }
  const record: OperationRecord = await handle.done;
  if (record.state !== 'failed') {
    await reply.status(200).send({ operation: record });
    return;
  }
  const code = record.error?.code ?? 'OPERATION_FAILED';
  const status = record.error ? statusForCode(code) : 500;
  await reply.status(status).send({
    code,
    message: record.error?.message ?? `operation ${record.id} failed`,
    details: { operation: record },
  });
}

/**
 * Answers an accepted operation with its progress in the same response (`?stream=true`): a 200 NDJSON
 * (or SSE) stream of `{"type":"accepted","operation"}`, then what `GET /v1/operations/:id/progress`
 * streams (`progress` items, then `end`). One round trip instead of two for a client that follows it
 * (issue 17, item 2); the operation's `Location` is still given.
 */
export async function streamOperation(
  request: FastifyRequest,
  reply: FastifyReply,
  handle: OperationHandle,
  core: Core,
  shutdown: AbortSignal,
  format: StreamFormat | undefined,
): Promise<void> {
  const { id } = handle.record;
  // The stream writes the raw response (hijacked): its head takes the headers set on it.
  reply.raw.setHeader('Location', `/v1/operations/${encodeURIComponent(id)}`);
  const stream = openStream(reply, pickFormat(request, format ? { format } : {}), shutdown);
  try {
    await stream.send({ type: 'accepted', operation: handle.record }, 'accepted');
    for await (const event of core.operationProgress(id, stream.signal)) {
      await stream.send({ type: 'progress', event }, 'progress');
    }
    const record = core.getOperation(id);
    if (record && !stream.signal.aborted) await stream.send({ type: 'end', operation: record }, 'end');
  } catch (err) {
    if (!stream.signal.aborted) {
      const { body } = toErrorResponse(err);
      request.log.warn({ err }, 'operation stream failed');
      await sendStreamError(stream, body.code, body.message);
    }
  } finally {
    stream.end();
  }
}
