import { ERROR_CODES } from '../../protocol/index.ts';
import type { ApiHandler } from './handler.ts';

/**
 * InitProducerId: a fresh producer id, epoch 0, for idempotent producers. Transactions are not
 * served: a transactional id is answered with an error.
 */
export const handleInitProducerId: ApiHandler = async (context, request) => {
  if (request['transactionalId'] !== null && request['transactionalId'] !== undefined) {
    return { throttleTimeMs: 0, errorCode: ERROR_CODES.INVALID_REQUEST, producerId: -1, producerEpoch: -1 };
  }
  return { throttleTimeMs: 0, errorCode: ERROR_CODES.NONE, producerId: context.nextProducerId(), producerEpoch: 0 };
};
