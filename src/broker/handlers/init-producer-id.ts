import { getLogger } from '../../common/index.ts';
import { ERROR_CODES } from '../../protocol/index.ts';
import type { ApiHandler } from './handler.ts';

const log = getLogger('broker');

/**
 * InitProducerId: a fresh producer id, epoch 0, for idempotent producers. Transactions are not
 * served: a transactional id is answered with an error.
 */
export const handleInitProducerId: ApiHandler = async (context, request, _version, source) => {
  if (request['transactionalId'] !== null && request['transactionalId'] !== undefined) {
    log.warn(`client "${source.clientId}" (${source.clientHost}) asked for transactional id "${String(request['transactionalId'])}": ` +
      'kstreams broker does not serve transactions; drop transactional.id (idempotent producers work) or use Apache Kafka for exactly-once');
    return { throttleTimeMs: 0, errorCode: ERROR_CODES.INVALID_REQUEST, producerId: -1, producerEpoch: -1 };
  }
  return { throttleTimeMs: 0, errorCode: ERROR_CODES.NONE, producerId: context.nextProducerId(), producerEpoch: 0 };
};
