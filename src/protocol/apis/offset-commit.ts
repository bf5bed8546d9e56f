import type { ApiSchema } from '../schema.ts';

/**
 * OffsetCommit (API key 8): stores a consumer group's committed offsets.
 *
 * Served versions 0-8; flexible (compact strings, arrays and bytes, tagged fields) from v8.
 * Fields as in Kafka's OffsetCommitRequest.json and OffsetCommitResponse.json:
 *
 *   OffsetCommitRequest =>
 *     group_id: string
 *     generation_id_or_member_epoch: int32 (v1+)
 *     member_id: string (v1+)
 *     group_instance_id: string (v7+, nullable v7+)
 *     retention_time_ms: int64 (v2-4)
 *     topics: [struct]
 *       name: string
 *       partitions: [struct]
 *         partition_index: int32
 *         committed_offset: int64
 *         committed_leader_epoch: int32 (v6+)
 *         commit_timestamp: int64 (v1)
 *         committed_metadata: string (nullable v0+)
 *
 *   OffsetCommitResponse =>
 *     throttle_time_ms: int32 (v3+)
 *     topics: [struct]
 *       name: string
 *       partitions: [struct]
 *         partition_index: int32
 *         error_code: int16
 */
export const offsetCommit: ApiSchema = {
  apiKey: 8,
  name: 'OffsetCommit',
  minVersion: 0,
  maxVersion: 8,
  flexibleFrom: 8,
  request: [
    { name: 'groupId', type: 'string', versions: '0+' },
    { name: 'generationIdOrMemberEpoch', type: 'int32', versions: '1+', default: -1 },
    { name: 'memberId', type: 'string', versions: '1+' },
    { name: 'groupInstanceId', type: 'string', versions: '7+', nullable: '7+', default: null },
    { name: 'retentionTimeMs', type: 'int64', versions: '2-4', default: -1 },
    { name: 'topics', type: 'array', versions: '0+', fields: [
      { name: 'name', type: 'string', versions: '0+' },
      { name: 'partitions', type: 'array', versions: '0+', fields: [
        { name: 'partitionIndex', type: 'int32', versions: '0+' },
        { name: 'committedOffset', type: 'int64', versions: '0+' },
        { name: 'committedLeaderEpoch', type: 'int32', versions: '6+', default: -1 },
        { name: 'commitTimestamp', type: 'int64', versions: '1', default: -1 },
        { name: 'committedMetadata', type: 'string', versions: '0+', nullable: '0+' },
      ] },
    ] },
  ],
  response: [
    { name: 'throttleTimeMs', type: 'int32', versions: '3+' },
    { name: 'topics', type: 'array', versions: '0+', fields: [
      { name: 'name', type: 'string', versions: '0+' },
      { name: 'partitions', type: 'array', versions: '0+', fields: [
        { name: 'partitionIndex', type: 'int32', versions: '0+' },
        { name: 'errorCode', type: 'int16', versions: '0+' },
      ] },
    ] },
  ],
};
