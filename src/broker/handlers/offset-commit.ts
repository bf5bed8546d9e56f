import { ERROR_CODES } from '../../protocol/index.ts';
import type { ApiHandler } from './handler.ts';
import { kafkaErrorOf } from '../error-mapping.ts';

interface CommitTopic { name: string; partitions: Array<{ partitionIndex: number; committedOffset: number; committedMetadata: string | null }> }

/**
 * OffsetCommit: stores a group's offsets in the log engine, after checking that the member and
 * generation are current; a commit naming no member (generation -1) only while the group has none.
 */
export const handleOffsetCommit: ApiHandler = async (context, request) => {
  const groupId = request['groupId'] as string;
  const fenced = context.groups.validateCommit(
    groupId, (request['memberId'] as string | undefined) ?? '', request['generationIdOrMemberEpoch'] as number, (request['groupInstanceId'] as string | null | undefined) ?? null,
  );
  const topics = [];
  for (const topic of request['topics'] as CommitTopic[]) {
    let errorCode: number = fenced;
    if (fenced === ERROR_CODES.NONE) {
      try {
        await context.engine.commitOffsets(groupId, topic.partitions.map((p) => ({
          topic: topic.name, partition: p.partitionIndex, offset: p.committedOffset, metadata: p.committedMetadata ?? '',
        })));
      } catch (error) {
        errorCode = kafkaErrorOf(error).code;
      }
    }
    topics.push({ name: topic.name, partitions: topic.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode })) });
  }
  return { throttleTimeMs: 0, topics };
};
