import { ERROR_CODES } from '../../protocol/index.ts';
import type { ApiHandler } from './handler.ts';
import { coordinatorCode, kafkaErrorOf } from '../error-mapping.ts';

const NO_PRODUCER = { producerId: -1, producerEpoch: -1 };

/**
 * InitProducerId: without a transactional id, a fresh producer id at epoch 0 (an idempotent
 * producer). With one, the engine bumps the id's epoch, aborting a transaction the previous epoch
 * left open, and fences that epoch. A producer re-initialising after an error (v3+, KIP-360) names
 * the id and epoch it holds; when a newer epoch of that producer id owns the transactional id, the
 * caller is a zombie and is answered PRODUCER_FENCED instead of fencing the live producer.
 */
export const handleInitProducerId: ApiHandler = async (context, request, version) => {
  const transactionalId = (request['transactionalId'] as string | null | undefined) ?? null;
  const transactionTimeoutMs = request['transactionTimeoutMs'] as number;
  const heldId = (request['producerId'] as number | undefined) ?? -1;
  const heldEpoch = (request['producerEpoch'] as number | undefined) ?? -1;
  if (transactionalId !== null && transactionTimeoutMs <= 0) {
    return { throttleTimeMs: 0, errorCode: ERROR_CODES.INVALID_TRANSACTION_TIMEOUT, ...NO_PRODUCER };
  }
  try {
    if (transactionalId !== null && heldId >= 0) {
      const [current] = await context.engine.describeTransactions([transactionalId]);
      if (current !== undefined && current.producerId === heldId && current.producerEpoch > heldEpoch) return { throttleTimeMs: 0, errorCode: coordinatorCode(ERROR_CODES.PRODUCER_FENCED, version, 4), ...NO_PRODUCER };
    }
    const producer = await context.engine.initProducerId(transactionalId, transactionalId === null ? {} : { transactionTimeoutMs });
    return { throttleTimeMs: 0, errorCode: ERROR_CODES.NONE, producerId: producer.producerId, producerEpoch: producer.producerEpoch };
  } catch (error) {
    return { throttleTimeMs: 0, errorCode: coordinatorCode(kafkaErrorOf(error).code, version, 4), ...NO_PRODUCER };
  }
};
