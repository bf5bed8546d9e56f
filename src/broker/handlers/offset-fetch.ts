import { ERROR_CODES } from '../../protocol/index.ts';
import type { Message } from '../../protocol/index.ts';
import type { BrokerContext } from '../broker-context.ts';
import type { ApiHandler } from './handler.ts';

type RequestedTopics = Array<{ name: string; partitionIndexes: number[] }> | null;

/** A group's committed offsets for the requested partitions (all of them when `topics` is null); -1 where none. */
async function groupOffsets(context: BrokerContext, groupId: string, topics: RequestedTopics): Promise<Message[]> {
  const committed = await context.engine.fetchOffsets(groupId);
  const wanted = topics ?? [...new Set(committed.map((c) => c.topic))].map((name) => ({ name, partitionIndexes: committed.filter((c) => c.topic === name).map((c) => c.partition) }));
  return wanted.map((topic) => ({
    name: topic.name,
    partitions: topic.partitionIndexes.map((partitionIndex) => {
      const found = committed.find((c) => c.topic === topic.name && c.partition === partitionIndex);
      return { partitionIndex, committedOffset: found?.offset ?? -1, committedLeaderEpoch: -1, metadata: found?.metadata ?? '', errorCode: ERROR_CODES.NONE };
    }),
  }));
}

/** OffsetFetch: one group's offsets before v8, several groups' from v8. */
export const handleOffsetFetch: ApiHandler = async (context, request, version) => {
  if (version < 8) {
    return { throttleTimeMs: 0, topics: await groupOffsets(context, request['groupId'] as string, request['topics'] as RequestedTopics), errorCode: ERROR_CODES.NONE };
  }
  const groups = [];
  for (const group of request['groups'] as Array<{ groupId: string; topics: RequestedTopics }>) {
    groups.push({ groupId: group.groupId, topics: await groupOffsets(context, group.groupId, group.topics), errorCode: ERROR_CODES.NONE });
  }
  return { throttleTimeMs: 0, groups };
};
