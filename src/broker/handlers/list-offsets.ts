import { ERROR_CODES } from '../../protocol/index.ts';
import type { ApiHandler } from './handler.ts';
import { kafkaErrorOf } from '../error-mapping.ts';
import { isolationLevelOf } from '../isolation-level.ts';

const LATEST = -1;
const EARLIEST = -2;

/**
 * ListOffsets: per partition the latest (-1), earliest (-2), or first offset at or after a timestamp
 * (-1 when none). Under isolation level 1 (read_committed, v2+) the latest is the last stable offset,
 * and a timestamp's offset at or past it is answered -1, as Kafka does.
 */
export const handleListOffsets: ApiHandler = async (context, request) => {
  const isolationLevel = isolationLevelOf(request['isolationLevel']);
  const topics = [];
  for (const topic of request['topics'] as Array<{ name: string; partitions: Array<{ partitionIndex: number; timestamp: number }> }>) {
    const partitions = [];
    for (const { partitionIndex, timestamp } of topic.partitions) {
      try {
        const { earliest, latest } = await context.engine.listOffsets(topic.name, partitionIndex, { isolationLevel });
        const found = timestamp === LATEST ? latest : timestamp === EARLIEST ? earliest : ((await context.engine.offsetForTimestamp(topic.name, partitionIndex, timestamp)) ?? -1);
        // Under read_committed `latest` is the last stable offset; a timestamp's offset past it is not readable yet.
        const offset = timestamp >= 0 && found >= latest ? -1 : found;
        partitions.push({ partitionIndex, errorCode: ERROR_CODES.NONE, oldStyleOffsets: [offset], timestamp: -1, offset, leaderEpoch: 0 });
      } catch (error) {
        partitions.push({ partitionIndex, errorCode: kafkaErrorOf(error).code, oldStyleOffsets: [], timestamp: -1, offset: -1, leaderEpoch: -1 });
      }
    }
    topics.push({ name: topic.name, partitions });
  }
  return { throttleTimeMs: 0, topics };
};
