import { ERROR_CODES } from '../../protocol/index.ts';
import type { ApiHandler } from './handler.ts';
import { coordinatorCode, kafkaErrorOf } from '../error-mapping.ts';
import { producerOf } from './transactional-producer.ts';

/**
 * EndTxn: commits or aborts the open transaction. Answers once the markers are durable, so a
 * read_committed consumer fetching after the reply sees the outcome.
 */
export const handleEndTxn: ApiHandler = async (context, request, version) => {
  try {
    await context.engine.endTxn(producerOf(request), request['committed'] as boolean);
    return { throttleTimeMs: 0, errorCode: ERROR_CODES.NONE };
  } catch (error) {
    return { throttleTimeMs: 0, errorCode: coordinatorCode(kafkaErrorOf(error).code, version, 2) };
  }
};
