import { ERROR_CODES } from '../../protocol/index.ts';
import type { ApiHandler } from './handler.ts';
import { coordinatorCode, kafkaErrorOf } from '../error-mapping.ts';
import { producerOf } from './transactional-producer.ts';

/** AddOffsetsToTxn: adds a consumer group to the open transaction, so its TxnOffsetCommits go with it. */
export const handleAddOffsetsToTxn: ApiHandler = async (context, request, version) => {
  try {
    await context.engine.addOffsetsToTxn(producerOf(request), request['groupId'] as string);
    return { throttleTimeMs: 0, errorCode: ERROR_CODES.NONE };
  } catch (error) {
    return { throttleTimeMs: 0, errorCode: coordinatorCode(kafkaErrorOf(error).code, version, 2) };
  }
};
