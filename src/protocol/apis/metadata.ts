import type { ApiSchema } from '../schema.ts';

/**
 * Metadata (API key 3): brokers, topics and partition leaders, optionally creating missing topics.
 *
 * Served versions 0-12; flexible (compact strings, arrays and bytes, tagged fields) from v9.
 * Fields as in Kafka's MetadataRequest.json and MetadataResponse.json:
 *
 *   MetadataRequest =>
 *     topics: [struct] (nullable v1+)
 *       topic_id: uuid (v10+)
 *       name: string (nullable v10+)
 *     allow_auto_topic_creation: bool (v4+)
 *     include_cluster_authorized_operations: bool (v8-10)
 *     include_topic_authorized_operations: bool (v8+)
 *
 *   MetadataResponse =>
 *     throttle_time_ms: int32 (v3+)
 *     brokers: [struct]
 *       node_id: int32
 *       host: string
 *       port: int32
 *       rack: string (v1+, nullable v1+)
 *     cluster_id: string (v2+, nullable v2+)
 *     controller_id: int32 (v1+)
 *     topics: [struct]
 *       error_code: int16
 *       name: string (nullable v12+)
 *       topic_id: uuid (v10+)
 *       is_internal: bool (v1+)
 *       partitions: [struct]
 *         error_code: int16
 *         partition_index: int32
 *         leader_id: int32
 *         leader_epoch: int32 (v7+)
 *         replica_nodes: [int32]
 *         isr_nodes: [int32]
 *         offline_replicas: [int32] (v5+)
 *       topic_authorized_operations: int32 (v8+)
 *     cluster_authorized_operations: int32 (v8-10)
 */
export const metadata: ApiSchema = {
  apiKey: 3,
  name: 'Metadata',
  minVersion: 0,
  maxVersion: 12,
  flexibleFrom: 9,
  request: [
    { name: 'topics', type: 'array', versions: '0+', nullable: '1+', fields: [
      { name: 'topicId', type: 'uuid', versions: '10+' },
      { name: 'name', type: 'string', versions: '0+', nullable: '10+' },
    ] },
    { name: 'allowAutoTopicCreation', type: 'bool', versions: '4+', default: true },
    { name: 'includeClusterAuthorizedOperations', type: 'bool', versions: '8-10' },
    { name: 'includeTopicAuthorizedOperations', type: 'bool', versions: '8+' },
  ],
  response: [
    { name: 'throttleTimeMs', type: 'int32', versions: '3+' },
    { name: 'brokers', type: 'array', versions: '0+', fields: [
      { name: 'nodeId', type: 'int32', versions: '0+' },
      { name: 'host', type: 'string', versions: '0+' },
      { name: 'port', type: 'int32', versions: '0+' },
      { name: 'rack', type: 'string', versions: '1+', nullable: '1+', default: null },
    ] },
    { name: 'clusterId', type: 'string', versions: '2+', nullable: '2+', default: null },
    { name: 'controllerId', type: 'int32', versions: '1+', default: -1 },
    { name: 'topics', type: 'array', versions: '0+', fields: [
      { name: 'errorCode', type: 'int16', versions: '0+' },
      { name: 'name', type: 'string', versions: '0+', nullable: '12+' },
      { name: 'topicId', type: 'uuid', versions: '10+' },
      { name: 'isInternal', type: 'bool', versions: '1+', default: false },
      { name: 'partitions', type: 'array', versions: '0+', fields: [
        { name: 'errorCode', type: 'int16', versions: '0+' },
        { name: 'partitionIndex', type: 'int32', versions: '0+' },
        { name: 'leaderId', type: 'int32', versions: '0+' },
        { name: 'leaderEpoch', type: 'int32', versions: '7+', default: -1 },
        { name: 'replicaNodes', type: 'array', items: 'int32', versions: '0+' },
        { name: 'isrNodes', type: 'array', items: 'int32', versions: '0+' },
        { name: 'offlineReplicas', type: 'array', items: 'int32', versions: '5+' },
      ] },
      { name: 'topicAuthorizedOperations', type: 'int32', versions: '8+', default: -2147483648 },
    ] },
    { name: 'clusterAuthorizedOperations', type: 'int32', versions: '8-10', default: -2147483648 },
  ],
};
