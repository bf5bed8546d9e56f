import { ERROR_CODES } from '../../protocol/index.ts';
import type { ApiHandler } from './handler.ts';
import { kafkaErrorOf } from '../error-mapping.ts';
import { topicIdOf } from '../topic-id.ts';

interface CreatableTopic {
  name: string;
  numPartitions: number;
  replicationFactor: number;
  configs: Array<{ name: string; value: string | null }>;
}

/**
 * CreateTopics: each topic with its partition count (-1: the broker default) and configs; replication
 * must be 1 or -1. A request asking for more partitions in all than `maxPartitionsPerRequest` is
 * refused whole with POLICY_VIOLATION (as Kafka refuses an excessively large operation); a topic
 * over the engine's per-topic limit gets INVALID_PARTITIONS.
 */
export const handleCreateTopics: ApiHandler = async (context, request) => {
  const validateOnly = request['validateOnly'] === true;
  const requested = request['topics'] as CreatableTopic[];
  const partitionsOf = (topic: CreatableTopic) => (topic.numPartitions === -1 ? context.defaultPartitions : topic.numPartitions);
  const total = requested.reduce((sum, topic) => sum + Math.max(0, partitionsOf(topic)), 0);
  const topics = [];
  for (const topic of requested) {
    const partitions = partitionsOf(topic);
    const result = { name: topic.name, topicId: topicIdOf(topic.name), errorCode: ERROR_CODES.NONE, errorMessage: null as string | null, numPartitions: partitions, replicationFactor: 1, configs: [] };
    if (total > context.maxPartitionsPerRequest) {
      topics.push({ ...result, errorCode: ERROR_CODES.POLICY_VIOLATION, errorMessage: `the request asks for ${total} partitions in all; this broker creates at most ${context.maxPartitionsPerRequest} per request (--max-partitions-per-request)` });
      continue;
    }
    if (topic.replicationFactor > 1) {
      topics.push({ ...result, errorCode: ERROR_CODES.INVALID_REPLICATION_FACTOR, errorMessage: 'kstreams broker is a single node: replication factor must be 1' });
      continue;
    }
    if (partitions < 1) {
      topics.push({ ...result, errorCode: ERROR_CODES.INVALID_PARTITIONS, errorMessage: `a topic needs at least 1 partition, got ${partitions}` });
      continue;
    }
    try {
      const config = Object.fromEntries(topic.configs.filter((c) => c.value !== null).map((c) => [c.name, c.value!]));
      if (validateOnly) context.engine.checkNewTopic(topic.name, { partitions, config });
      else await context.engine.createTopic(topic.name, { partitions, config });
      topics.push(result);
    } catch (error) {
      const { code, message } = kafkaErrorOf(error);
      topics.push({ ...result, errorCode: code, errorMessage: message });
    }
  }
  return { throttleTimeMs: 0, topics };
};
