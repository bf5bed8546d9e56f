import { ERROR_CODES } from '../../protocol/index.ts';
import { kafkaErrorOf } from '../error-mapping.ts';
import type { ApiHandler } from './handler.ts';

type TopicRequest = { name: string; partitions: Array<{ partitionIndex: number; offset: number }> };

/** DeleteRecords: each partition's records before the offset are deleted; answers the new low watermark. */
export const handleDeleteRecords: ApiHandler = async (context, request) => {
  const topics = [];
  for (const topic of request['topics'] as TopicRequest[]) {
    const partitions = [];
    for (const { partitionIndex, offset } of topic.partitions) {
      try {
        const { lowWatermark } = await context.engine.deleteRecords(topic.name, partitionIndex, offset);
        partitions.push({ partitionIndex, lowWatermark, errorCode: ERROR_CODES.NONE });
      } catch (error) {
        partitions.push({ partitionIndex, lowWatermark: -1, errorCode: kafkaErrorOf(error).code });
      }
    }
    topics.push({ name: topic.name, partitions });
  }
  return { throttleTimeMs: 0, topics };
};
