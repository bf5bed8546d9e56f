import { ERROR_CODES } from '../../protocol/index.ts';
import type { ApiHandler } from './handler.ts';
import { kafkaErrorOf } from '../error-mapping.ts';
import { producerOf } from './transactional-producer.ts';

interface CommitTopic { name: string; partitions: Array<{ partitionIndex: number; committedOffset: number; committedMetadata: string | null }> }

/**
 * TxnOffsetCommit: a group's offsets held with the transaction, applied only when it commits.
 * From v3 a member and generation it names are checked as for OffsetCommit (generation -1 and no
 * member skips the check, also in a group with members); unlike OffsetCommit the group's state does
 * not refuse it, as in Kafka's coordinator: the transaction still decides whether the offsets count.
 */
export const handleTxnOffsetCommit: ApiHandler = async (context, request) => {
  const groupId = request['groupId'] as string;
  const topics = request['topics'] as CommitTopic[];
  let errorCode: number = context.groups.validateCommit(
    groupId, (request['memberId'] as string | undefined) ?? '', (request['generationId'] as number | undefined) ?? -1, (request['groupInstanceId'] as string | null | undefined) ?? null, true,
  );
  if (errorCode === ERROR_CODES.NONE) {
    const offsets = topics.flatMap((t) => t.partitions.map((p) => ({
      topic: t.name, partition: p.partitionIndex, offset: p.committedOffset, metadata: p.committedMetadata ?? '',
    })));
    try {
      await context.engine.txnOffsetCommit(producerOf(request), groupId, offsets);
    } catch (error) {
      errorCode = kafkaErrorOf(error).code;
    }
  }
  return { throttleTimeMs: 0, topics: topics.map((t) => ({ name: t.name, partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode })) })) };
};
