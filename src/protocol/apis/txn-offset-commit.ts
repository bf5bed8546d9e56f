import type { ApiSchema } from '../schema.ts';

/**
 * TxnOffsetCommit (API key 28): a consumer group's offsets sent inside a transaction; they become
 * the group's committed offsets only when the transaction commits.
 *
 * Served versions 0-4; flexible (compact strings, arrays and bytes, tagged fields) from v3.
 * Fields as in Kafka's TxnOffsetCommitRequest.json and TxnOffsetCommitResponse.json:
 *
 *   TxnOffsetCommitRequest =>
 *     transactional_id: string
 *     group_id: string
 *     producer_id: int64
 *     producer_epoch: int16
 *     generation_id: int32 (v3+)
 *     member_id: string (v3+)
 *     group_instance_id: string (v3+, nullable v3+)
 *     topics: [struct]
 *       name: string
 *       partitions: [struct]
 *         partition_index: int32
 *         committed_offset: int64
 *         committed_leader_epoch: int32 (v2+)
 *         committed_metadata: string (nullable v0+)
 *
 *   TxnOffsetCommitResponse =>
 *     throttle_time_ms: int32
 *     topics: [struct]
 *       name: string
 *       partitions: [struct]
 *         partition_index: int32
 *         error_code: int16
 */
export const txnOffsetCommit: ApiSchema = {
  apiKey: 28,
  name: 'TxnOffsetCommit',
  minVersion: 0,
  maxVersion: 4,
  flexibleFrom: 3,
  request: [
    { name: 'transactionalId', type: 'string', versions: '0+' },
    { name: 'groupId', type: 'string', versions: '0+' },
    { name: 'producerId', type: 'int64', versions: '0+' },
    { name: 'producerEpoch', type: 'int16', versions: '0+' },
    { name: 'generationId', type: 'int32', versions: '3+', default: -1 },
    { name: 'memberId', type: 'string', versions: '3+', default: '' },
    { name: 'groupInstanceId', type: 'string', versions: '3+', nullable: '3+', default: null },
    { name: 'topics', type: 'array', versions: '0+', fields: [
      { name: 'name', type: 'string', versions: '0+' },
      { name: 'partitions', type: 'array', versions: '0+', fields: [
        { name: 'partitionIndex', type: 'int32', versions: '0+' },
        { name: 'committedOffset', type: 'int64', versions: '0+' },
        { name: 'committedLeaderEpoch', type: 'int32', versions: '2+', default: -1 },
        { name: 'committedMetadata', type: 'string', versions: '0+', nullable: '0+' },
      ] },
    ] },
  ],
  response: [
    { name: 'throttleTimeMs', type: 'int32', versions: '0+' },
    { name: 'topics', type: 'array', versions: '0+', fields: [
      { name: 'name', type: 'string', versions: '0+' },
      { name: 'partitions', type: 'array', versions: '0+', fields: [
        { name: 'partitionIndex', type: 'int32', versions: '0+' },
        { name: 'errorCode', type: 'int16', versions: '0+' },
      ] },
    ] },
  ],
};
