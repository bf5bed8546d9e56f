import { ERROR_CODES } from '../../protocol/index.ts';
import type { Message } from '../../protocol/index.ts';
import { NODE_ID } from '../broker-context.ts';
import type { BrokerContext } from '../broker-context.ts';
import { kafkaErrorOf } from '../error-mapping.ts';
import type { ApiHandler } from './handler.ts';
import { topicIdOf } from '../topic-id.ts';
import { ensureTopic, partitionsOf } from '../topic-lookup.ts';

/** This broker as the cluster's only node. */
export function brokerList(context: BrokerContext): Message[] {
  return [{ nodeId: NODE_ID, host: context.advertisedHost, port: context.advertisedPort, rack: null }];
}

/** A topic as Metadata describes it: every partition led by this node, one replica. */
export function topicMetadata(context: BrokerContext, name: string): Message {
  const partitions = context.engine.partitionCount(name);
  return {
    errorCode: ERROR_CODES.NONE, name, topicId: topicIdOf(name), isInternal: false, topicAuthorizedOperations: -2147483648,
    partitions: Array.from({ length: partitions }, (_, index) => ({
      errorCode: ERROR_CODES.NONE, partitionIndex: index, leaderId: NODE_ID, leaderEpoch: 0, replicaNodes: [NODE_ID], isrNodes: [NODE_ID], offlineReplicas: [],
    })),
  };
}

/**
 * Metadata: this broker, and the topics asked for (all of them when the list is null — or empty
 * in v0). A topic that does not exist is created when the request (v4+) and the broker allow it,
 * up to the broker's partitions-per-request limit; past it a topic gets INVALID_PARTITIONS.
 */
export const handleMetadata: ApiHandler = async (context, request, version) => {
  const requested = request['topics'] as Array<{ name: string }> | null;
  const all = requested === null || (version === 0 && requested.length === 0);
  const names = all ? await context.engine.listTopics() : requested.map((t) => t.name);
  const allowCreate = context.autoCreateTopics && (version < 4 || request['allowAutoTopicCreation'] !== false);
  const topics: Message[] = [];
  const budget = { partitions: context.maxPartitionsPerRequest };
  for (const name of names) {
    const missing = (errorCode: number) => ({ errorCode, name, topicId: Buffer.alloc(16), isInternal: false, partitions: [], topicAuthorizedOperations: -2147483648 });
    if (partitionsOf(context.engine, name) === undefined) {
      if (!allowCreate) {
        topics.push(missing(ERROR_CODES.UNKNOWN_TOPIC_OR_PARTITION));
        continue;
      }
      try {
        await ensureTopic(context.engine, name, context.defaultPartitions, budget);
      } catch (error) {
        topics.push(missing(kafkaErrorOf(error).code));
        continue;
      }
    }
    topics.push(topicMetadata(context, name));
  }
  return {
    throttleTimeMs: 0, brokers: brokerList(context), clusterId: 'kstreams', controllerId: NODE_ID, topics, clusterAuthorizedOperations: -2147483648,
  };
};
