import type { ApiSchema, FieldSchema } from '../schema.ts';

/**
 * AddPartitionsToTxn (API key 24): adds partitions to a producer's open transaction (starting it on
 * the first add), so its batches may be written there and markers reach them at EndTxn.
 *
 * Served versions 0-5; flexible (compact strings, arrays and bytes, tagged fields) from v3.
 * Up to v3 one request carries one transaction; from v4 a list of them (Kafka clients send v3 and
 * below, brokers v4+, but some clients batch with v4+ too).
 * Fields as in Kafka's AddPartitionsToTxnRequest.json and AddPartitionsToTxnResponse.json:
 *
 *   AddPartitionsToTxnRequest =>
 *     transactions: [struct] (v4+)
 *       transactional_id: string
 *       producer_id: int64
 *       producer_epoch: int16
 *       verify_only: bool
 *       topics: [topic]
 *     v3_and_below_transactional_id: string (v0-3)
 *     v3_and_below_producer_id: int64 (v0-3)
 *     v3_and_below_producer_epoch: int16 (v0-3)
 *     v3_and_below_topics: [topic] (v0-3)
 *   topic =>
 *     name: string
 *     partitions: [int32]
 *
 *   AddPartitionsToTxnResponse =>
 *     throttle_time_ms: int32
 *     error_code: int16 (v4+)
 *     results_by_transaction: [struct] (v4+)
 *       transactional_id: string
 *       topic_results: [topic_result]
 *     results_by_topic_v3_and_below: [topic_result] (v0-3)
 *   topic_result =>
 *     name: string
 *     results_by_partition: [struct]
 *       partition_index: int32
 *       partition_error_code: int16
 */
const topic: readonly FieldSchema[] = [
  { name: 'name', type: 'string', versions: '0+' },
  { name: 'partitions', type: 'array', items: 'int32', versions: '0+' },
];

const topicResult: readonly FieldSchema[] = [
  { name: 'name', type: 'string', versions: '0+' },
  { name: 'resultsByPartition', type: 'array', versions: '0+', fields: [
    { name: 'partitionIndex', type: 'int32', versions: '0+' },
    { name: 'partitionErrorCode', type: 'int16', versions: '0+' },
  ] },
];

export const addPartitionsToTxn: ApiSchema = {
  apiKey: 24,
  name: 'AddPartitionsToTxn',
  minVersion: 0,
  maxVersion: 5,
  flexibleFrom: 3,
  request: [
    { name: 'transactions', type: 'array', versions: '4+', fields: [
      { name: 'transactionalId', type: 'string', versions: '4+' },
      { name: 'producerId', type: 'int64', versions: '4+' },
      { name: 'producerEpoch', type: 'int16', versions: '4+' },
      { name: 'verifyOnly', type: 'bool', versions: '4+', default: false },
      { name: 'topics', type: 'array', versions: '4+', fields: topic },
    ] },
    { name: 'v3AndBelowTransactionalId', type: 'string', versions: '0-3' },
    { name: 'v3AndBelowProducerId', type: 'int64', versions: '0-3' },
    { name: 'v3AndBelowProducerEpoch', type: 'int16', versions: '0-3' },
    { name: 'v3AndBelowTopics', type: 'array', versions: '0-3', fields: topic },
  ],
  response: [
    { name: 'throttleTimeMs', type: 'int32', versions: '0+' },
    { name: 'errorCode', type: 'int16', versions: '4+' },
    { name: 'resultsByTransaction', type: 'array', versions: '4+', fields: [
      { name: 'transactionalId', type: 'string', versions: '4+' },
      { name: 'topicResults', type: 'array', versions: '4+', fields: topicResult },
    ] },
    { name: 'resultsByTopicV3AndBelow', type: 'array', versions: '0-3', fields: topicResult },
  ],
};
