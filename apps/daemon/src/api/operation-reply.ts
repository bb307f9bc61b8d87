import type { FastifyReply } from 'fastify';
import { statusForCode } from '../contract/errors.js';
import type { OperationRecord } from '../contract/types.js';
import type { OperationHandle } from '../verbs/types.js';

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
