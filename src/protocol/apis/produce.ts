import type { ApiSchema } from '../schema.ts';

/**
 * Produce (API key 0): appends record batches (magic 2) to partitions.
 *
 * Served versions 3-9; flexible (compact strings, arrays and bytes, tagged fields) from v9.
 * Fields as in Kafka's ProduceRequest.json and ProduceResponse.json:
 *
 *   ProduceRequest =>
 *     transactional_id: string (v3+, nullable v3+)
 *     acks: int16
 *     timeout_ms: int32
 *     topic_data: [struct]
 *       name: string
 *       partition_data: [struct]
 *         index: int32
 *         records: records (nullable v0+)
 *
 *   ProduceResponse =>
 *     responses: [struct]
 *       name: string
 *       partition_responses: [struct]
 *         index: int32
 *         error_code: int16
 *         base_offset: int64
 *         log_append_time_ms: int64 (v2+)
 *         log_start_offset: int64 (v5+)
 *         record_errors: [struct] (v8+)
 *           batch_index: int32 (v8+)
 *           batch_index_error_message: string (v8+, nullable v8+)
 *         error_message: string (v8+, nullable v8+)
 *         current_leader: struct (v10+, tag 0)
 *           leader_id: int32 (v10+)
 *           leader_epoch: int32 (v10+)
 *     throttle_time_ms: int32 (v1+)
 *     node_endpoints: [struct] (v10+, tag 0)
 *       node_id: int32 (v10+)
 *       host: string (v10+)
 *       port: int32 (v10+)
 *       rack: string (v10+, nullable v10+)
 */
export const produce: ApiSchema = {
  apiKey: 0,
  name: 'Produce',
  minVersion: 3,
  maxVersion: 9,
  flexibleFrom: 9,
  request: [
    { name: 'transactionalId', type: 'string', versions: '3+', nullable: '3+', default: null },
    { name: 'acks', type: 'int16', versions: '0+' },
    { name: 'timeoutMs', type: 'int32', versions: '0+' },
    { name: 'topicData', type: 'array', versions: '0+', fields: [
      { name: 'name', type: 'string', versions: '0+' },
      { name: 'partitionData', type: 'array', versions: '0+', fields: [
        { name: 'index', type: 'int32', versions: '0+' },
        { name: 'records', type: 'records', versions: '0+', nullable: '0+' },
      ] },
    ] },
  ],
  response: [
    { name: 'responses', type: 'array', versions: '0+', fields: [
      { name: 'name', type: 'string', versions: '0+' },
      { name: 'partitionResponses', type: 'array', versions: '0+', fields: [
        { name: 'index', type: 'int32', versions: '0+' },
        { name: 'errorCode', type: 'int16', versions: '0+' },
        { name: 'baseOffset', type: 'int64', versions: '0+' },
        { name: 'logAppendTimeMs', type: 'int64', versions: '2+', default: -1 },
        { name: 'logStartOffset', type: 'int64', versions: '5+', default: -1 },
        { name: 'recordErrors', type: 'array', versions: '8+', fields: [
          { name: 'batchIndex', type: 'int32', versions: '8+' },
          { name: 'batchIndexErrorMessage', type: 'string', versions: '8+', nullable: '8+', default: null },
        ] },
        { name: 'errorMessage', type: 'string', versions: '8+', nullable: '8+', default: null },
        { name: 'currentLeader', type: 'struct', versions: '10+', tag: 0, taggedVersions: '10+', fields: [
          { name: 'leaderId', type: 'int32', versions: '10+', default: -1 },
          { name: 'leaderEpoch', type: 'int32', versions: '10+', default: -1 },
        ] },
      ] },
    ] },
    { name: 'throttleTimeMs', type: 'int32', versions: '1+', default: 0 },
    { name: 'nodeEndpoints', type: 'array', versions: '10+', tag: 0, taggedVersions: '10+', fields: [
      { name: 'nodeId', type: 'int32', versions: '10+' },
      { name: 'host', type: 'string', versions: '10+' },
      { name: 'port', type: 'int32', versions: '10+' },
      { name: 'rack', type: 'string', versions: '10+', nullable: '10+', default: null },
    ] },
  ],
};
