import type { ApiSchema } from '../schema.ts';

/**
 * OffsetFetch (API key 9): reads a consumer group's committed offsets.
 *
 * Served versions 1-8; flexible (compact strings, arrays and bytes, tagged fields) from v6.
 * Fields as in Kafka's OffsetFetchRequest.json and OffsetFetchResponse.json:
 *
 *   OffsetFetchRequest =>
 *     group_id: string (v0-7)
 *     topics: [struct] (v0-7, nullable v2-7)
 *       name: string (v0-7)
 *       partition_indexes: [int32] (v0-7)
 *     groups: [struct] (v8+)
 *       group_id: string (v8+)
 *       member_id: string (v9+, nullable v9+)
 *       member_epoch: int32 (v9+)
 *       topics: [struct] (v8+, nullable v8+)
 *         name: string (v8+)
 *         partition_indexes: [int32] (v8+)
 *     require_stable: bool (v7+)
 *
 *   OffsetFetchResponse =>
 *     throttle_time_ms: int32 (v3+)
 *     topics: [struct] (v0-7)
 *       name: string (v0-7)
 *       partitions: [struct] (v0-7)
 *         partition_index: int32 (v0-7)
 *         committed_offset: int64 (v0-7)
 *         committed_leader_epoch: int32 (v5-7)
 *         metadata: string (v0-7, nullable v0-7)
 *         error_code: int16 (v0-7)
 *     error_code: int16 (v2-7)
 *     groups: [struct] (v8+)
 *       group_id: string (v8+)
 *       topics: [struct] (v8+)
 *         name: string (v8+)
 *         partitions: [struct] (v8+)
 *           partition_index: int32 (v8+)
 *           committed_offset: int64 (v8+)
 *           committed_leader_epoch: int32 (v8+)
 *           metadata: string (v8+, nullable v8+)
 *           error_code: int16 (v8+)
 *       error_code: int16 (v8+)
 */
export const offsetFetch: ApiSchema = {
  apiKey: 9,
  name: 'OffsetFetch',
  minVersion: 1,
  maxVersion: 8,
  flexibleFrom: 6,
  request: [
    { name: 'groupId', type: 'string', versions: '0-7' },
    { name: 'topics', type: 'array', versions: '0-7', nullable: '2-7', fields: [
      { name: 'name', type: 'string', versions: '0-7' },
      { name: 'partitionIndexes', type: 'array', items: 'int32', versions: '0-7' },
    ] },
    { name: 'groups', type: 'array', versions: '8+', fields: [
      { name: 'groupId', type: 'string', versions: '8+' },
      { name: 'memberId', type: 'string', versions: '9+', nullable: '9+', default: null },
      { name: 'memberEpoch', type: 'int32', versions: '9+', default: -1 },
      { name: 'topics', type: 'array', versions: '8+', nullable: '8+', fields: [
        { name: 'name', type: 'string', versions: '8+' },
        { name: 'partitionIndexes', type: 'array', items: 'int32', versions: '8+' },
      ] },
    ] },
    { name: 'requireStable', type: 'bool', versions: '7+', default: false },
  ],
  response: [
    { name: 'throttleTimeMs', type: 'int32', versions: '3+' },
    { name: 'topics', type: 'array', versions: '0-7', fields: [
      { name: 'name', type: 'string', versions: '0-7' },
      { name: 'partitions', type: 'array', versions: '0-7', fields: [
        { name: 'partitionIndex', type: 'int32', versions: '0-7' },
        { name: 'committedOffset', type: 'int64', versions: '0-7' },
        { name: 'committedLeaderEpoch', type: 'int32', versions: '5-7', default: -1 },
        { name: 'metadata', type: 'string', versions: '0-7', nullable: '0-7' },
        { name: 'errorCode', type: 'int16', versions: '0-7' },
      ] },
    ] },
    { name: 'errorCode', type: 'int16', versions: '2-7', default: 0 },
    { name: 'groups', type: 'array', versions: '8+', fields: [
      { name: 'groupId', type: 'string', versions: '8+' },
      { name: 'topics', type: 'array', versions: '8+', fields: [
        { name: 'name', type: 'string', versions: '8+' },
        { name: 'partitions', type: 'array', versions: '8+', fields: [
          { name: 'partitionIndex', type: 'int32', versions: '8+' },
          { name: 'committedOffset', type: 'int64', versions: '8+' },
          { name: 'committedLeaderEpoch', type: 'int32', versions: '8+', default: -1 },
          { name: 'metadata', type: 'string', versions: '8+', nullable: '8+' },
          { name: 'errorCode', type: 'int16', versions: '8+' },
        ] },
      ] },
      { name: 'errorCode', type: 'int16', versions: '8+', default: 0 },
    ] },
  ],
};
