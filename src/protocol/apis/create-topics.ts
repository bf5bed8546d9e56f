import type { ApiSchema } from '../schema.ts';

/**
 * CreateTopics (API key 19): creates topics with partition counts and configs.
 *
 * Served versions 0-7; flexible (compact strings, arrays and bytes, tagged fields) from v5.
 * Fields as in Kafka's CreateTopicsRequest.json and CreateTopicsResponse.json:
 *
 *   CreateTopicsRequest =>
 *     topics: [struct]
 *       name: string
 *       num_partitions: int32
 *       replication_factor: int16
 *       assignments: [struct]
 *         partition_index: int32
 *         broker_ids: [int32]
 *       configs: [struct]
 *         name: string
 *         value: string (nullable v0+)
 *     timeout_ms: int32
 *     validate_only: bool (v1+)
 *
 *   CreateTopicsResponse =>
 *     throttle_time_ms: int32 (v2+)
 *     topics: [struct]
 *       name: string
 *       topic_id: uuid (v7+)
 *       error_code: int16
 *       error_message: string (v1+, nullable v0+)
 *       topic_config_error_code: int16 (v5+, tag 0)
 *       num_partitions: int32 (v5+)
 *       replication_factor: int16 (v5+)
 *       configs: [struct] (v5+, nullable v5+)
 *         name: string (v5+)
 *         value: string (v5+, nullable v5+)
 *         read_only: bool (v5+)
 *         config_source: int8 (v5+)
 *         is_sensitive: bool (v5+)
 */
export const createTopics: ApiSchema = {
  apiKey: 19,
  name: 'CreateTopics',
  minVersion: 0,
  maxVersion: 7,
  flexibleFrom: 5,
  request: [
    { name: 'topics', type: 'array', versions: '0+', fields: [
      { name: 'name', type: 'string', versions: '0+' },
      { name: 'numPartitions', type: 'int32', versions: '0+' },
      { name: 'replicationFactor', type: 'int16', versions: '0+' },
      { name: 'assignments', type: 'array', versions: '0+', fields: [
        { name: 'partitionIndex', type: 'int32', versions: '0+' },
        { name: 'brokerIds', type: 'array', items: 'int32', versions: '0+' },
      ] },
      { name: 'configs', type: 'array', versions: '0+', fields: [
        { name: 'name', type: 'string', versions: '0+' },
        { name: 'value', type: 'string', versions: '0+', nullable: '0+' },
      ] },
    ] },
    { name: 'timeoutMs', type: 'int32', versions: '0+', default: 60000 },
    { name: 'validateOnly', type: 'bool', versions: '1+', default: false },
  ],
  response: [
    { name: 'throttleTimeMs', type: 'int32', versions: '2+' },
    { name: 'topics', type: 'array', versions: '0+', fields: [
      { name: 'name', type: 'string', versions: '0+' },
      { name: 'topicId', type: 'uuid', versions: '7+' },
      { name: 'errorCode', type: 'int16', versions: '0+' },
      { name: 'errorMessage', type: 'string', versions: '1+', nullable: '0+' },
      { name: 'topicConfigErrorCode', type: 'int16', versions: '5+', tag: 0, taggedVersions: '5+' },
      { name: 'numPartitions', type: 'int32', versions: '5+', default: -1 },
      { name: 'replicationFactor', type: 'int16', versions: '5+', default: -1 },
      { name: 'configs', type: 'array', versions: '5+', nullable: '5+', fields: [
        { name: 'name', type: 'string', versions: '5+' },
        { name: 'value', type: 'string', versions: '5+', nullable: '5+' },
        { name: 'readOnly', type: 'bool', versions: '5+' },
        { name: 'configSource', type: 'int8', versions: '5+', default: -1 },
        { name: 'isSensitive', type: 'bool', versions: '5+' },
      ] },
    ] },
  ],
};
