import type { ApiSchema } from '../schema.ts';

/**
 * ListOffsets (API key 2): the earliest, latest or by-timestamp offset of partitions.
 *
 * Served versions 1-7; flexible (compact strings, arrays and bytes, tagged fields) from v6.
 * Fields as in Kafka's ListOffsetsRequest.json and ListOffsetsResponse.json:
 *
 *   ListOffsetsRequest =>
 *     replica_id: int32
 *     isolation_level: int8 (v2+)
 *     topics: [struct]
 *       name: string
 *       partitions: [struct]
 *         partition_index: int32
 *         current_leader_epoch: int32 (v4+)
 *         timestamp: int64
 *         max_num_offsets: int32 (v0)
 *     timeout_ms: int32 (v10+)
 *
 *   ListOffsetsResponse =>
 *     throttle_time_ms: int32 (v2+)
 *     topics: [struct]
 *       name: string
 *       partitions: [struct]
 *         partition_index: int32
 *         error_code: int16
 *         old_style_offsets: [int64] (v0)
 *         timestamp: int64 (v1+)
 *         offset: int64 (v1+)
 *         leader_epoch: int32 (v4+)
 */
export const listOffsets: ApiSchema = {
  apiKey: 2,
  name: 'ListOffsets',
  minVersion: 1,
  maxVersion: 7,
  flexibleFrom: 6,
  request: [
    { name: 'replicaId', type: 'int32', versions: '0+' },
    { name: 'isolationLevel', type: 'int8', versions: '2+' },
    { name: 'topics', type: 'array', versions: '0+', fields: [
      { name: 'name', type: 'string', versions: '0+' },
      { name: 'partitions', type: 'array', versions: '0+', fields: [
        { name: 'partitionIndex', type: 'int32', versions: '0+' },
        { name: 'currentLeaderEpoch', type: 'int32', versions: '4+', default: -1 },
        { name: 'timestamp', type: 'int64', versions: '0+' },
        { name: 'maxNumOffsets', type: 'int32', versions: '0', default: 1 },
      ] },
    ] },
    { name: 'timeoutMs', type: 'int32', versions: '10+' },
  ],
  response: [
    { name: 'throttleTimeMs', type: 'int32', versions: '2+' },
    { name: 'topics', type: 'array', versions: '0+', fields: [
      { name: 'name', type: 'string', versions: '0+' },
      { name: 'partitions', type: 'array', versions: '0+', fields: [
        { name: 'partitionIndex', type: 'int32', versions: '0+' },
        { name: 'errorCode', type: 'int16', versions: '0+' },
        { name: 'oldStyleOffsets', type: 'array', items: 'int64', versions: '0' },
        { name: 'timestamp', type: 'int64', versions: '1+', default: -1 },
        { name: 'offset', type: 'int64', versions: '1+', default: -1 },
        { name: 'leaderEpoch', type: 'int32', versions: '4+', default: -1 },
      ] },
    ] },
  ],
};
