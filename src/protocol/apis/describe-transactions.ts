import type { ApiSchema } from '../schema.ts';

/**
 * DescribeTransactions (API key 65): the state, producer, timeout and partitions of transactional
 * ids (what `kafka-transactions.sh describe` and Admin.describeTransactions show).
 *
 * Served version 0, flexible (compact strings, arrays and bytes, tagged fields).
 * Fields as in Kafka's DescribeTransactionsRequest.json and DescribeTransactionsResponse.json:
 *
 *   DescribeTransactionsRequest =>
 *     transactional_ids: [string]
 *
 *   DescribeTransactionsResponse =>
 *     throttle_time_ms: int32
 *     transaction_states: [struct]
 *       error_code: int16
 *       transactional_id: string
 *       transaction_state: string
 *       transaction_timeout_ms: int32
 *       transaction_start_time_ms: int64
 *       producer_id: int64
 *       producer_epoch: int16
 *       topics: [struct]
 *         topic: string
 *         partitions: [int32]
 */
export const describeTransactions: ApiSchema = {
  apiKey: 65,
  name: 'DescribeTransactions',
  minVersion: 0,
  maxVersion: 0,
  flexibleFrom: 0,
  request: [
    { name: 'transactionalIds', type: 'array', items: 'string', versions: '0+' },
  ],
  response: [
    { name: 'throttleTimeMs', type: 'int32', versions: '0+' },
    { name: 'transactionStates', type: 'array', versions: '0+', fields: [
      { name: 'errorCode', type: 'int16', versions: '0+' },
      { name: 'transactionalId', type: 'string', versions: '0+' },
      { name: 'transactionState', type: 'string', versions: '0+' },
      { name: 'transactionTimeoutMs', type: 'int32', versions: '0+' },
      { name: 'transactionStartTimeMs', type: 'int64', versions: '0+' },
      { name: 'producerId', type: 'int64', versions: '0+' },
      { name: 'producerEpoch', type: 'int16', versions: '0+' },
      { name: 'topics', type: 'array', versions: '0+', fields: [
        { name: 'topic', type: 'string', versions: '0+' },
        { name: 'partitions', type: 'array', items: 'int32', versions: '0+' },
      ] },
    ] },
  ],
};
