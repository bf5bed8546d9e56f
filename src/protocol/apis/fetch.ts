import type { ApiSchema } from '../schema.ts';

/**
 * Fetch (API key 1): reads record batches from partitions, waiting up to max wait for min bytes.
 *
 * Served versions 4-15; flexible (compact strings, arrays and bytes, tagged fields) from v12.
 * Fields as in Kafka's FetchRequest.json and FetchResponse.json:
 *
 *   FetchRequest =>
 *     cluster_id: string (v12+, nullable v12+, tag 0)
 *     replica_id: int32 (v0-14)
 *     replica_state: struct (v15+, tag 1)
 *       replica_id: int32 (v15+)
 *       replica_epoch: int64 (v15+)
 *     max_wait_ms: int32
 *     min_bytes: int32
 *     max_bytes: int32 (v3+)
 *     isolation_level: int8 (v4+)
 *     session_id: int32 (v7+)
 *     session_epoch: int32 (v7+)
 *     topics: [struct]
 *       topic: string (v0-12)
 *       topic_id: uuid (v13+)
 *       partitions: [struct]
 *         partition: int32
 *         current_leader_epoch: int32 (v9+)
 *         fetch_offset: int64
 *         last_fetched_epoch: int32 (v12+)
 *         log_start_offset: int64 (v5+)
 *         partition_max_bytes: int32
 *         replica_directory_id: uuid (v17+, tag 0)
 *     forgotten_topics_data: [struct] (v7+)
 *       topic: string (v7-12)
 *       topic_id: uuid (v13+)
 *       partitions: [int32] (v7+)
 *     rack_id: string (v11+)
 *
 *   FetchResponse =>
 *     throttle_time_ms: int32 (v1+)
 *     error_code: int16 (v7+)
 *     session_id: int32 (v7+)
 *     responses: [struct]
 *       topic: string (v0-12)
 *       topic_id: uuid (v13+)
 *       partitions: [struct]
 *         partition_index: int32
 *         error_code: int16
 *         high_watermark: int64
 *         last_stable_offset: int64 (v4+)
 *         log_start_offset: int64 (v5+)
 *         diverging_epoch: struct (v12+, tag 0)
 *           epoch: int32 (v12+)
 *           end_offset: int64 (v12+)
 *         current_leader: struct (v12+, tag 1)
 *           leader_id: int32 (v12+)
 *           leader_epoch: int32 (v12+)
 *         snapshot_id: struct (v12+, tag 2)
 *           end_offset: int64
 *           epoch: int32
 *         aborted_transactions: [struct] (v4+, nullable v4+)
 *           producer_id: int64 (v4+)
 *           first_offset: int64 (v4+)
 *         preferred_read_replica: int32 (v11+)
 *         records: records (nullable v0+)
 *     node_endpoints: [struct] (v16+, tag 0)
 *       node_id: int32 (v16+)
 *       host: string (v16+)
 *       port: int32 (v16+)
 *       rack: string (v16+, nullable v16+)
 */
export const fetch: ApiSchema = {
  apiKey: 1,
  name: 'Fetch',
  minVersion: 4,
  maxVersion: 15,
  flexibleFrom: 12,
  request: [
    { name: 'clusterId', type: 'string', versions: '12+', nullable: '12+', tag: 0, taggedVersions: '12+', default: null },
    { name: 'replicaId', type: 'int32', versions: '0-14', default: -1 },
    { name: 'replicaState', type: 'struct', versions: '15+', tag: 1, taggedVersions: '15+', fields: [
      { name: 'replicaId', type: 'int32', versions: '15+', default: -1 },
      { name: 'replicaEpoch', type: 'int64', versions: '15+', default: -1 },
    ] },
    { name: 'maxWaitMs', type: 'int32', versions: '0+' },
    { name: 'minBytes', type: 'int32', versions: '0+' },
    { name: 'maxBytes', type: 'int32', versions: '3+', default: '0x7fffffff' },
    { name: 'isolationLevel', type: 'int8', versions: '4+', default: 0 },
    { name: 'sessionId', type: 'int32', versions: '7+', default: 0 },
    { name: 'sessionEpoch', type: 'int32', versions: '7+', default: -1 },
    { name: 'topics', type: 'array', versions: '0+', fields: [
      { name: 'topic', type: 'string', versions: '0-12' },
      { name: 'topicId', type: 'uuid', versions: '13+' },
      { name: 'partitions', type: 'array', versions: '0+', fields: [
        { name: 'partition', type: 'int32', versions: '0+' },
        { name: 'currentLeaderEpoch', type: 'int32', versions: '9+', default: -1 },
        { name: 'fetchOffset', type: 'int64', versions: '0+' },
        { name: 'lastFetchedEpoch', type: 'int32', versions: '12+', default: -1 },
        { name: 'logStartOffset', type: 'int64', versions: '5+', default: -1 },
        { name: 'partitionMaxBytes', type: 'int32', versions: '0+' },
        { name: 'replicaDirectoryId', type: 'uuid', versions: '17+', tag: 0, taggedVersions: '17+' },
      ] },
    ] },
    { name: 'forgottenTopicsData', type: 'array', versions: '7+', fields: [
      { name: 'topic', type: 'string', versions: '7-12' },
      { name: 'topicId', type: 'uuid', versions: '13+' },
      { name: 'partitions', type: 'array', items: 'int32', versions: '7+' },
    ] },
    { name: 'rackId', type: 'string', versions: '11+', default: '' },
  ],
  response: [
    { name: 'throttleTimeMs', type: 'int32', versions: '1+' },
    { name: 'errorCode', type: 'int16', versions: '7+' },
    { name: 'sessionId', type: 'int32', versions: '7+', default: 0 },
    { name: 'responses', type: 'array', versions: '0+', fields: [
      { name: 'topic', type: 'string', versions: '0-12' },
      { name: 'topicId', type: 'uuid', versions: '13+' },
      { name: 'partitions', type: 'array', versions: '0+', fields: [
        { name: 'partitionIndex', type: 'int32', versions: '0+' },
        { name: 'errorCode', type: 'int16', versions: '0+' },
        { name: 'highWatermark', type: 'int64', versions: '0+' },
        { name: 'lastStableOffset', type: 'int64', versions: '4+', default: -1 },
        { name: 'logStartOffset', type: 'int64', versions: '5+', default: -1 },
        { name: 'divergingEpoch', type: 'struct', versions: '12+', tag: 0, taggedVersions: '12+', fields: [
          { name: 'epoch', type: 'int32', versions: '12+', default: -1 },
          { name: 'endOffset', type: 'int64', versions: '12+', default: -1 },
        ] },
        { name: 'currentLeader', type: 'struct', versions: '12+', tag: 1, taggedVersions: '12+', fields: [
          { name: 'leaderId', type: 'int32', versions: '12+', default: -1 },
          { name: 'leaderEpoch', type: 'int32', versions: '12+', default: -1 },
        ] },
        { name: 'snapshotId', type: 'struct', versions: '12+', tag: 2, taggedVersions: '12+', fields: [
          { name: 'endOffset', type: 'int64', versions: '0+', default: -1 },
          { name: 'epoch', type: 'int32', versions: '0+', default: -1 },
        ] },
        { name: 'abortedTransactions', type: 'array', versions: '4+', nullable: '4+', default: null, fields: [
          { name: 'producerId', type: 'int64', versions: '4+' },
          { name: 'firstOffset', type: 'int64', versions: '4+' },
        ] },
        { name: 'preferredReadReplica', type: 'int32', versions: '11+', default: -1 },
        { name: 'records', type: 'records', versions: '0+', nullable: '0+' },
      ] },
    ] },
    { name: 'nodeEndpoints', type: 'array', versions: '16+', tag: 0, taggedVersions: '16+', fields: [
      { name: 'nodeId', type: 'int32', versions: '16+' },
      { name: 'host', type: 'string', versions: '16+' },
      { name: 'port', type: 'int32', versions: '16+' },
      { name: 'rack', type: 'string', versions: '16+', nullable: '16+', default: null },
    ] },
  ],
};
