import { ERROR_CODES } from '../../protocol/index.ts';
import { getLogger } from '../../common/index.ts';
import type { ApiHandler } from './handler.ts';
import { produceErrorOf } from '../error-mapping.ts';
import { ensureTopic } from '../topic-lookup.ts';

const log = getLogger('broker');

interface TopicData { name: string; partitionData: Array<{ index: number; records: Buffer | null }> }

/**
 * Produce: appends each partition's record batches as the client encoded them (the engine checks
 * each batch's CRC and assigns offsets). Unknown topics are created when the broker allows it.
 * Idempotent and transactional batches are checked against their producer's epoch and sequence;
 * a retried batch is acknowledged with the base offset it got the first time.
 * With acks 0 the client expects no response.
 */
export const handleProduce: ApiHandler = async (context, request) => {
  const responses = [];
  const budget = { partitions: context.maxPartitionsPerRequest };
  for (const topic of request['topicData'] as TopicData[]) {
    if (context.autoCreateTopics) await ensureTopic(context.engine, topic.name, context.defaultPartitions, budget).catch(() => undefined);
    const partitionResponses = [];
    for (const { index, records } of topic.partitionData) {
      const base = { index, baseOffset: -1, logAppendTimeMs: -1, logStartOffset: -1, recordErrors: [], errorMessage: null as string | null };
      if (records === null || records.length === 0) {
        partitionResponses.push({ ...base, errorCode: ERROR_CODES.NONE });
        continue;
      }
      try {
        // The request's bytes are not used after this: the batches are stored from them, not from a copy.
        const { baseOffset, logAppendTimeMs, logStartOffset } = await context.engine.appendBatch(topic.name, index, records, { inPlace: true });
        partitionResponses.push({ ...base, errorCode: ERROR_CODES.NONE, baseOffset, logAppendTimeMs, logStartOffset });
      } catch (error) {
        const { code, message } = produceErrorOf(error);
        if (code === ERROR_CODES.UNKNOWN_SERVER_ERROR) log.error(`produce to ${topic.name}-${index} failed: ${message}`);
        partitionResponses.push({ ...base, errorCode: code, errorMessage: message });
      }
    }
    responses.push({ name: topic.name, partitionResponses });
  }
  if (request['acks'] === 0) return null;
  return { responses, throttleTimeMs: 0 };
};
