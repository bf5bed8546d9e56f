import { ERROR_CODES } from '../../protocol/index.ts';
import type { Message } from '../../protocol/index.ts';
import type { BrokerContext } from '../broker-context.ts';
import type { ApiHandler } from './handler.ts';

type RequestedTopics = Array<{ name: string; partitionIndexes: number[] }> | null;

/**
 * A group's committed offsets for the requested partitions (all of them when `topics` is null); -1
 * where none. With `requireStable` (v7+), a partition whose offset an open transaction holds is
 * answered UNSTABLE_OFFSET_COMMIT (offset -1), as Kafka does, so the client retries once it ends.
 */
async function groupOffsets(context: BrokerContext, groupId: string, topics: RequestedTopics, requireStable: boolean): Promise<Message[]> {
  const committed = await context.engine.fetchOffsets(groupId);
  const pending = requireStable ? await context.engine.pendingTransactionalOffsets(groupId) : [];
  const wanted = topics ?? [...new Set(committed.map((c) => c.topic))].map((name) => ({ name, partitionIndexes: committed.filter((c) => c.topic === name).map((c) => c.partition) }));
  return wanted.map((topic) => ({
    name: topic.name,
    partitions: topic.partitionIndexes.map((partitionIndex) => {
      if (pending.some((p) => p.topic === topic.name && p.partition === partitionIndex)) {
        return { partitionIndex, committedOffset: -1, committedLeaderEpoch: -1, metadata: '', errorCode: ERROR_CODES.UNSTABLE_OFFSET_COMMIT };
      }
      const found = committed.find((c) => c.topic === topic.name && c.partition === partitionIndex);
      return { partitionIndex, committedOffset: found?.offset ?? -1, committedLeaderEpoch: -1, metadata: found?.metadata ?? '', errorCode: ERROR_CODES.NONE };
    }),
  }));
}

/** OffsetFetch: one group's offsets before v8, several groups' from v8. */
export const handleOffsetFetch: ApiHandler = async (context, request, version) => {
  const requireStable = (request['requireStable'] as boolean | undefined) === true;
  if (version < 8) {
    return { throttleTimeMs: 0, topics: await groupOffsets(context, request['groupId'] as string, request['topics'] as RequestedTopics, requireStable), errorCode: ERROR_CODES.NONE };
  }
  const groups = [];
  for (const group of request['groups'] as Array<{ groupId: string; topics: RequestedTopics }>) {
    groups.push({ groupId: group.groupId, topics: await groupOffsets(context, group.groupId, group.topics, requireStable), errorCode: ERROR_CODES.NONE });
  }
  return { throttleTimeMs: 0, groups };
};
